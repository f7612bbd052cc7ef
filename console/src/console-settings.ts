/** What the gateway tells the console about itself (GET /console/settings.json): whether the explorer is on. */
export interface ConsoleSettings {
  explorer: boolean;
}

export async function loadConsoleSettings(): Promise<ConsoleSettings> {
  try {
    const response = await fetch('/console/settings.json');
    const body = (await response.json()) as Partial<ConsoleSettings>;
    return { explorer: body.explorer === true };
  } catch {
    return { explorer: false };
  }
}

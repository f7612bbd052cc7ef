/**
 * What the gateway tells the console about itself (GET /console/settings.json): whether the explorer is on,
 * and the identity provider to sign in at, if one is configured (CONSOLE_OIDC_ISSUER).
 */
export interface SignInSettings {
  issuer: string;
  clientId: string;
  /** The resource indicator the tokens are for (the gateway's audience). */
  resource: string;
}

export interface ConsoleSettings {
  explorer: boolean;
  signIn?: SignInSettings;
}

export async function loadConsoleSettings(): Promise<ConsoleSettings> {
  try {
    const response = await fetch('/console/settings.json');
    const body = (await response.json()) as Partial<ConsoleSettings>;
    return { explorer: body.explorer === true, ...(body.signIn && { signIn: body.signIn }) };
  } catch {
    return { explorer: false };
  }
}

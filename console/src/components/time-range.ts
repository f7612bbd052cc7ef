/** `<input type="datetime-local">` values are local times without a zone; the graph takes ISO 8601 instants. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Each of the platform's own apps has its own key, and the key's id names the app it speaks for
 * (`<app>#<anything>`, e.g. `archive-office#2026-12`): the gateway verifies a platform token naming app X only
 * with a key whose id names X, so the service hall's key cannot sign as another internal app
 * (docs/security.md I4). `#` never occurs in an app id, so the app a key id names is unambiguous.
 */
const SEPARATOR = '#';

/** The id of a key that speaks for `app` alone; `version` tells its successive keys apart. */
export function platformKeyId(app: string, version: string): string {
  return `${app}${SEPARATOR}${version}`;
}

/** The app a platform key id speaks for, or undefined for an id that names none. */
export function appOfPlatformKey(kid: string | undefined): string | undefined {
  if (kid === undefined) return undefined;
  const at = kid.indexOf(SEPARATOR);
  return at > 0 ? kid.slice(0, at) : undefined;
}

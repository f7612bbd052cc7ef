/**
 * The signed-in app: its token, what the token says about itself (shown to the user, never trusted —
 * the gateway verifies every request), and the purpose the user states. Kept in sessionStorage, so it
 * ends with the tab.
 */
import { decodeJwt } from 'jose';
import { SignInError } from './token-source';

export interface Session {
  token: string;
  app: string;
  expiresAt: Date;
  purpose: string;
}

const STORAGE_KEY = 'govgraph.console.session';

export function sessionFromToken(token: string, now = new Date()): Session {
  let claims: { sub?: unknown; exp?: unknown };
  try {
    claims = decodeJwt(token);
  } catch {
    throw new SignInError('notAToken');
  }
  if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number') throw new SignInError('notAToken');
  const expiresAt = new Date(claims.exp * 1000);
  if (expiresAt <= now) throw new SignInError('expired');
  return { token, app: claims.sub, expiresAt, purpose: '' };
}

export function loadSession(): Session | undefined {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (!stored) return undefined;
  try {
    const { token, purpose } = JSON.parse(stored) as { token: string; purpose: string };
    return { ...sessionFromToken(token), purpose };
  } catch {
    sessionStorage.removeItem(STORAGE_KEY);
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token: session.token, purpose: session.purpose }));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/**
 * Renews the token before it expires, without the user, where the token source can (the identity
 * provider's refresh token): a fifth of its life before the end, at most a minute before. If renewal fails,
 * the token runs out and the pages go stale as they would without it (session-expiry.tsx).
 */
import { useEffect } from 'react';
import type { Session } from './session';
import type { TokenSource } from './token-source';

const AT_MOST_BEFORE_MS = 60_000;

export function useSilentRenewal(session: Session | undefined, source: TokenSource, onRenewed: (token: string) => void): void {
  const token = session?.token;
  const expiry = session?.expiresAt.getTime();
  useEffect(() => {
    if (!source.renew || token === undefined || expiry === undefined) return;
    const renew = source.renew.bind(source);
    const left = expiry - Date.now();
    const timer = setTimeout(() => void renew().then(onRenewed, () => undefined), Math.max(0, left - Math.min(AT_MOST_BEFORE_MS, left / 5)));
    return () => clearTimeout(timer);
  }, [source, token, expiry, onRenewed]);
}

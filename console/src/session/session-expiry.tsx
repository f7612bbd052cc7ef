/**
 * When what the console shows stopped being current: the token's expiry, or the moment the gateway
 * refused the token before it (revoked, keys rotated). Every page reads it through the app shell: on
 * expiry the pages stop asking the graph, grey out and say since when (issue 23, item 3).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export interface SessionExpiry {
  staleSince: Date | undefined;
  /** The gateway answered UNAUTHENTICATED: the token is no good, whatever its expiry says. */
  refused(): void;
}

const SessionExpiryContext = createContext<SessionExpiry>({ staleSince: undefined, refused: () => undefined });

/** setTimeout's longest wait; a later expiry is waited for in steps. */
const LONGEST_TIMEOUT_MS = 2 ** 31 - 1;

export function SessionExpiryProvider({ expiresAt, children }: { expiresAt: Date; children: ReactNode }) {
  const [staleSince, setStaleSince] = useState<Date>();
  const expiry = expiresAt.getTime();
  useEffect(() => {
    // A new token (signed in again, renewed) makes the data current again.
    setStaleSince(undefined);
    let timer: ReturnType<typeof setTimeout>;
    const wait = () => {
      const left = expiry - Date.now();
      if (left <= 0) setStaleSince(new Date(expiry));
      else timer = setTimeout(wait, Math.min(left, LONGEST_TIMEOUT_MS));
    };
    wait();
    return () => clearTimeout(timer);
  }, [expiry]);
  const refused = useCallback(() => setStaleSince((since) => since ?? new Date()), []);
  const value = useMemo(() => ({ staleSince, refused }), [staleSince, refused]);
  return <SessionExpiryContext.Provider value={value}>{children}</SessionExpiryContext.Provider>;
}

export function useSessionExpiry(): SessionExpiry {
  return useContext(SessionExpiryContext);
}

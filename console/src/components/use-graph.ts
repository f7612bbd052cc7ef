/**
 * Runs a graph query when its inputs change, and again every `pollMs` if given, keeping the last data while
 * it refreshes. Once the session is stale (session-expiry.tsx) it asks no more; an UNAUTHENTICATED answer
 * makes the session stale.
 */
import { useCallback, useEffect, useState } from 'react';
import { GraphError, queryGraph } from '../graph-client';
import type { Session } from '../session/session';
import { useSessionExpiry } from '../session/session-expiry';

export interface GraphState<T> {
  data?: T;
  error?: GraphError;
  loading: boolean;
  /** When the data last arrived. */
  updatedAt?: Date;
}

export function useGraph<T>(session: Session, query: string, variables: Record<string, unknown> | undefined, pollMs?: number): GraphState<T> {
  const [state, setState] = useState<GraphState<T>>({ loading: variables !== undefined });
  // Compared by value: callers pass a new object on every render.
  const variablesKey = variables === undefined ? undefined : JSON.stringify(variables);
  const { token, purpose } = session;
  const { staleSince, refused } = useSessionExpiry();
  const stale = staleSince !== undefined;
  const run = useCallback(async (signal: { cancelled: boolean }) => {
    if (variablesKey === undefined) return;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await queryGraph<T>({ token, purpose }, query, JSON.parse(variablesKey) as Record<string, unknown>);
      if (!signal.cancelled) setState({ data, loading: false, updatedAt: new Date() });
    } catch (error) {
      if (error instanceof GraphError && error.code === 'UNAUTHENTICATED') refused();
      if (!signal.cancelled) setState((previous) => ({ ...previous, loading: false, error: error instanceof GraphError ? error : new GraphError(String(error), 'INTERNAL_SERVER_ERROR') }));
    }
  }, [token, purpose, query, variablesKey, refused]);
  useEffect(() => {
    if (stale) return;
    const signal = { cancelled: false };
    void run(signal);
    const timer = pollMs ? setInterval(() => void run(signal), pollMs) : undefined;
    return () => {
      signal.cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [run, pollMs, stale]);
  return state;
}

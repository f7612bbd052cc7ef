/** /readyz: the gateway is ready when every department answers its own readiness check in time. */
import type { SubgraphEndpoint } from './supergraph-subgraphs';

export interface Readiness {
  ready: boolean;
  subgraphs: Record<string, 'ready' | 'unavailable'>;
}

export async function checkReadiness(subgraphs: readonly SubgraphEndpoint[], timeoutMs: number): Promise<Readiness> {
  const results = await Promise.all(
    subgraphs.map(async ({ name, url }) => {
      try {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(timeoutMs) });
        return [name, response.ok ? 'ready' : 'unavailable'] as const;
      } catch {
        return [name, 'unavailable'] as const;
      }
    }),
  );
  return { ready: results.every(([, state]) => state === 'ready'), subgraphs: Object.fromEntries(results) };
}

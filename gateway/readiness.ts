/**
 * /readyz: the gateway is ready when every subgraph answers in time. A subgraph with a health URL
 * configured (SUBGRAPH_HEALTH_URLS; our launchers give each department its `/readyz`, which also checks
 * its database) is ready when that URL answers 2xx. Any other subgraph — another deployment's, which
 * serves no `/readyz` — is asked the one GraphQL question every subgraph must answer, `{ __typename }`,
 * with a gateway token for its audience like any department call, and is ready when it answers it.
 */
import { randomUUID } from 'node:crypto';
import { READINESS_PROBE_APP, type Caller } from '../contracts/caller';
import type { SubgraphEndpoint } from './supergraph-subgraphs';
import type { SubgraphTokenSigner } from './subgraph-token-signer';

export interface Readiness {
  ready: boolean;
  subgraphs: Record<string, 'ready' | 'unavailable'>;
}

const PROBE_QUERY = '{ __typename }';

async function answersTypename(response: Response): Promise<boolean> {
  if (!response.ok) return false;
  const body = (await response.json().catch(() => undefined)) as { data?: { __typename?: unknown }; errors?: unknown } | undefined;
  return typeof body?.data?.__typename === 'string' && body.errors === undefined;
}

async function probe(subgraph: SubgraphEndpoint, sign: SubgraphTokenSigner, timeoutMs: number): Promise<boolean> {
  const signal = AbortSignal.timeout(timeoutMs);
  if (subgraph.healthUrl !== undefined) {
    const response = await fetch(subgraph.healthUrl, { signal });
    await response.body?.cancel();
    return response.ok;
  }
  const caller: Caller = { app: READINESS_PROBE_APP, requestId: `readyz-${randomUUID()}` };
  const response = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await sign(caller, subgraph.name)}`, 'x-request-id': caller.requestId },
    body: JSON.stringify({ query: PROBE_QUERY }),
    signal,
  });
  return answersTypename(response);
}

export async function checkReadiness(subgraphs: readonly SubgraphEndpoint[], options: { sign: SubgraphTokenSigner; timeoutMs: number }): Promise<Readiness> {
  const results = await Promise.all(
    subgraphs.map(async (subgraph) => {
      const ready = await probe(subgraph, options.sign, options.timeoutMs).catch(() => false);
      return [subgraph.name, ready ? 'ready' : 'unavailable'] as const;
    }),
  );
  return { ready: results.every(([, state]) => state === 'ready'), subgraphs: Object.fromEntries(results) };
}

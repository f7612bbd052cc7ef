/**
 * A department asked directly, as the gateway asks it (or as whoever holds a leaked gateway token would):
 * with a token the gateway's own key signed for the caller and a fresh request id.
 */
import type { Caller } from '../../contracts/caller';
import { createSubgraphTokenSigner } from '../../gateway/subgraph-token-signer';
import type { TestGraph } from './graph';

export interface DepartmentResponse {
  requestId: string;
  status: number;
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> };
}

/** `token` replaces the one signed for the call (a replayed or forged token). */
export type DepartmentCall = (department: string, caller: Omit<Caller, 'requestId'>, query: string, variables?: object, token?: string) => Promise<DepartmentResponse>;

export async function departmentCall(graph: TestGraph, prefix: string): Promise<DepartmentCall> {
  const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 15 });
  let requests = 0;
  return async (department, caller, query, variables, token) => {
    const requestId = `${prefix}-${++requests}`;
    const response = await fetch(graph.subgraphs.find((s) => s.name === department)!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${token ?? (await sign({ ...caller, requestId }, department))}` },
      body: JSON.stringify({ query, variables }),
    });
    return { requestId, status: response.status, body: (await response.json()) as DepartmentResponse['body'] };
  };
}

/** Every read goes through the graph, as the signed-in app, stating its purpose: audited like any other reader. */
import type { Session } from './session/session';

export class GraphError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface GraphResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** The name the console gives itself on every request (recorded in the trail, so an auditor can hide the console's own reads). */
export const CONSOLE_CLIENT = 'govgraph-console';

/** The credentials a request carries: the app token and the purpose it states. */
export type Credentials = Pick<Session, 'token' | 'purpose'>;

export async function queryGraph<T>(session: Credentials, query: string, variables: Record<string, unknown> = {}, options: { purpose?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, 'apollographql-client-name': CONSOLE_CLIENT };
  if (options.purpose !== false && session.purpose) headers['x-purpose'] = session.purpose;
  let response: Response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new GraphError('The gateway cannot be reached.', 'NETWORK');
  }
  const body = (await response.json().catch(() => ({}))) as GraphResponse<T>;
  const error = body.errors?.[0];
  if (error || body.data == null) throw new GraphError(error?.message ?? `HTTP ${response.status}`, error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  return body.data;
}

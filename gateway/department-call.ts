/**
 * One call to a department on behalf of a caller: the gateway token for that department, the request id
 * and the trace's `traceparent` go with it, through the department fetcher (timeouts, bounded body,
 * retry, breaker), inside a "department call" span. A department
 * that cannot be reached, or answers anything but GraphQL, becomes SUBGRAPH_UNAVAILABLE naming the
 * department and never its address; its answer to an invalid argument (HTTP 400, BAD_USER_INPUT) is the
 * caller's mistake and is passed on as such.
 */
import type { Fetcher } from '@apollo/utils.fetcher';
import { SpanKind } from '@opentelemetry/api';
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { SPAN_ATTRIBUTES, type Tracing } from '../http/tracing';
import { gatewayError } from './errors';
import { withoutInaccessibleRows } from './inaccessible-rows';
import type { SubgraphTokenSigner } from './subgraph-token-signer';

export interface DepartmentRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

export interface DepartmentAnswer {
  data?: unknown;
  errors?: GraphQLFormattedError[];
}

export type DepartmentCall = (department: string, request: DepartmentRequest, caller: Caller) => Promise<DepartmentAnswer>;

/** The BAD_USER_INPUT errors of a department's HTTP 400 answer, as one error for the caller; else undefined. */
export function inputErrorOf(status: number | undefined, body: unknown): GraphQLError | undefined {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (status !== 400 || !Array.isArray(errors)) return undefined;
  const input = (errors as GraphQLFormattedError[]).filter((e) => e?.extensions?.['code'] === 'BAD_USER_INPUT' && typeof e.message === 'string');
  if (input.length === 0) return undefined;
  const argument = input[0]!.extensions?.['argument'];
  return new GraphQLError(input.map((e) => e.message).join(' '), { extensions: { code: 'BAD_USER_INPUT', ...(typeof argument === 'string' && { argument }) } });
}

/** What a client is told of a department that did not answer: its name, never its address. */
export function departmentUnavailable(department: string): GraphQLError {
  return gatewayError('SUBGRAPH_UNAVAILABLE', `The ${department} department did not answer.`, { department });
}

export interface DepartmentCallOptions {
  urls: ReadonlyMap<string, string>;
  fetchers: ReadonlyMap<string, Fetcher>;
  sign: SubgraphTokenSigner;
  logger: Logger;
  tracing: Tracing;
  /** Object types the API leaves out: their rows are taken out of every answer (inaccessible-rows.ts). */
  inaccessibleTypes: ReadonlySet<string>;
}

export function createDepartmentCall(options: DepartmentCallOptions): DepartmentCall {
  const attributes = (department: string, request: DepartmentRequest) => ({ [SPAN_ATTRIBUTES.department]: department, [SPAN_ATTRIBUTES.operationName]: request.operationName ?? '' });
  return (department, request, caller) => options.tracing.span('department call', attributes(department, request), async (span) => {
    const unavailable = (reason: unknown) => {
      options.logger.warn({ subgraph: department, err: reason }, 'department call failed');
      return departmentUnavailable(department);
    };
    const url = options.urls.get(department);
    const fetcher = options.fetchers.get(department);
    if (!url || !fetcher) throw unavailable(new Error('no URL for this department'));
    let status: number;
    let body: unknown;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${await options.sign(caller, department)}`, 'x-request-id': caller.requestId };
      options.tracing.inject(headers);
      const response = await fetcher(url, { method: 'POST', headers, body: JSON.stringify(request) });
      status = response.status;
      span.set({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: status });
      body = await response.json();
    } catch (error) {
      throw unavailable(error);
    }
    if (status >= 200 && status < 300 && body !== null && typeof body === 'object') {
      const answer = body as DepartmentAnswer;
      if (answer.data !== undefined) answer.data = withoutInaccessibleRows(answer.data, options.inaccessibleTypes);
      return answer;
    }
    throw inputErrorOf(status, body) ?? unavailable(new Error(`HTTP ${status}`));
  }, SpanKind.CLIENT);
}

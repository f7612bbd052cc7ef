/**
 * How @apollo/gateway's executor calls a department, for the plans the plan executor leaves to it: the
 * same fetcher, gateway token, request id, `traceparent` and "department call" span as `department-call.ts`,
 * and the same errors — a department that cannot be reached or refuses becomes SUBGRAPH_UNAVAILABLE naming
 * the department, never its address.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { SpanKind } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { SPAN_ATTRIBUTES, type Tracing } from '../http/tracing';
import { departmentUnavailable, inputErrorOf } from './department-call';
import { withoutInaccessibleRows } from './inaccessible-rows';
import type { SubgraphTokenSigner } from './subgraph-token-signer';

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

export interface GatewayContext {
  caller: Caller;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly sign: SubgraphTokenSigner;
  private readonly logger: Logger;
  private readonly tracing: Tracing;
  private readonly inaccessibleTypes: ReadonlySet<string>;

  constructor(options: { subgraph: string; url: string; sign: SubgraphTokenSigner; logger: Logger; fetcher: Fetcher; tracing: Tracing; inaccessibleTypes: ReadonlySet<string> }) {
    super({ url: options.url, fetcher: options.fetcher });
    this.subgraph = options.subgraph;
    this.sign = options.sign;
    this.logger = options.logger;
    this.tracing = options.tracing;
    this.inaccessibleTypes = options.inaccessibleTypes;
  }

  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const attributes = { [SPAN_ATTRIBUTES.department]: this.subgraph, [SPAN_ATTRIBUTES.operationName]: options.request.operationName ?? '' };
    return this.tracing.span('department call', attributes, () => super.process(options), SpanKind.CLIENT);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const caller = context.caller;
    request.http?.headers.set('authorization', `Bearer ${await this.sign(caller, this.subgraph)}`);
    request.http?.headers.set('x-request-id', caller.requestId);
    const trace: Record<string, string> = {};
    this.tracing.inject(trace);
    for (const [name, value] of Object.entries(trace)) request.http?.headers.set(name, value);
  }

  /** Rows of a type the API leaves out never reach Apollo's executor either (inaccessible-rows.ts). */
  override didReceiveResponse({ response }: Parameters<NonNullable<RemoteGraphQLDataSource['didReceiveResponse']>>[0]): SubgraphResponse {
    if (response.data) response.data = withoutInaccessibleRows(response.data, this.inaccessibleTypes) as SubgraphResponse['data'];
    return response;
  }

  /**
   * A department answers an invalid argument (a wrong check character, a page over 100) with HTTP 400 and
   * BAD_USER_INPUT: that is the caller's mistake, passed on as such. Anything else is the department's.
   */
  override didEncounterError(error: Error): void {
    const response = error instanceof GraphQLError ? (error.extensions['response'] as { status?: number; body?: unknown } | undefined) : undefined;
    const inputError = inputErrorOf(response?.status, response?.body);
    if (inputError) throw inputError;
    this.logger.warn({ subgraph: this.subgraph, err: error }, 'department call failed');
    throw departmentUnavailable(this.subgraph);
  }
}

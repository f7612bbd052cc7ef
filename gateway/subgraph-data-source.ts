/**
 * The one seam for everything about calling a department: the gateway token and request id go out with
 * every request, and a department that cannot be reached or refuses becomes SUBGRAPH_UNAVAILABLE naming
 * the department — never its address.
 */
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { createDepartmentFetcher, type DepartmentCallLimits } from './department-fetcher';
import { gatewayError } from './errors';
import type { SubgraphTokenSigner } from './subgraph-token-signer';

export interface GatewayContext {
  caller: Caller;
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  private readonly subgraph: string;
  private readonly sign: SubgraphTokenSigner;
  private readonly logger: Logger;

  constructor(options: { subgraph: string; url: string; sign: SubgraphTokenSigner; logger: Logger; limits: DepartmentCallLimits }) {
    super({ url: options.url, fetcher: createDepartmentFetcher(options.limits) });
    this.subgraph = options.subgraph;
    this.sign = options.sign;
    this.logger = options.logger;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const caller = context.caller;
    request.http?.headers.set('authorization', `Bearer ${await this.sign(caller, this.subgraph)}`);
    request.http?.headers.set('x-request-id', caller.requestId);
  }

  /**
   * A department answers an invalid argument (a wrong check character, a page over 100) with HTTP 400 and
   * BAD_USER_INPUT: that is the caller's mistake, passed on as such. Anything else is the department's.
   */
  override didEncounterError(error: Error): void {
    const inputErrors = badUserInputOf(error);
    if (inputErrors.length > 0) {
      const argument = inputErrors[0]!.extensions?.['argument'];
      throw new GraphQLError(inputErrors.map((e) => e.message).join(' '), {
        extensions: { code: 'BAD_USER_INPUT', ...(typeof argument === 'string' && { argument }) },
      });
    }
    this.logger.warn({ subgraph: this.subgraph, err: error }, 'department call failed');
    throw gatewayError('SUBGRAPH_UNAVAILABLE', `The ${this.subgraph} department did not answer.`, { department: this.subgraph });
  }
}

function badUserInputOf(error: Error): GraphQLFormattedError[] {
  if (!(error instanceof GraphQLError)) return [];
  const response = error.extensions['response'] as { status?: number; body?: { errors?: GraphQLFormattedError[] } } | undefined;
  if (response?.status !== 400 || !Array.isArray(response.body?.errors)) return [];
  return response.body.errors.filter((e) => e.extensions?.['code'] === 'BAD_USER_INPUT' && typeof e.message === 'string');
}

/**
 * The one place a department decides what an error may tell its caller: errors it raised on purpose keep
 * their code and message; anything else (a SQL error, a bug) becomes INTERNAL_SERVER_ERROR with an id,
 * and the details go to the log only (THREATS G14).
 */
import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ROW_WITHHELD, isRowWithheld } from '../../contracts/row-withheld';

const EXPOSED_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'PURPOSE_REQUIRED',
  'CASE_REQUIRED',
  // Raised on purpose when something the department asks through the gateway cannot be asked now: retry.
  'SUBGRAPH_UNAVAILABLE',
]);

/**
 * Apollo Server relabels every validation error GRAPHQL_VALIDATION_FAILED; an invalid identifier found
 * during validation is the caller's input, so it keeps the BAD_USER_INPUT its rule or scalar gave it.
 */
function inputErrorCode(error: unknown): 'BAD_USER_INPUT' | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  return original instanceof GraphQLError && original.extensions['code'] === 'BAD_USER_INPUT' ? 'BAD_USER_INPUT' : undefined;
}

export function createErrorMasker(department: string, logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = inputErrorCode(error) ?? formatted.extensions?.['code'];
    if (typeof code === 'string' && EXPOSED_CODES.has(code)) {
      const argument = formatted.extensions?.['argument'];
      return {
        message: formatted.message,
        ...(formatted.locations && { locations: formatted.locations }),
        ...(formatted.path && { path: formatted.path }),
        extensions: { code, ...(typeof argument === 'string' && { argument }), ...(isRowWithheld(formatted.extensions) && { [ROW_WITHHELD]: true }) },
      };
    }
    const errorId = randomUUID();
    const cause = unwrapResolverError(error);
    logger.error({ errorId, err: cause, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal error in ${department} (error id ${errorId}).`,
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

/**
 * The one place the gateway decides what an error may tell a client (THREATS G14). A catalogued code
 * keeps its message and only our own extensions; anything else — including whatever a department or the
 * query planner threw — becomes INTERNAL_SERVER_ERROR with an error id, and the details go to the log.
 */
import { randomUUID } from 'node:crypto';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isCatalogued } from './errors';
import { isLimitMessage, limitMessage } from './limits';

/** Apollo Server's wrapper of the guard's answer to a document whose operation it could not pick (several, none named). */
const OPERATION_RESOLUTION = 'OPERATION_RESOLUTION_FAILURE';

/**
 * Apollo Server's answers to an automatic persisted query it cannot take (a hash that is not the text's,
 * an unknown version): they carry no code, but are the client's mistake (HTTP 400), not a fault.
 */
const PERSISTED_QUERY_MISTAKES = new Set(['provided sha does not match query', 'Unsupported persisted query version']);

/** Extensions a client may see besides `code`. */
const PUBLIC_EXTENSIONS = ['argument', 'department', 'coordinate', 'coordinates', 'paths', 'purposes', 'retryAfterSeconds'] as const;

function codeOf(formatted: GraphQLFormattedError): unknown {
  if (isLimitMessage(formatted.message)) return 'LIMIT_EXCEEDED';
  const given = formatted.extensions?.['code'];
  if (given === OPERATION_RESOLUTION) return 'BAD_USER_INPUT';
  if (PERSISTED_QUERY_MISTAKES.has(formatted.message)) return 'BAD_REQUEST';
  return given;
}

export function createErrorMasker(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = codeOf(formatted);
    if (isCatalogued(code) && code !== 'INTERNAL_SERVER_ERROR') {
      const extensions: Record<string, unknown> = { code };
      for (const key of PUBLIC_EXTENSIONS) if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      return {
        // Suggestions could name fields the app may not see (THREATS G12).
        message: code === 'GRAPHQL_VALIDATION_FAILED' ? formatted.message.replace(/ Did you mean .*$/, '') : code === 'LIMIT_EXCEEDED' ? limitMessage(formatted.message) : formatted.message,
        ...(formatted.locations && { locations: formatted.locations }),
        ...(formatted.path && { path: formatted.path }),
        extensions,
      };
    }
    const errorId = randomUUID();
    logger.error({ errorId, err: unwrapResolverError(error), code, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal error (error id ${errorId}).`,
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
    };
  };
}

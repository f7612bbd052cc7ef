/**
 * The gateway's error catalogue: every code a client can see in `extensions.code`, with its HTTP status,
 * what it means and what a client does about it — retry (the same request, later), re-authenticate (a new
 * token) or change the request. The README's error table lists exactly these; a test keeps the two in step.
 */
import { GraphQLError, type GraphQLErrorOptions } from 'graphql';

export type ClientAction = 'retry' | 're-authenticate' | 'change the request';

export const ERROR_CATALOGUE = {
  UNAUTHENTICATED: { status: 401, action: 're-authenticate', meaning: 'No valid app token: missing, malformed, expired, wrongly signed, from an unknown issuer, or naming as operator something that is not a valid ID number.' },
  FORBIDDEN: { status: 403, action: 'change the request', meaning: "The app's contract does not grant what the operation asks for." },
  PURPOSE_REQUIRED: { status: 403, action: 'change the request', meaning: 'Conditionally shared data needs an X-Purpose header naming a purpose of the grant (extensions.purposes).' },
  CASE_REQUIRED: { status: 403, action: 'change the request', meaning: 'Case-bound data needs an X-Case-Id header naming an open case about the data subject.' },
  BAD_USER_INPUT: { status: 400, action: 'change the request', meaning: 'An argument or header is invalid: a wrong check character, an impossible date, a page over 100.' },
  BAD_REQUEST: { status: 400, action: 'change the request', meaning: 'The HTTP request itself is malformed (body, content type, headers).' },
  GRAPHQL_PARSE_FAILED: { status: 400, action: 'change the request', meaning: 'The operation is not valid GraphQL syntax.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, action: 'change the request', meaning: 'The operation does not match the schema.' },
  LIMIT_EXCEEDED: { status: 400, action: 'change the request', meaning: 'The operation is too deep, too wide, too costly or too large (413 for an oversized body).' },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, action: 'change the request', meaning: 'The gateway does not hold the query of this automatic persisted query hash: send it again with the query text.' },
  RATE_LIMITED: { status: 429, action: 'retry', meaning: "The app has used its contract's requests or cost for this minute; Retry-After says when to try again." },
  SUBGRAPH_UNAVAILABLE: { status: 200, action: 'retry', meaning: 'A department did not answer; its part of the data is null, the rest is served.' },
  AUDIT_UNAVAILABLE: { status: 503, action: 'retry', meaning: 'The audit trail cannot be written, so no data is released (fail closed).' },
  INTERNAL_SERVER_ERROR: { status: 500, action: 'retry', meaning: 'Something unexpected failed; the response carries an error id to quote, the log has the details.' },
} as const satisfies Record<string, { status: number; action: ClientAction; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isCatalogued(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CATALOGUE, code);
}

/** A GraphQL error with a catalogued code (and its HTTP status, where the whole request fails). */
export function gatewayError(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: ERROR_CATALOGUE[code].status }, ...extra } });
}

/**
 * An error that is an answer, not a fault — a withheld row, a value outside the schema — built without
 * capturing a stack trace: nobody reads it, and capturing one (through the source maps) cost ~0.2 ms per
 * error, which made withholding 25 rows of a list cost more than shaping 1,000.
 */
export function answerError(message: string, options: GraphQLErrorOptions): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The JSON body for a request refused before GraphQL runs (e.g. 401), with any facts a client can act on. */
export function errorBody(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): { errors: Array<{ message: string; extensions: { code: ErrorCode } & Record<string, unknown> }> } {
  return { errors: [{ message, extensions: { ...extra, code } }] };
}

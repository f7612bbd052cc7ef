/** What a client does about an error (the README's error table): the same request later, a new token, or another request. */
export type Action = 'retry' | 're-authenticate' | 'change the request';

/** For every `extensions.code` the gateway sends, what to do and how. */
export const ERROR_ACTIONS: Record<string, { action: Action; how: string }> = {
  UNAUTHENTICATED: { action: 're-authenticate', how: 'sign the user in again for a new token (an expired one is the usual cause)' },
  FORBIDDEN: { action: 'change the request', how: "leave out what the contract does not grant (extensions.coordinate), or a row that is not the app's to read" },
  PURPOSE_REQUIRED: { action: 'change the request', how: 'send X-Purpose with one of extensions.purposes, or leave the fields out' },
  CASE_REQUIRED: { action: 'change the request', how: 'send X-Case-Id naming an open case about the data subject' },
  BAD_USER_INPUT: { action: 'change the request', how: 'correct the argument or header the message names (e.g. an ID number with a wrong check character)' },
  BAD_REQUEST: { action: 'change the request', how: 'fix the HTTP request (body, content type; a GET needs apollo-require-preflight)' },
  GRAPHQL_PARSE_FAILED: { action: 'change the request', how: 'fix the operation text' },
  GRAPHQL_VALIDATION_FAILED: { action: 'change the request', how: "regenerate the app's schema and the types: the operation does not fit the schema" },
  LIMIT_EXCEEDED: { action: 'change the request', how: 'ask less: a smaller first, fewer aliases, less depth' },
  PERSISTED_QUERY_NOT_FOUND: { action: 'change the request', how: "send it again with the query text (Apollo Client's PersistedQueryLink does)" },
  RATE_LIMITED: { action: 'retry', how: 'after the seconds in the Retry-After header' },
  SUBGRAPH_UNAVAILABLE: { action: 'retry', how: 'later, for the part that came back null (extensions.department); show the rest' },
  AUDIT_UNAVAILABLE: { action: 'retry', how: 'shortly: nothing is released while the audit trail cannot be written' },
  INTERNAL_SERVER_ERROR: { action: 'retry', how: 'once; if it fails again, report extensions.errorId and the X-Request-Id header' },
};

/**
 * The content type of a refusal the gateway writes itself, by the request's Accept header (GraphQL over
 * HTTP): the same choice Apollo Server makes for the answers it writes.
 */
import { GRAPHQL_RESPONSE_TYPE, JSON_TYPE, errorBodyType } from './http-exchange';

test.each<[string, string | undefined, string]>([
  ['no Accept header', undefined, JSON_TYPE],
  ['an empty one', '', JSON_TYPE],
  ['application/json', 'application/json', JSON_TYPE],
  ['application/graphql-response+json', 'application/graphql-response+json', GRAPHQL_RESPONSE_TYPE],
  ["Apollo Client's default: graphql-response preferred by q", 'application/graphql-response+json,application/json;q=0.9', GRAPHQL_RESPONSE_TYPE],
  ['JSON preferred by q, listed second', 'application/graphql-response+json;q=0.5, application/json', JSON_TYPE],
  ['both at the same q: the one listed first', 'application/graphql-response+json, application/json', GRAPHQL_RESPONSE_TYPE],
  ['both at the same q, JSON first', 'application/json, application/graphql-response+json', JSON_TYPE],
  ['anything', '*/*', JSON_TYPE],
  ['any application type', 'application/*', JSON_TYPE],
  ['graphql-response refused by q=0 beside anything', 'application/graphql-response+json;q=0, */*', JSON_TYPE],
  ['JSON refused by q=0 beside anything', 'application/json;q=0, */*', GRAPHQL_RESPONSE_TYPE],
  ['neither (a refusal must still be read)', 'text/html', JSON_TYPE],
])('%s', (_name, accept, type) => {
  expect(errorBodyType(accept)).toBe(type);
});

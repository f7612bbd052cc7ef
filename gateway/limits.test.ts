import { ApolloServer } from '@apollo/server';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import pino from 'pino';
import { DEFAULT_LIMITS, exceedsTokenLimit, isLimitMessage, limitMessage, operationLimits, tokenLimitMessage, type OperationLimits } from './limits';
import { createErrorMasker } from './mask-error';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node items(first: Int): [Node!]! }
`);

const limits: OperationLimits = { maxTokens: 40, maxDepth: 4, maxAliases: 3, maxDirectives: 2, maxCost: 60 };

/** The limits' messages a document gets from validation, without graphql-armor's prefix. */
function limitErrors(query: string): string[] {
  // The rules are built inside each test, so a test runs against the code it names.
  return validate(schema, parse(query), [...specifiedRules, ...operationLimits(limits).validationRules]).map((e) => {
    expect(isLimitMessage(e.message)).toBe(true);
    return limitMessage(e.message);
  });
}

/** A document `depth` fields deep: node, then children, then id. */
const nested = (depth: number) => `{ node { ${'child { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;
const aliased = (aliases: number) => `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: node { id }`).join(' ')} }`;
const directed = (directives: number) => `{ node { ${'... @include(if: true) { id } '.repeat(directives)}} }`;

test('depth: at the limit passes, one level past it is refused', () => {
  expect(limitErrors(nested(limits.maxDepth))).toEqual([]);
  expect(limitErrors(nested(limits.maxDepth + 1))).toEqual([`The operation is too deep: at most ${limits.maxDepth} levels.`]);
});

test('depth counts through fragments, which add no level of their own', () => {
  expect(limitErrors(`{ node { ...F } } fragment F on Node { child { child { id } } }`)).toEqual([]);
  expect(limitErrors(`{ node { ... on Node { child { child { id } } } } }`)).toEqual([]);
  expect(limitErrors(`{ node { ...F } } fragment F on Node { child { child { child { id } } } }`)).toEqual([`The operation is too deep: at most ${limits.maxDepth} levels.`]);
});

test('aliases: at the limit passes, one past it is refused', () => {
  expect(limitErrors(aliased(limits.maxAliases))).toEqual([]);
  expect(limitErrors(aliased(limits.maxAliases + 1))).toEqual([`The operation uses too many aliases: at most ${limits.maxAliases}.`]);
});

test('directives: at the limit passes, one past it is refused', () => {
  expect(limitErrors(directed(limits.maxDirectives))).toEqual([]);
  expect(limitErrors(directed(limits.maxDirectives + 1))).toEqual([`The operation uses too many directives: at most ${limits.maxDirectives}.`]);
});

test('cost: the limit is the one configured, to the unit', () => {
  const query = `{ node { items { id child { id } } } }`;
  const errorsAt = (maxCost: number) =>
    validate(schema, parse(query), [...specifiedRules, ...operationLimits({ ...limits, maxCost }).validationRules]).map((e) => limitMessage(e.message));
  let cost = 1;
  while (errorsAt(cost).length > 0) cost++;
  expect(cost).toBeGreaterThan(5);
  expect(errorsAt(cost - 1)).toEqual([`The operation is too costly: at most ${cost - 1} cost units.`]);
  expect(errorsAt(cost)).toEqual([]);
});

test('tokens: at the limit passes, one past it is refused, counting every token', () => {
  // `{ a }` is three tokens; each further `a` adds one.
  const ofTokens = (count: number) => `{ ${'a '.repeat(count - 2)}}`;
  expect(exceedsTokenLimit(ofTokens(10), 10)).toBe(false);
  expect(exceedsTokenLimit(ofTokens(11), 10)).toBe(true);
  expect(exceedsTokenLimit('', 0)).toBe(false);
  expect(exceedsTokenLimit('{', 1)).toBe(false);
  expect(exceedsTokenLimit('{ a', 1)).toBe(true);
});

test('a text that does not lex is left to the parser', () => {
  expect(exceedsTokenLimit('{ a "unterminated', 100)).toBe(false);
  expect(exceedsTokenLimit('{ a "unterminated', 1)).toBe(true);
});

test('the token limit message is a limit message; other messages are not', () => {
  expect(isLimitMessage(tokenLimitMessage(40))).toBe(true);
  expect(isLimitMessage(`Syntax Error: ${tokenLimitMessage(40)}`)).toBe(true);
  expect(limitMessage(`Syntax Error: ${tokenLimitMessage(40)}`)).toBe('The operation is too large: at most 40 tokens.');
  expect(isLimitMessage('Syntax Error: Expected Name, found <EOF>.')).toBe(false);
  expect(limitMessage('Cannot query field "x" on type "Query".')).toBe('Cannot query field "x" on type "Query".');
});

describe('in Apollo Server, as the gateway runs them', () => {
  const served = buildSchema(`
    type Query { node(ids: [ID!]): Node }
    type Node { id: ID! child: Node }
  `);
  let server: ApolloServer;

  beforeEach(async () => {
    const armor = operationLimits(DEFAULT_LIMITS);
    server = new ApolloServer({ schema: served, validationRules: armor.validationRules, plugins: armor.plugins, formatError: createErrorMasker(pino({ level: 'silent' })) });
    await server.start();
  });
  afterEach(() => server.stop());

  const answer = async (query: string) => {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return { status: response.http.status, errors: response.body.singleResult.errors?.map((e) => ({ message: e.message, code: e.extensions?.['code'] })) };
  };

  test('a document within the token limit but past graphql-armor\'s own default of 1000 tokens is answered', async () => {
    // 1,205 tokens; cost and depth stay small (a list argument costs nothing).
    const query = `{ node(ids: [${'"1" '.repeat(1200)}]) { id } }`;
    expect(exceedsTokenLimit(query, DEFAULT_LIMITS.maxTokens)).toBe(false);
    expect(exceedsTokenLimit(query, 1000)).toBe(true);
    expect(await answer(query)).toEqual({ status: undefined, errors: undefined });
  });

  test('a syntax error stays a parse failure (400), not a failure of a limit hook (500)', async () => {
    expect(await answer('{ node { id ')).toEqual({ status: 400, errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.', code: 'GRAPHQL_PARSE_FAILED' }] });
  });

  test('a field suggestion reaches the error masker as graphql-js wrote it, and the masker removes it', async () => {
    expect(await answer('{ nod { id } }')).toEqual({ status: 400, errors: [{ message: 'Cannot query field "nod" on type "Query".', code: 'GRAPHQL_VALIDATION_FAILED' }] });
  });

  test('a limit is refused with its own message, labelled LIMIT_EXCEEDED', async () => {
    const deep = `{ node { ${'child { '.repeat(DEFAULT_LIMITS.maxDepth - 1)}id${' }'.repeat(DEFAULT_LIMITS.maxDepth - 1)} } }`;
    expect(await answer(deep)).toEqual({ status: 400, errors: [{ message: `The operation is too deep: at most ${DEFAULT_LIMITS.maxDepth} levels.`, code: 'LIMIT_EXCEEDED' }] });
  });
});

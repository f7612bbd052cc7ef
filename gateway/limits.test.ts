import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { exceedsTokenLimit, isLimitMessage, limitMessage, operationLimits, tokenLimitMessage, type OperationLimits } from './limits';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node items(first: Int): [Node!]! }
`);

const limits: OperationLimits = { maxTokens: 40, maxDepth: 4, maxAliases: 3, maxDirectives: 2, maxCost: 60 };
const { validationRules } = operationLimits(limits);

/** The limits' messages a document gets from validation, without graphql-armor's prefix. */
function limitErrors(query: string): string[] {
  return validate(schema, parse(query), [...specifiedRules, ...validationRules]).map((e) => {
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

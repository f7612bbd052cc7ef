/**
 * Step 1 of a request (ARCHITECTURE.md): limits before any work (THREATS G1, G3, G4, G9, G10). Depth,
 * aliases, directives and cost are graphql-armor's validation rules. The token limit is counted with
 * graphql-js's own lexer before Apollo sees the request: graphql-armor's Apollo token plugin re-parses in a
 * hook, which turns every plain syntax error into an HTTP 500. Each limit's message names the limit and its
 * value, not how it is computed; the error masker labels them LIMIT_EXCEEDED.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

export interface OperationLimits {
  maxTokens: number;
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

export const DEFAULT_LIMITS: Readonly<OperationLimits> = Object.freeze({
  maxTokens: 2000,
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 20,
  maxCost: 5000,
});

const LIMIT_MESSAGES = new Set<string>();

function message(text: string): string {
  LIMIT_MESSAGES.add(text);
  return text;
}

/** graphql-armor's rules report their message behind a "Syntax Error: " prefix. */
const ARMOR_PREFIX = 'Syntax Error: ';

/** Whether an error is one of the limits' own. */
export function isLimitMessage(text: string): boolean {
  return LIMIT_MESSAGES.has(text.startsWith(ARMOR_PREFIX) ? text.slice(ARMOR_PREFIX.length) : text);
}

/** A limit's message as the client reads it, without graphql-armor's prefix. */
export function limitMessage(text: string): string {
  return text.startsWith(ARMOR_PREFIX) ? text.slice(ARMOR_PREFIX.length) : text;
}

export function operationLimits(limits: OperationLimits) {
  return new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, exposeLimits: false, flattenFragments: true, errorMessage: message(`The operation is too deep: at most ${limits.maxDepth} levels.`) },
    maxAliases: { n: limits.maxAliases, exposeLimits: false, errorMessage: message(`The operation uses too many aliases: at most ${limits.maxAliases}.`) },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: false, errorMessage: message(`The operation uses too many directives: at most ${limits.maxDirectives}.`) },
    costLimit: { maxCost: limits.maxCost, exposeLimits: false, errorMessage: message(`The operation is too costly: at most ${limits.maxCost} cost units.`) },
    // Suggestions are removed by the error masker (it knows the app's own schema is smaller).
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/**
 * Whether a query text has more tokens than allowed, counting no further than the limit. A text that does
 * not even lex is left to the parser, which reports it as GRAPHQL_PARSE_FAILED.
 */
export function exceedsTokenLimit(query: string, maxTokens: number): boolean {
  const lexer = new Lexer(new Source(query));
  try {
    for (let count = 0; lexer.advance().kind !== TokenKind.EOF; count++) if (count >= maxTokens) return true;
  } catch (error) {
    if (error instanceof GraphQLError) return false;
    throw error;
  }
  return false;
}

export function tokenLimitMessage(maxTokens: number): string {
  return message(`The operation is too large: at most ${maxTokens} tokens.`);
}

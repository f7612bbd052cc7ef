/**
 * Step 1 of a request (ARCHITECTURE.md): limits before any work (THREATS G1, G3, G4, G9, G10), with
 * graphql-armor: tokens (checked while parsing), depth, aliases, directives and cost (checked while
 * validating), so an abusive operation never reaches planning or a department. Each limit's message names
 * the limit and its value, not how it is computed; the error masker labels them LIMIT_EXCEEDED.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';

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

/** Whether an error is one of the limits' own. */
export function isLimitMessage(text: string): boolean {
  return LIMIT_MESSAGES.has(text) || [...LIMIT_MESSAGES].some((m) => text.startsWith(`Syntax Error: ${m}`));
}

export function operationLimits(limits: OperationLimits) {
  return new ApolloArmor({
    maxTokens: { n: limits.maxTokens, exposeLimits: false, errorMessage: message(`The operation is too large: at most ${limits.maxTokens} tokens.`) },
    maxDepth: { n: limits.maxDepth, exposeLimits: false, flattenFragments: true, errorMessage: message(`The operation is too deep: at most ${limits.maxDepth} levels.`) },
    maxAliases: { n: limits.maxAliases, exposeLimits: false, errorMessage: message(`The operation uses too many aliases: at most ${limits.maxAliases}.`) },
    maxDirectives: { n: limits.maxDirectives, exposeLimits: false, errorMessage: message(`The operation uses too many directives: at most ${limits.maxDirectives}.`) },
    costLimit: { maxCost: limits.maxCost, exposeLimits: false, errorMessage: message(`The operation is too costly: at most ${limits.maxCost} cost units.`) },
    // Suggestions are removed by the error masker (it knows the app's own schema is smaller).
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

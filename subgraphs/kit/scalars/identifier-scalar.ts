/**
 * A string scalar that validates what comes in and passes what goes out unchanged (a masked value is
 * still served as text). Invalid input is a BAD_USER_INPUT error raised while the operation is validated,
 * so no resolver and no SQL runs for it: variables are checked here in parseValue; literals are checked
 * by IdentifierLiteralsRule, which can name the argument (parseLiteral cannot see it).
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

export interface IdentifierScalarOptions {
  name: string;
  /** What a front-end team reads in the schema: the format, and what a served value may look like. */
  description: string;
  /** The standard that defines the format (`@specifiedBy`): metadata for code generators, never fetched. */
  specifiedByURL: string;
  /** What the value is called in an error message, e.g. "ID number (GB 11643)". */
  label: string;
  problem(value: string): string | null;
}

/** By name: buildSubgraphSchema copies a scalar's functions onto the schema's own type object. */
const CHECKS = new Map<string, IdentifierScalarOptions>();

/** The check behind an identifier scalar, or undefined for any other scalar. */
export function identifierProblemOf(type: GraphQLScalarType): IdentifierScalarOptions | undefined {
  return CHECKS.get(type.name);
}

export function identifierScalar(options: IdentifierScalarOptions): GraphQLScalarType<string, string> {
  const check = (value: unknown): string => {
    if (typeof value !== 'string') {
      throw new GraphQLError(`Expected a string ${options.label}.`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const problem = options.problem(value);
    if (problem) {
      throw new GraphQLError(`Not a valid ${options.label}: it ${problem}.`, { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return value;
  };
  const scalar = new GraphQLScalarType<string, string>({
    name: options.name,
    description: options.description,
    specifiedByURL: options.specifiedByURL,
    serialize: (value) => String(value),
    parseValue: check,
    // A string literal was already checked by IdentifierLiteralsRule during validation.
    parseLiteral: (node: ValueNode) => (node.kind === Kind.STRING ? node.value : check(undefined)),
  });
  CHECKS.set(options.name, options);
  return scalar;
}

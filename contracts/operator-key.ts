/**
 * The operator an app's token names is a key of the platform's operator subject (platform.yaml
 * `operatorSubject`: the token's operator is a Person, so it is a Person's idNumber). The operator rule
 * compares it with the keys of rows, so anything else would make its bearer "the owner" of whatever row
 * carries that value: a credit code as operator would own that enterprise's licences. So the claim is
 * parsed with the key's own scalar (IdNumber: GB 11643, with its check character) and read as the
 * departments read a key (subjectKeyOf); a token whose operator does not parse is refused whole.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { identifierProblemOf } from '../subgraphs/kit/scalars/identifier-scalar';
import { scalarResolvers } from '../subgraphs/kit/scalars';
import type { Platform } from './platform-schema';
import { subjectKeyOf } from './subject-arguments';

/** A key of no identifier scalar (a String key of another graph) is only held to the length of a token claim. */
const MAX_KEY_LENGTH = 64;

export type OperatorKeyCheck = (claim: string) => { ok: true; key: string } | { ok: false; problem: string };

/** The identifier check of the operator subject's key field in `schema`, if its type is one of the kit's identifier scalars. */
function keyScalarCheck(platform: Platform, schema: GraphQLSchema) {
  const subject = platform.operatorSubject;
  const type = subject === undefined ? undefined : schema.getType(subject);
  if (!subject || !isObjectType(type)) return undefined;
  const field = type.getFields()[platform.subjectKeys[subject]!];
  if (!field) return undefined;
  const scalar = scalarResolvers[getNamedType(field.type).name as keyof typeof scalarResolvers];
  const check = scalar === undefined ? undefined : identifierProblemOf(scalar);
  const article = /^[AEIOU]/.test(subject) ? 'an' : 'a';
  return check && { what: `${article} ${subject}'s ${field.name}, a valid ${check.label}`, problem: check.problem };
}

/**
 * How a token's operator is checked where `schema` (the supergraph's API schema, or a department's own) is
 * served. Without an operator subject, or where the schema does not hold its key, the claim is a key of at
 * most 64 characters.
 */
export function operatorKeyCheck(platform: Platform, schema: GraphQLSchema): OperatorKeyCheck {
  const scalar = keyScalarCheck(platform, schema);
  return (claim) => {
    const key = subjectKeyOf(claim);
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return { ok: false, problem: `its operator must be a key of 1 to ${MAX_KEY_LENGTH} characters` };
    const problem = scalar?.problem(key);
    return problem ? { ok: false, problem: `its operator must be ${scalar!.what}, but it ${problem}` } : { ok: true, key };
  };
}

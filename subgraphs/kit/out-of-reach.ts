import { GraphQLError } from 'graphql';

/**
 * The refusal for a row a mutation may not act on. It is the same whether the row does not exist or lies
 * outside the caller's region or case, so neither its existence nor its state can be learnt from it.
 */
export function outOfReach(kind: string, id: string, argument: string): GraphQLError {
  return new GraphQLError(`Forbidden: no ${kind} ${id} is within the caller's reach.`, { extensions: { code: 'FORBIDDEN', argument } });
}

import { GraphQLError } from 'graphql';

/** A clear refusal of one argument; nothing was read or changed. */
export function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/**
 * An operation's variables are coerced to their declared types before the access gate runs: a value of
 * the wrong type is the caller's mistake, answered 400 BAD_USER_INPUT and recorded as an invalid request,
 * not a permitted one that failed in a department. (Apollo Server leaves coercion to the executor, and
 * with a gateway the executor runs after the gate.)
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql';
import { gatewayError } from './errors';

export function variablesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, schema, request }) {
          const definitions = operation?.variableDefinitions;
          if (!definitions?.length) return;
          const coerced = getVariableValues(schema, definitions, request.variables ?? {}, { maxErrors: 5 });
          if (!coerced.errors) return;
          throw gatewayError('BAD_USER_INPUT', coerced.errors.map((e) => e.message).join(' '));
        },
      };
    },
  };
}

import { CombinedGraphQLErrors } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';
import { ClientError } from 'graphql-request';
import { ERROR_ACTIONS } from './error-actions';

/** The HTTP status and the errors of a refused request, as graphql-request or Apollo Client reports them. */
function refusal(error: unknown): { status?: number; errors: readonly GraphQLFormattedError[] } {
  if (error instanceof ClientError) return { status: error.response.status, errors: error.response.errors ?? [] };
  // Apollo Client 4 reads the errors of a refusal because the gateway answers it as application/graphql-response+json.
  if (CombinedGraphQLErrors.is(error)) return { errors: error.errors };
  throw error;
}

/** One line about a refused request: each code, the HTTP status, what to do, and the purposes that would grant it. */
export function explain(error: unknown): string {
  const { status, errors } = refusal(error);
  return errors
    .map(({ extensions }) => {
      const code = String(extensions?.code);
      const { action, how } = ERROR_ACTIONS[code] ?? { action: 'retry', how: 'once; this client does not know the code' };
      const purposes = Array.isArray(extensions?.purposes) ? ` [${extensions.purposes.join(', ')}]` : '';
      return `${code}${status ? ` (HTTP ${status})` : ''} → ${action}: ${how}${purposes}`;
    })
    .join('; ');
}

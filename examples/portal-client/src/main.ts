/**
 * The 一网通办 portal's client, as a front-end team would write it (docs/front-end.md): the types GraphQL
 * Code Generator made from the portal's own schema, used with graphql-request and with Apollo Client.
 * It reads as the signed-in citizen, whose ID number is the token's `operator`:
 *
 *   GOVGRAPH_URL=http://127.0.0.1:4000/graphql CITIZEN_ID=<ID number> \
 *   GOVGRAPH_TOKEN=$(npm run -s token -- --app oneservice-portal --operator <ID number>) \
 *   npx tsx examples/portal-client/src/main.ts
 */
import { withApolloClient } from './with-apollo-client';
import { withGraphqlRequest } from './with-graphql-request';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name} (see the comment at the top of main.ts)`);
  return value;
}

async function main(): Promise<void> {
  const [url, token, citizen] = [required('GOVGRAPH_URL'), required('GOVGRAPH_TOKEN'), required('CITIZEN_ID')];
  for (const line of await withGraphqlRequest(url, token, citizen)) console.log(line);
  for (const line of await withApolloClient(url, token, citizen)) console.log(line);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { typePoliciesFrom } from './cache-policies';
import { explain } from './errors';
import { connectionFields, keyFields } from './gql/type-policies';
import { MyProfile } from './operations';

/** SHA-256 in hex, with the Web Crypto API of browsers and Node alike. */
async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Reads the citizen's profile through Apollo Client, whose cache keys come from the portal's schema. */
export async function withApolloClient(url: string, token: string, citizen: string): Promise<string[]> {
  const cache = new InMemoryCache({ typePolicies: typePoliciesFrom({ keyFields, connectionFields }) });
  // Automatic persisted queries: the hash first; on PERSISTED_QUERY_NOT_FOUND the link sends the text too.
  const link = new PersistedQueryLink({ sha256 }).concat(new HttpLink({ uri: url, headers: { authorization: `Bearer ${token}` } }));
  const client = new ApolloClient({ link, cache });
  const variables = { idNumber: citizen, withApplications: true };
  const { data } = await client.query({ query: MyProfile, variables, context: { headers: { 'x-purpose': 'SELF_SERVICE' } } });
  // One Person per ID number, one Application per id, one ServiceItem per code: the "Cache key:" notes.
  const cached = Object.keys(cache.extract()).filter((id) => id !== 'ROOT_QUERY');
  // A refusal rejects the query (errorPolicy "none", the default) with the gateway's errors.
  const refused = await client.query({ query: MyProfile, variables, fetchPolicy: 'network-only' }).then(() => 'answered', explain);
  return [`apollo: ${data?.person?.name}; cache: ${cached.join(' ')}`, `apollo without X-Purpose: ${refused}`];
}

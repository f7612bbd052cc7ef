import { GraphQLClient } from 'graphql-request';
import { explain } from './errors';
import { Catalogue, MyProfile } from './operations';

/** Any valid ID number but the citizen's own (GB 11643's own example). */
const SOMEONE_ELSE = '11010519491231002X';

/** Reads the catalogue and the citizen's own profile with graphql-request, and shows two refusals. */
export async function withGraphqlRequest(url: string, token: string, citizen: string): Promise<string[]> {
  const lines: string[] = [];
  const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${token}` } });

  // The catalogue is shared unconditionally: no X-Purpose. Sent as a GET (cacheable), it needs
  // apollo-require-preflight, the header the gateway's CSRF defence asks of every GET.
  const get = new GraphQLClient(url, { method: 'GET', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
  const { serviceItems } = await get.request(Catalogue);
  const first = serviceItems[0]!;
  lines.push(`catalogue (GET): ${serviceItems.length} service items, e.g. ${first.code} ${first.name} [${first.modes.join(', ')}]`);

  // The citizen's own data: each field's description says "Purposes: SELF_SERVICE (the operator's own data only)".
  const variables = { idNumber: citizen, withApplications: true };
  const { person } = await client.request(MyProfile, variables, { 'x-purpose': 'SELF_SERVICE' });
  lines.push(`profile: ${person?.name}, born ${person?.birthDate}, household in ${person?.household?.regionCode}, ${person?.applications?.length} applications`);

  // The same without X-Purpose, and someone else's: refused before any department is asked.
  const refusals = {
    'without X-Purpose': () => client.request(MyProfile, variables),
    'another citizen': () => client.request(MyProfile, { ...variables, idNumber: SOMEONE_ELSE }, { 'x-purpose': 'SELF_SERVICE' }),
  };
  for (const [label, send] of Object.entries(refusals)) {
    lines.push(`${label}: ${await send().then(() => 'answered', explain)}`);
  }
  return lines;
}

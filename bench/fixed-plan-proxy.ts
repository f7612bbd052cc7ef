/**
 * A reference, not a gateway: about the least work a Node gateway that calls the departments for every
 * request could do for the benchmark's queries, to show what the machine allows. It reads the client's
 * JSON body only to tell the queries apart by their text (bench/agreement.ts); it never parses or
 * validates the operation, plans, checks or records anything. Each query gets the department calls
 * bare @apollo/gateway's query plan makes for it, written out by hand:
 * - the enterprise page: the page from market-regulation, then one `_entities` call to public-security for
 *   the representatives, merged in place;
 * - the person profile: the person from public-security, then at once `_entities` calls to service-hall,
 *   market-regulation and civil-affairs, and, when civil-affairs names spouses, one more to public-security
 *   for their names;
 * - the one-screen overview: passed through to city-operations unread;
 * - any other body (the single-department lookup): passed through to market-regulation unread.
 * Signs its department calls as bare @apollo/gateway does.
 * Run by compare-gateways.ts: PORT, SUBGRAPH_URLS, SIGNING_KEY_FILE, APP, PURPOSE.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { PAGE_QUERY, SCREEN_QUERY, profileQuery } from './agreement';

/** The department calls written out: the page's, then the profile's around the person's ID number. */
const PAGE_CALL = JSON.stringify({ query: '{enterprises(first:100){nodes{creditCode name status legalRepresentative{__typename idNumber}licences{kind number validUntil}}}}' });
const PERSON_CALL = (idNumber: string) => JSON.stringify({ query: `{person(idNumber:${JSON.stringify(idNumber)}){__typename idNumber name gender household{address}}}` });
const entitiesCall = (selection: string) => `query($representations:[_Any!]!){_entities(representations:$representations){...on Person{${selection}}}}`;
/** The profile's text before and after the ID number, which is all the proxy reads of it. */
const [PROFILE_BEFORE, PROFILE_AFTER] = profileQuery('\0').split('\0') as [string, string];

interface PageAnswer {
  data: { enterprises: { nodes: Array<{ legalRepresentative: Record<string, unknown> | null }> } };
}
interface EntitiesAnswer {
  data: { _entities: Array<Record<string, unknown>> };
}
type Marriages = Array<{ spouse: Record<string, unknown> | null }>;

async function main(): Promise<void> {
  const env = process.env;
  const urls = new Map((env['SUBGRAPH_URLS'] ?? '').split(',').map((entry) => entry.split('=') as [string, string]));
  const sign = await createSubgraphTokenSigner({ signingKeyFile: env['SIGNING_KEY_FILE']!, ttlSeconds: 600 });
  const caller = { app: env['APP']!, purpose: env['PURPOSE']!, requestId: 'bench' };
  const pools = new Map([...urls].map(([name, url]) => [name, { pool: new Pool(new URL(url).origin), path: new URL(url).pathname }]));

  const call = async (department: string, body: string): Promise<string> => {
    const { pool, path } = pools.get(department)!;
    const response = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': caller.requestId, authorization: `Bearer ${await sign(caller, department)}` }, body });
    return response.body.text();
  };
  /** One `_entities` call for `selection` of each Person reference in `persons`, answering in their order. */
  const entities = async (department: string, selection: string, persons: unknown[]): Promise<Array<Record<string, unknown>>> =>
    (JSON.parse(await call(department, JSON.stringify({ query: entitiesCall(selection), variables: { representations: persons } }))) as EntitiesAnswer).data._entities;
  /** Public-security's fields for Person references, in place of the references' own key fields. */
  const fillInPersons = async (references: Array<Record<string, unknown>>, selection: string): Promise<void> => {
    const persons = await entities('public-security', selection, references);
    references.forEach((reference, i) => {
      delete reference['__typename'];
      delete reference['idNumber'];
      Object.assign(reference, persons[i]);
    });
  };

  const page = async (): Promise<string> => {
    const answer = JSON.parse(await call('market-regulation', PAGE_CALL)) as PageAnswer;
    await fillInPersons(answer.data.enterprises.nodes.map((n) => n.legalRepresentative).filter((r) => r !== null), 'name phone');
    return JSON.stringify(answer);
  };

  const profile = async (idNumber: string): Promise<string> => {
    const answer = JSON.parse(await call('public-security', PERSON_CALL(idNumber))) as { data: { person: Record<string, unknown> | null } };
    const person = answer.data.person;
    if (person === null) return JSON.stringify(answer);
    delete person['__typename'];
    delete person['idNumber'];
    const part = async (department: string, selection: string) => (await entities(department, selection, [{ __typename: 'Person', idNumber }]))[0];
    const withSpouseNames = async (marital: Record<string, unknown> | undefined) => {
      const spouses = ((marital?.['marriages'] ?? []) as Marriages).map((m) => m.spouse).filter((s) => s !== null);
      if (spouses.length > 0) await fillInPersons(spouses, 'name');
      return marital;
    };
    const parts = await Promise.all([
      part('service-hall', 'applications{id status}'),
      part('market-regulation', 'enterprises{name status}'),
      part('civil-affairs', 'maritalStatus marriages{kind spouse{__typename idNumber}}').then(withSpouseNames),
    ]);
    for (const found of parts) Object.assign(person, found);
    return JSON.stringify(answer);
  };

  const respond = (body: string): Promise<string> => {
    const query = (JSON.parse(body) as { query?: string }).query ?? '';
    if (query === PAGE_QUERY) return page();
    if (query === SCREEN_QUERY) return call('city-operations', body);
    if (query.startsWith(PROFILE_BEFORE) && query.endsWith(PROFILE_AFTER)) return profile(query.slice(PROFILE_BEFORE.length, -PROFILE_AFTER.length));
    return call('market-regulation', body);
  };

  createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(200).end('ready');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve(Buffer.concat(chunks).toString())
        .then(respond)
        .then(
          (text) => res.writeHead(200, { 'content-type': 'application/json' }).end(text),
          () => res.writeHead(502).end(),
        );
    });
  }).listen(Number(env['PORT']), '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * A reference, not a gateway: about the least work a Node gateway that calls the departments for every
 * request could do for two of the benchmark's queries, to show what the machine allows. It reads the
 * client's JSON body only to tell the page from the rest; it never parses or validates the operation,
 * plans, checks or records anything. The enterprise page is answered by a plan written out by hand (the
 * page from market-regulation, then one `_entities` call to public-security for the representatives,
 * merged in place); every other body is passed through to market-regulation unread, as the
 * single-department lookup needs. Signs its department calls as bare @apollo/gateway does.
 * Run by compare-gateways.ts: PORT, SUBGRAPH_URLS, SIGNING_KEY_FILE, APP, PURPOSE.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { PAGE_QUERY } from './agreement';

/** The two department calls written out for the page. */
const PAGE_CALL = JSON.stringify({ query: '{enterprises(first:100){nodes{creditCode name status legalRepresentative{__typename idNumber}licences{kind number validUntil}}}}' });
const REPRESENTATIVES_CALL = 'query($representations:[_Any!]!){_entities(representations:$representations){...on Person{name phone}}}';

interface PageAnswer {
  data: { enterprises: { nodes: Array<{ legalRepresentative: Record<string, unknown> | null }> } };
}

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

  const page = async (): Promise<string> => {
    const answer = JSON.parse(await call('market-regulation', PAGE_CALL)) as PageAnswer;
    const representatives = answer.data.enterprises.nodes.map((n) => n.legalRepresentative).filter((r) => r !== null);
    const persons = JSON.parse(await call('public-security', JSON.stringify({ query: REPRESENTATIVES_CALL, variables: { representations: representatives } }))) as { data: { _entities: Array<Record<string, unknown>> } };
    representatives.forEach((representative, i) => {
      delete representative['__typename'];
      delete representative['idNumber'];
      Object.assign(representative, persons.data._entities[i]);
    });
    return JSON.stringify(answer);
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
        .then((body) => ((JSON.parse(body) as { query?: string }).query === PAGE_QUERY ? page() : call('market-regulation', body)))
        .then(
          (answer) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer),
          () => res.writeHead(502).end(),
        );
    });
  }).listen(Number(env['PORT']), '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * What a front-end client meets, against the real gateway and departments: automatic persisted queries as
 * Apollo's protocol has them (a miss is PERSISTED_QUERY_NOT_FOUND, the retry with the text is checked like
 * any request, a contract that registers its operations still refuses the others); GET queries behind the
 * preflight header; refusals in the content type the client's Accept prefers; PURPOSE_REQUIRED as one
 * error per set of purposes, naming them. Every request leaves exactly one audit record.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, LIMITED_APP, PERSISTED_APP, PERSISTED_OPERATION, TEST_WORLD, startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const persisted = (text: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(text) } });

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }> };
}

/** Sends a request to /graphql as an app (its token, for its operator if given; its purpose if given) and reads the JSON answer. */
async function send(
  app: string,
  request: { method?: 'GET' | 'POST'; body?: unknown; rawBody?: string; search?: Record<string, unknown>; headers?: Record<string, string>; purpose?: string; operator?: string },
): Promise<Answer> {
  const token = await graph.token({ app, ...(request.operator !== undefined && { operator: request.operator }) });
  const url = new URL(graph.gateway.url);
  for (const [name, value] of Object.entries(request.search ?? {})) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  const method = request.method ?? 'POST';
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' && { 'content-type': 'application/json' }),
      ...(request.purpose && { 'x-purpose': request.purpose }),
      ...request.headers,
    },
    ...(method === 'POST' && { body: request.rawBody ?? JSON.stringify(request.body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

async function recordsOf(answer: Answer): Promise<AuditRecord[]> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    return (await store.recordsAfter(0, 1_000_000)).filter((r) => r.requestId === answer.headers.get('x-request-id'));
  } finally {
    await store.close();
  }
}

const codes = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.['code']);

describe('automatic persisted queries (APQ)', () => {
  const query = '{ serviceItems { code name } }';

  test('an unknown hash is PERSISTED_QUERY_NOT_FOUND with HTTP 200, on the record once as INVALID; the retry with the text runs; then the hash alone does', async () => {
    const miss = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, body: { extensions: persisted(query) } });
    expect(miss.status).toBe(200);
    expect(miss.body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    // The answer stays uncacheable, whatever Apollo Server would set on a miss.
    expect(miss.headers.get('cache-control')).toBe('no-store');
    const [record, ...others] = await recordsOf(miss);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ app: EVERYTHING_APP, decision: 'INVALID', outcome: 'error', errorCodes: ['PERSISTED_QUERY_NOT_FOUND'], fields: [] });

    const retry = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, body: { query, extensions: persisted(query) } });
    expect(retry.status).toBe(200);
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.serviceItems.length).toBeGreaterThan(0);

    const hit = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, body: { extensions: persisted(query) } });
    expect(hit.body).toEqual(retry.body);
    expect(await recordsOf(hit)).toMatchObject([{ decision: 'PERMIT', operationHash: sha256(query), fields: ['Query.serviceItems', 'ServiceItem.code', 'ServiceItem.name'] }]);
  });

  test('the hash alone is checked like the text: under the contract of the app that sends it', async () => {
    const text = '{ enterprises(first: 1) { nodes { name legalRepresentative { name } } } }';
    expect((await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, body: { query: text, extensions: persisted(text) } })).status).toBe(200);
    // Another app's texts are not found for it: it sends its own, and gets its own contract's answer.
    const other = await send('market-supervision', { body: { extensions: persisted(text) } });
    expect(codes(other)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send('market-supervision', { body: { query: text, extensions: persisted(text) } })).status).toBe(403);
    const hit = await send('market-supervision', { body: { extensions: persisted(text) } });
    expect(hit.status).toBe(403);
    expect(codes(hit)).toEqual(['PURPOSE_REQUIRED']);
    expect(await recordsOf(hit)).toMatchObject([{ app: 'market-supervision', decision: 'DENY' }]);
  });

  test('two citizens of one portal: B’s hash stays unknown after A sent the text, so B learns nothing of what A asked', async () => {
    const [a, b] = buildWorld(TEST_WORLD).persons.map((p) => p.idNumber);
    const text = `{ person(idNumber: "${a}") { name } }`;
    const portal = (operator: string, body: unknown) => send('oneservice-portal', { purpose: 'SELF_SERVICE', operator, body });
    expect(codes(await portal(b!, { extensions: persisted(text) }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const sent = await portal(a!, { query: text, extensions: persisted(text) });
    expect(sent.status).toBe(200);
    expect(sent.body.data.person.name).toEqual(expect.any(String));
    // Before the fix B's second try ran A's text (and was refused as not B's own data): a hit told B that someone sent it.
    const again = await portal(b!, { extensions: persisted(text) });
    expect(again.body).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });
    expect(await recordsOf(again)).toMatchObject([{ app: 'oneservice-portal', decision: 'INVALID', errorCodes: ['PERSISTED_QUERY_NOT_FOUND'], fields: [] }]);
    // A's own next request finds A's text.
    expect((await portal(a!, { extensions: persisted(text) })).body).toEqual(sent.body);
  });

  test('a hash that is not the text’s is BAD_REQUEST (400), not an internal error', async () => {
    const wrong = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, body: { query, extensions: persisted('{ serviceItems { code } }') } });
    expect(wrong.status).toBe(400);
    expect(codes(wrong)).toEqual(['BAD_REQUEST']);
    expect(await recordsOf(wrong)).toMatchObject([{ decision: 'INVALID' }]);
  });

  test('a GET carries the hash in the query string, with the preflight header', async () => {
    const text = '{ serviceItems { code } }';
    const headers = { 'apollo-require-preflight': 'true' };
    expect(codes(await send(EVERYTHING_APP, { method: 'GET', purpose: EVERYTHING_PURPOSE, headers, search: { extensions: persisted(text) } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send(EVERYTHING_APP, { method: 'GET', purpose: EVERYTHING_PURPOSE, headers, search: { query: text, extensions: persisted(text) } })).status).toBe(200);
    const hit = await send(EVERYTHING_APP, { method: 'GET', purpose: EVERYTHING_PURPOSE, headers, search: { extensions: persisted(text) } });
    expect(hit.status).toBe(200);
    expect(hit.body.data.serviceItems.length).toBeGreaterThan(0);
  });

  test('a contract with persistedOnly still refuses what it has not registered, hash or text', async () => {
    const unregistered = '{ serviceItems { code name } }';
    expect(codes(await send(PERSISTED_APP, { body: { extensions: persisted(unregistered) } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const retry = await send(PERSISTED_APP, { body: { query: unregistered, extensions: persisted(unregistered) } });
    expect(retry.status).toBe(403);
    expect(retry.body.errors![0]).toMatchObject({ message: expect.stringMatching(/only its registered operations/), extensions: { code: 'FORBIDDEN' } });
    // Its text is now held for the app, and still refused when the hash comes alone.
    const hit = await send(PERSISTED_APP, { body: { extensions: persisted(unregistered) } });
    expect(hit.status).toBe(403);
    expect(await recordsOf(hit)).toMatchObject([{ decision: 'DENY', rule: expect.stringMatching(/^persisted operations:/) }]);

    // Its registered operation goes through the same protocol.
    expect(codes(await send(PERSISTED_APP, { body: { extensions: persisted(PERSISTED_OPERATION) } }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect((await send(PERSISTED_APP, { body: { query: PERSISTED_OPERATION, extensions: persisted(PERSISTED_OPERATION) } })).status).toBe(200);
    const registered = await send(PERSISTED_APP, { body: { extensions: persisted(PERSISTED_OPERATION) } });
    expect(registered.status).toBe(200);
    expect(registered.body.data.serviceItems.length).toBeGreaterThan(0);
  });
});

describe('GET queries', () => {
  const search = { query: '{ serviceItems { code } }' };

  test('with apollo-require-preflight or x-apollo-operation-name a GET query is answered', async () => {
    const preflightHeaders: Array<Record<string, string>> = [{ 'apollo-require-preflight': 'true' }, { 'x-apollo-operation-name': 'Catalogue' }];
    for (const headers of preflightHeaders) {
      const answer = await send(EVERYTHING_APP, { method: 'GET', purpose: EVERYTHING_PURPOSE, headers, search });
      expect(answer.status).toBe(200);
      expect(answer.body.data.serviceItems.length).toBeGreaterThan(0);
    }
  });

  test('without either header it is refused as a possible CSRF (400), on the record once', async () => {
    const refused = await send(EVERYTHING_APP, { method: 'GET', purpose: EVERYTHING_PURPOSE, search });
    expect(refused.status).toBe(400);
    expect(codes(refused)).toEqual(['BAD_REQUEST']);
    expect(refused.body.errors![0]!.message).toMatch(/Cross-Site Request Forgery/);
    const [record, ...others] = await recordsOf(refused);
    expect(others).toEqual([]);
    expect(record).toMatchObject({ app: EVERYTHING_APP, decision: 'INVALID', outcome: 'error', errorCodes: ['BAD_REQUEST'] });
  });
});

describe('refusals in the type the Accept header prefers', () => {
  const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
  const JSON_TYPE = 'application/json; charset=utf-8';
  const accepts: Array<[string, string | undefined, string]> = [
    ['no Accept', undefined, JSON_TYPE],
    ['application/json', 'application/json', JSON_TYPE],
    ['application/graphql-response+json', 'application/graphql-response+json', GRAPHQL_RESPONSE],
    ["Apollo Client's default", 'application/graphql-response+json,application/json;q=0.9', GRAPHQL_RESPONSE],
    ['both, JSON first', 'application/json, application/graphql-response+json', JSON_TYPE],
    ['anything', '*/*', JSON_TYPE],
  ];
  const withAccept = (accept: string | undefined): Record<string, string> => (accept === undefined ? {} : { accept });

  test.each(accepts)('401 with %s', async (_name, accept, type) => {
    const response = await fetch(graph.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...withAccept(accept) }, body: '{"query":"{ serviceItems { code } }"}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe(type);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  test.each(accepts)('413 with %s', async (_name, accept, type) => {
    const answer = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, headers: withAccept(accept), rawBody: JSON.stringify({ query: `{ serviceItems { code } } # ${'x'.repeat(1_100_000)}` }) });
    expect(answer.status).toBe(413);
    expect(answer.headers.get('content-type')).toBe(type);
    expect(codes(answer)).toEqual(['LIMIT_EXCEEDED']);
  });

  test('a refusal GraphQL writes (403) and one the gateway writes (400 bad JSON) answer the same Accept alike', async () => {
    const accept = 'application/graphql-response+json,application/json;q=0.9';
    const byGraphql = await send('market-supervision', { headers: { accept }, body: { query: '{ enterprises(first: 1) { nodes { legalRepresentative { name } } } }' } });
    const byGateway = await send(EVERYTHING_APP, { headers: { accept }, rawBody: '{"query": ' });
    expect([byGraphql.status, byGateway.status]).toEqual([403, 400]);
    expect(byGraphql.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
    expect(byGateway.headers.get('content-type')).toBe(GRAPHQL_RESPONSE);
  });

  test('an Accept that allows no JSON is refused 406, in application/json so that it can still be read', async () => {
    const answer = await send(EVERYTHING_APP, { purpose: EVERYTHING_PURPOSE, headers: { accept: 'text/html' }, body: { query: '{ serviceItems { code } }' } });
    expect(answer.status).toBe(406);
    expect(answer.headers.get('content-type')).toBe(JSON_TYPE);
  });

  test('429 honours Accept too', async () => {
    // Budgets are counted per fixed minute: the sequence starts well inside one (the contract allows 5 requests).
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 100));
    const catalogue = { query: '{ serviceItems { code } }' };
    for (let i = 0; i < 5; i++) expect((await send(LIMITED_APP, { body: catalogue })).status).toBe(200);
    for (const [, accept, type] of accepts) {
      const refused = await send(LIMITED_APP, { headers: withAccept(accept), body: catalogue });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe(type);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(codes(refused)).toEqual(['RATE_LIMITED']);
    }
  });
});

describe('PURPOSE_REQUIRED names the purposes, once for the fields they would grant', () => {
  const query = '{ enterprises(first: 1) { nodes { name legalRepresentative { name idNumber } } } }';
  const refusal = {
    extensions: {
      code: 'PURPOSE_REQUIRED',
      purposes: ['LEGAL_REPRESENTATIVE_CHECK'],
      coordinates: expect.arrayContaining(['Enterprise.legalRepresentative', 'Person.name', 'Person.idNumber']),
      paths: expect.arrayContaining([
        ['enterprises', 'nodes', 'legalRepresentative'],
        ['enterprises', 'nodes', 'legalRepresentative', 'name'],
        ['enterprises', 'nodes', 'legalRepresentative', 'idNumber'],
      ]),
    },
  };

  test('three fields needing one purpose: one error (403), and the purpose it names opens them', async () => {
    const refused = await send('market-supervision', { body: { query } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toHaveLength(1);
    const error = refused.body.errors![0]!;
    // The message lists the fields in the order the gate met them; the extensions are what a client reads.
    expect(error).toMatchObject({ ...refusal, message: expect.stringMatching(/^Not allowed: .+ are shared conditionally: state a purpose of the grant in X-Purpose \(LEGAL_REPRESENTATIVE_CHECK\)\.$/) });
    expect(error.extensions!['coordinates']).toHaveLength(3);
    expect(error.extensions!['paths']).toHaveLength(3);
    expect(error.path).toBeUndefined();
    const granted = await send('market-supervision', { purpose: error.extensions!['purposes'][0], body: { query } });
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data.enterprises.nodes[0].legalRepresentative.name).toMatch(/\*/);
  });

  test('in filter mode the granted fields are served beside the same one error', async () => {
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const token = await graph.token({ app: 'market-supervision' });
    const response = await fetch(filtering.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as Answer['body'];
    expect(response.status).toBe(200);
    expect(body.data.enterprises.nodes[0].name).toEqual(expect.any(String));
    expect(body.data.enterprises.nodes[0].legalRepresentative).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ extensions: refusal.extensions });
  });
});

/**
 * The same gateway over another deployment's supergraph and contracts, unchanged: through the gates, with
 * a contract that grants everything, every federation feature gives exactly what a bare @apollo/gateway
 * gives; with a narrower contract, the rules apply as they do for the reference departments.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type RunningGateway } from '../gateway/server';
import { ensureDevKeys } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { startBareGateway } from './support/foreign-graph';
import { gatewayConfigFor, readCounter } from './support/graph';
import { LIBRARY, startLibrary, type Library } from './support/library';

let library: Library;
let govgraph: RunningGateway;
let bare: { url: string; stop(): Promise<void> };
let issuerKey: string;
let dir: string;

beforeAll(async () => {
  library = await startLibrary();
  dir = mkdtempSync(join(tmpdir(), 'govgraph-library-'));
  const keys = await ensureDevKeys(dir);
  issuerKey = keys.appIssuerPrivate;
  const supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, library.supergraph);
  govgraph = await startGateway(
    { ...gatewayConfigFor(keys, {}, join(LIBRARY, 'contracts')), supergraphFile, platformFile: join(LIBRARY, 'platform.yaml') },
    { processMetrics: false, logger: (await import('pino')).default({ level: 'silent' }) },
  );
  bare = await startBareGateway(library.supergraph);
});

afterAll(async () => {
  await govgraph.stop();
  await bare.stop();
  await library.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, query: string, variables?: object, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

async function asApp(app: string, query: string, variables?: object, purpose?: string) {
  const token = await mintAppToken(issuerKey, { app });
  return post(govgraph.url, query, variables, { authorization: `Bearer ${token}`, ...(purpose && { 'x-purpose': purpose }) });
}

// Every row has three entries: jest would take a missing third argument for a done callback.
const PARITY: Array<[string, string, object]> = [
  ['interfaces, inline fragments, @provides, @requires, @override, @interfaceObject',
    '{ media { __typename id title rating ... on Book { isbn author { name born } summary reviewCount } ... on Film { director } } }', {}],
  ['a union with aliases', '{ search(term: "*") { ... on Book { bookTitle: title } ... on Film { filmTitle: title director } } }', {}],
  ['@include and @skip', 'query($x: Boolean!) { book(id: "b1") { title isbn @include(if: $x) author @skip(if: $x) { name } } }', { x: true }],
  ['@include and @skip, the other way', 'query($x: Boolean!) { book(id: "b1") { title isbn @include(if: $x) author @skip(if: $x) { name } } }', { x: false }],
  ['named fragments', 'fragment B on Book { title author { ...A } } fragment A on Author { name born } { book(id: "b2") { ...B } films { title } }', {}],
];

test.each(PARITY)('same data as a bare gateway: %s', async (_name, query, variables) => {
  const expected = await post(bare.url, query, variables);
  expect(expected.body.errors).toBeUndefined();
  const actual = await asApp('reader', query, variables, 'READ');
  expect(actual.body).toEqual(expected.body);
});

test('an error a department gives for one entity of a list reaches the same path, with the other entities served', async () => {
  const query = '{ media { id ... on Book { author { name biography } } } }';
  const expected = await post(bare.url, query);
  const actual = await asApp('reader', query, undefined, 'READ');
  expect(actual.body.data).toEqual(expected.body.data);
  const described = (errors: any[] | undefined) => (errors ?? []).map((e) => [e.message, e.path, e.extensions?.code]);
  expect(described(actual.body.errors)).toEqual(described(expected.body.errors));
  expect(described(actual.body.errors)).toEqual([['This biography is withheld.', ['media', 1, 'author', 'biography'], 'FORBIDDEN']]);
});

test("the plans GovGraph's executor leaves (the data rewrites of @interfaceObject) run on Apollo's, the rest on GovGraph's", async () => {
  const metrics = new URL('/metrics', govgraph.url).href;
  expect(await readCounter(metrics, 'govgraph_gateway_operations_planned_total\\{executor="apollo"\\}')).toBeGreaterThanOrEqual(1);
  expect(await readCounter(metrics, 'govgraph_gateway_operations_planned_total\\{executor="govgraph"\\}')).toBeGreaterThanOrEqual(PARITY.length - 2);
});

test('a mutation the contract grants runs once, as it would without the gateway', async () => {
  const before = library.mutations();
  const actual = await asApp('reader', 'mutation { addBook(id: "b9", title: "西游记") { id title } }', undefined, 'READ');
  expect(actual.body).toEqual({ data: { addBook: { id: 'b9', title: '西游记' } } });
  expect(library.mutations()).toBe(before + 1);
});

test('a mutation the contract does not grant is refused whole and never runs', async () => {
  const before = library.mutations();
  const response = await asApp('browser', 'mutation { addBook(id: "b10", title: "水浒传") { id title } }');
  expect(response.status).toBe(403);
  expect(response.body.errors!.map((e) => e.extensions.coordinate)).toEqual(['Mutation.addBook']);
  expect(library.mutations()).toBe(before);
});

test.each([
  ['a field not granted, on an interface implementation', 'browser', '{ media { title ... on Book { isbn } } }', undefined, 'Book.isbn', 'FORBIDDEN'],
  ['a field its owner does not share', 'reader', '{ book(id: "b1") { author { homeAddress } } }', 'READ', 'Author.homeAddress', 'FORBIDDEN'],
  ['an undeclared field is conditional: it needs a purpose', 'reader', '{ films { title } }', undefined, 'Query.films', 'PURPOSE_REQUIRED'],
  ['every implementation of an interface field is checked', 'browser', '{ media { rating } }', undefined, 'Book.rating', 'FORBIDDEN'],
])('%s', async (_name, app, query, purpose, coordinate, code) => {
  const response = await asApp(app, query, undefined, purpose);
  expect(response.status).toBe(403);
  expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ extensions: expect.objectContaining({ code, coordinate }) })]));
});

test("introspection over interfaces and unions shows the app's own schema", async () => {
  const response = await asApp('browser', '{ media: __type(name: "Media") { fields { name } possibleTypes { name } } search: __type(name: "SearchResult") { name } }');
  expect(response.body.data.media).toEqual({ fields: [{ name: 'id' }, { name: 'title' }], possibleTypes: [{ name: 'Book' }, { name: 'Film' }] });
  expect(response.body.data.search).toBeNull();
});

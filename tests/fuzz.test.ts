/**
 * Fuzzing the running gateway (bounded): generated and mutated GraphQL documents, variables and raw JSON
 * bodies. Whatever arrives: no 5xx but the documented ones, a JSON answer with a catalogued code, nothing
 * internal leaked, the gateway still alive, and no data released without its audit record.
 */
import fc from 'fast-check';
import { AuditStore } from '../audit/audit-store';
import { verifyChain } from '../audit/verify-chain';
import { ERROR_CATALOGUE } from '../gateway/errors';
import { startGraph, trailKeys, type TestGraph } from './support/graph';

let graph: TestGraph;
let token: string;
beforeAll(async () => {
  graph = await startGraph();
  token = await graph.token();
});
afterAll(() => graph.stop());

const SEEDS = [
  '{ enterprises(first: 3, regionCode: "440000") { totalCount nodes { name legalRepresentative { name marriages { spouse { name } } } } } }',
  'query($id: IdNumber!) { person(idNumber: $id) { name household { address } applications { id status } } }',
  '{ cityEvents(first: 5) { nodes { id category grid { name } dispatches { department overdue } } } serviceItems { code } }',
  'mutation { reportEvent(input: { category: NOISE, source: CITIZEN, gridCode: "440106001001", description: "广场舞音响过大" }) { id status } }',
  'fragment E on Enterprise { name } { enterprises { nodes { ...E licences { kind } } } }',
];
const PIECES = ['{', '}', '(', ')', ':', '"', '...', '@include(if: true)', '$x', 'first: 101', 'first: -1', '__schema { types { name } }', 'riskRating', 'null', '\\u0000', '#', 'mutation', ','];

const mutatedDocument = fc
  .tuple(fc.constantFrom(...SEEDS), fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...PIECES)), { maxLength: 4 }))
  .map(([seed, edits]) =>
    edits.reduce((doc, [at, cut, piece]) => {
      const i = at % (doc.length + 1);
      return doc.slice(0, i) + piece + doc.slice(i + cut);
    }, seed),
  );

const STATUSES = new Set([200, 400, 401, 403, 405, 413, 415, 429]);
// Case-sensitive: ECONNREFUSED is a leak, EnterpriseConnection is not.
const LEAKS = /stacktrace|at \/|\.ts:\d|127\.0\.0\.1|SELECT |[Ss]qlite|SQLITE|ECONN[A-Z]/;
let withData = 0;

async function send(body: string): Promise<void> {
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'TEST' },
    body,
  });
  const text = await response.text();
  expect(STATUSES.has(response.status)).toBe(true);
  expect(text.match(LEAKS)?.[0]).toBeUndefined();
  const parsed = JSON.parse(text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> } | unknown[];
  for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
    const { data, errors } = result as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    if (data) withData += 1;
    for (const error of errors ?? []) {
      expect(Object.keys(ERROR_CATALOGUE)).toContain(error.extensions?.code);
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    }
  }
}

test('mutated documents with generated variables', async () => {
  await fc.assert(
    fc.asyncProperty(mutatedDocument, fc.option(fc.dictionary(fc.constantFrom('id', 'x', 'first'), fc.jsonValue()), { nil: undefined }), async (query, variables) => {
      await send(JSON.stringify({ query, variables }));
    }),
    { numRuns: 150 },
  );
});

test('arbitrary JSON and arbitrary text as the body', async () => {
  await fc.assert(fc.asyncProperty(fc.json(), async (body) => send(body)), { numRuns: 60 });
  await fc.assert(
    fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
      const response = await fetch(graph.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: text });
      expect(response.status).toBeLessThan(500);
      expect(await response.text()).not.toMatch(LEAKS);
    }),
    { numRuns: 60 },
  );
});

test('afterwards the gateway is alive, and every release of data was audited in a chain that verifies', async () => {
  expect((await fetch(new URL('/healthz', graph.gateway.url))).status).toBe(200);
  const store = await AuditStore.open({ kind: 'sqlite', file: `${graph.dataDir}/db/audit.sqlite` });
  try {
    const verification = await verifyChain(store, trailKeys(graph.keys));
    expect(verification).toMatchObject({ ok: true });
    const permitted = (await store.recordsAfter(0, 100000)).filter((r) => r.decision === 'PERMIT' || r.decision === 'PARTIAL').length;
    expect(permitted).toBeGreaterThanOrEqual(withData);
  } finally {
    await store.close();
  }
});

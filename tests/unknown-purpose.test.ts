/**
 * An X-Purpose the calling app's contract does not name is refused (400 BAD_USER_INPUT) with the app's
 * purposes in the message and in `extensions.purposes` — also when the operation reads only unconditional
 * data, which any purpose in force would open — before any department is called, and the request keeps its
 * one audit record, naming the app and the purpose it claimed.
 */
import { join } from 'node:path';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const MARKET = 'market-supervision';
const MARKET_PURPOSES = ['MARKET_INSPECTION', 'LEGAL_REPRESENTATIVE_CHECK', 'FOOD_SAFETY_CAMPAIGN_2025', 'LICENCE_ISSUING', 'CERTIFICATE_CHECK'];
/** Enterprise names are shared unconditionally: no purpose is needed to read them. */
const UNCONDITIONAL = '{ enterprises(first: 1) { nodes { name } } }';

async function recordOf(requestId: string): Promise<AuditRecord[]> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    return (await store.recordsAfter(0, 1_000_000)).filter((r) => r.requestId === requestId);
  } finally {
    await store.close();
  }
}

function expectUnknownPurpose(response: GraphQLResponse, app: string, purposes: string[]) {
  expect(response.status).toBe(400);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([
    { message: `The X-Purpose header names no purpose of ${app}: its contract's purposes are ${purposes.join(', ')}.`, extensions: { code: 'BAD_USER_INPUT', purposes } },
  ]);
}

test('unconditional data is read without a purpose and under any purpose of the app in force', async () => {
  for (const purpose of [undefined, 'MARKET_INSPECTION', 'LEGAL_REPRESENTATIVE_CHECK']) {
    const response = await graph.queryAs({ app: MARKET, ...(purpose && { purpose }) }, UNCONDITIONAL);
    expect(response.status).toBe(200);
    expect(response.body.data.enterprises.nodes).toHaveLength(1);
  }
});

test.each([
  ["another app's purpose", 'SELF_SERVICE'],
  ['a purpose no contract names', 'BROWSING'],
  ['a purpose that differs only in case', 'market_inspection'],
])('%s is refused on unconditional data, with the purposes of the app listed, and no department is called', async (_name, purpose) => {
  const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
  const response = await graph.queryAs({ app: MARKET, purpose }, UNCONDITIONAL);
  expectUnknownPurpose(response, MARKET, MARKET_PURPOSES);
  expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
});

test('an introspection query with an unknown purpose is refused too', async () => {
  expectUnknownPurpose(await graph.queryAs({ app: MARKET, purpose: 'SELF_SERVICE' }, '{ __schema { queryType { name } } }'), MARKET, MARKET_PURPOSES);
});

test('the refusal leaves exactly one audit record: the app, the purpose it claimed, INVALID, BAD_USER_INPUT', async () => {
  const response = await graph.queryAs({ app: 'oneservice-portal', purpose: 'MARKET_INSPECTION', operator: '11010519491231002X' }, '{ serviceItems { code } }');
  expectUnknownPurpose(response, 'oneservice-portal', ['SERVICE_CATALOGUE', 'SELF_SERVICE', 'CERTIFICATE_CHECK']);
  const records = await recordOf(response.headers.get('x-request-id')!);
  expect(records).toEqual([
    expect.objectContaining({ app: 'oneservice-portal', purpose: 'MARKET_INSPECTION', decision: 'INVALID', errorCodes: ['BAD_USER_INPUT'], fields: [], outcome: 'error' }),
  ]);
  // The operator is on the record as its HMAC, never raw.
  expect(records[0]!.operator).toMatch(/^[0-9a-f]{16,}$/);
});

test('an app without a contract is still refused by the gate (FORBIDDEN), whatever purpose it states', async () => {
  const response = await graph.queryAs({ app: 'no-such-app', purpose: 'ANYTHING' }, UNCONDITIONAL);
  expect(response.status).toBe(403);
  expect(response.body.errors!.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
});

/**
 * The gateway records what it did to the fields of each request: those released masked (with the mask),
 * those refused (with the code and the gate's reason), and the client the app named; the audit service
 * serves them back with the fields released. In reject mode a refusal releases nothing; in filter mode
 * the rest is released and the record says which were refused.
 */
import { join } from 'node:path';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';

const world = buildWorld(TEST_WORLD);
const enterprise = world.enterprises[5]!;
const auditor = { app: 'auditor', purpose: 'AUDIT_REVIEW' };
let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph?.stop();
});

async function recordOf(requestId: string | null, file = 'audit.sqlite'): Promise<AuditRecord> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', file) });
  try {
    return (await store.recordsAfter(0, 100_000)).find((r) => r.requestId === requestId)!;
  } finally {
    await store.close();
  }
}

async function served(requestId: string | null) {
  const { body } = await graph.queryAs(auditor, '{ auditRecords(app: "market-supervision", first: 20) { nodes { requestId client released masked { field mask } refused { field code reason } } } }');
  return (body.data.auditRecords.nodes as Array<{ requestId: string }>).find((r) => r.requestId === requestId);
}

test('a masked read names each masked field and its mask, and the client the app named', async () => {
  const token = await graph.token({ app: 'market-supervision' });
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'LEGAL_REPRESENTATIVE_CHECK', 'apollographql-client-name': 'inspection-app' },
    body: JSON.stringify({ query: `{ enterprise(creditCode: "${enterprise.creditCode}") { name legalRepresentative { name idNumber } } }` }),
  });
  expect(((await response.json()) as { errors?: unknown }).errors).toBeUndefined();
  const requestId = response.headers.get('x-request-id');
  expect(await recordOf(requestId)).toMatchObject({
    decision: 'PERMIT',
    client: 'inspection-app',
    masked: [
      { field: 'Person.idNumber', mask: 'ID_NUMBER' },
      { field: 'Person.name', mask: 'NAME' },
    ],
    refused: [],
  });
  expect(await served(requestId)).toEqual({
    requestId,
    client: 'inspection-app',
    released: ['Enterprise.legalRepresentative', 'Enterprise.name', 'Person.idNumber', 'Person.name', 'Query.enterprise', 'Query.enterprise(creditCode:)'],
    masked: [
      { field: 'Person.idNumber', mask: 'ID_NUMBER' },
      { field: 'Person.name', mask: 'NAME' },
    ],
    refused: [],
  });
});

test('a refusal in reject mode names each refused field and why, and releases nothing; a client name that is not a plain word is not kept', async () => {
  const token = await graph.token({ app: 'market-supervision' });
  const response = await fetch(graph.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'MARKET_INSPECTION', 'apollographql-client-name': world.persons[1]!.idNumber },
    body: JSON.stringify({ query: `{ enterprise(creditCode: "${enterprise.creditCode}") { name legalRepresentative { name } } }` }),
  });
  const requestId = response.headers.get('x-request-id');
  const record = await recordOf(requestId);
  expect(record).toMatchObject({ decision: 'DENY', masked: [] });
  expect(record).not.toHaveProperty('client');
  expect(record.refused!.map((r) => [r.field, r.code])).toEqual([
    ['Enterprise.legalRepresentative', 'PURPOSE_REQUIRED'],
    ['Person.name', 'PURPOSE_REQUIRED'],
  ]);
  expect(record.refused!.every((r) => r.reason.length > 0)).toBe(true);
  expect(await served(requestId)).toMatchObject({ client: null, released: [] });
});

test('in filter mode the record says which fields were refused, and the rest were released', async () => {
  const filtering = await graph.startGateway({ accessMode: 'filter' });
  const response = await graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION', url: filtering.url }, `{ enterprise(creditCode: "${enterprise.creditCode}") { name legalRepresentative { name } } }`);
  expect(response.body.data.enterprise.name).toBe(enterprise.name);
  const record = await recordOf(response.headers.get('x-request-id'), 'audit-1.sqlite');
  expect(record.decision).toBe('PARTIAL');
  expect(record.refused!.map((r) => r.field)).toEqual(['Enterprise.legalRepresentative', 'Person.name']);
  expect(record.fields).toEqual(expect.arrayContaining(['Enterprise.name', 'Enterprise.legalRepresentative', 'Person.name']));
});

/**
 * `@skip` / `@include` end to end (issue 19, item 2): one document with an optional part, the usual
 * front-end pattern. A part the request's variables switch off is not checked, not asked of any
 * department and not audited as read; a part switched on is checked exactly as without the condition;
 * the gate's remembered outcome never crosses from one value of the variable to the other; and the
 * spellings a client could use to get a field read while the gate thought it off are all refused.
 */
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { createSubjectHasher, readHmacKey } from '../audit/subject-hasher';
import { createAccessLog } from '../subgraphs/kit/access-log';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { join } from 'node:path';
import { startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let firm: { creditCode: string; representative: string };
const databases: Array<Kysely<unknown>> = [];

/** The example: the legal representative is an optional part, driven by `$withRepresentative`. */
const FIRM_QUERY = `query Firm($creditCode: CreditCode!, $withRepresentative: Boolean!) {
  enterprise(creditCode: $creditCode) {
    name
    legalRepresentative @include(if: $withRepresentative) { name idNumber }
  }
}`;
const INSPECTION = { app: 'market-supervision', purpose: 'MARKET_INSPECTION' };
const INVESTIGATION = { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK' };
const REPRESENTATIVE_FIELDS = ['Enterprise.legalRepresentative', 'Person.idNumber', 'Person.name'];

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query('{ enterprises(regionCode: "440100", first: 1) { nodes { creditCode name legalRepresentative { idNumber } } } }');
  const [node] = body.data.enterprises.nodes;
  firm = { creditCode: node.creditCode, representative: node.legalRepresentative.idNumber };
});
afterAll(async () => {
  for (const db of databases) await db.destroy();
  await graph.stop();
});

const ask = (caller: { app: string; purpose: string }, withRepresentative: boolean, text = FIRM_QUERY) =>
  graph.queryAs(caller, text, { creditCode: firm.creditCode, withRepresentative });
const requestIdOf = (response: GraphQLResponse) => response.headers.get('x-request-id')!;
const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.['code']);

async function recordOf(response: GraphQLResponse): Promise<AuditRecord> {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    const mine = (await store.recordsAfter(0, 1_000_000)).filter((r) => r.requestId === requestIdOf(response));
    expect(mine).toHaveLength(1);
    return mine[0]!;
  } finally {
    await store.close();
  }
}

/** The fields each department's own access log says it judged for the request (departments it did not reach: none). */
async function departmentsAsked(response: GraphQLResponse): Promise<Record<string, string[]>> {
  const asked: Record<string, string[]> = {};
  for (const department of ['market-regulation', 'public-security']) {
    const db = openDatabase<unknown>({ location: { kind: 'sqlite', file: sqliteFileFor(graph.dataDir, department) } });
    databases.push(db);
    const lines = await createAccessLog(db).read({ requestId: requestIdOf(response) }, 0, 10);
    if (lines.length > 0) asked[department] = [...new Set(lines.flatMap((l) => l.fields))].sort();
  }
  return asked;
}

describe("the issue's example: market-supervision's one document with an optional legal representative", () => {
  test('under MARKET_INSPECTION with the part off: the data, nothing refused', async () => {
    const response = await ask(INSPECTION, false);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { enterprise: { name: expect.any(String) } } });
  });

  test('under MARKET_INSPECTION with the part on: PURPOSE_REQUIRED, as the same document without the condition', async () => {
    const response = await ask(INSPECTION, true);
    expect(response.status).toBe(403);
    expect(response.body.data).toBeUndefined();
    expect(new Set(codes(response))).toEqual(new Set(['PURPOSE_REQUIRED']));
    const plain = await graph.queryAs(INSPECTION, FIRM_QUERY.replace(' @include(if: $withRepresentative)', '').replace(', $withRepresentative: Boolean!', ''), { creditCode: firm.creditCode });
    expect(response.body.errors).toEqual(plain.body.errors);
  });

  test('under LEGAL_REPRESENTATIVE_CHECK with the part on: the representative, masked', async () => {
    const response = await ask(INVESTIGATION, true);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.enterprise.legalRepresentative.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(response.body.data.enterprise.legalRepresentative.idNumber).not.toBe(firm.representative);
  });

  test("the audit record of the part off names neither the representative's fields nor the representative", async () => {
    const hash = createSubjectHasher(readHmacKey(graph.keys.auditHmacKey, false));
    const off = await recordOf(await ask(INSPECTION, false));
    expect(off).toMatchObject({ decision: 'PERMIT', outcome: 'ok', fields: ['Enterprise.name', 'Query.enterprise', 'Query.enterprise(creditCode:)'] });
    expect(off.subjects).toEqual([hash(firm.creditCode)]);
    const on = await recordOf(await ask(INVESTIGATION, true));
    expect(on.fields).toEqual(expect.arrayContaining(REPRESENTATIVE_FIELDS));
    expect([...on.subjects].sort()).toEqual([hash(firm.creditCode), hash(firm.representative)].sort());
  });

  test("the departments' own access logs: with the part off, none was asked for it", async () => {
    const off = await departmentsAsked(await ask(INSPECTION, false));
    expect(Object.keys(off)).toEqual(['market-regulation']);
    expect(off['market-regulation']).not.toContain('Enterprise.legalRepresentative');
    expect(off['market-regulation']).toContain('Enterprise.name');
    const on = await departmentsAsked(await ask(INVESTIGATION, true));
    expect(on['market-regulation']).toContain('Enterprise.legalRepresentative');
    expect(on['public-security']).toContain('Person.name');
    // Refused at the gateway: no department is asked at all.
    expect(await departmentsAsked(await ask(INSPECTION, true))).toEqual({});
  });

  test('the remembered gate outcome does not cross between the two values, in either order', async () => {
    // Each text is a document of its own at the gateway, so each sequence starts with nothing remembered.
    for (const [name, order] of [['off first', [false, true, false, true]], ['on first', [true, false, true, false]]] as const) {
      const text = `${FIRM_QUERY} # ${name}`;
      for (const on of order) {
        const response = await ask(INSPECTION, on, text);
        expect([name, on, response.status]).toEqual([name, on, on ? 403 : 200]);
        expect([name, on, codes(response)]).toEqual([name, on, on ? ['PURPOSE_REQUIRED'] : []]);
      }
    }
  });
});

describe('in filter mode', () => {
  test('the part off answers whole; the part on answers without it, refused where it was asked', async () => {
    const filtering = await graph.startGateway({ accessMode: 'filter' });
    const ask = (withRepresentative: boolean) => graph.queryAs({ ...INSPECTION, url: filtering.url }, FIRM_QUERY, { creditCode: firm.creditCode, withRepresentative });
    const off = await ask(false);
    expect(off.body).toEqual({ data: { enterprise: { name: expect.any(String) } } });
    const on = await ask(true);
    expect(on.body.data).toEqual(off.body.data);
    expect(on.body.errors!.map((e) => e.extensions?.['code'])).toEqual(['PURPOSE_REQUIRED']);
    expect((on.body.errors![0]!.extensions?.['paths'] as string[][]).map((p) => p.join('.'))).toContain('enterprise.legalRepresentative');
    expect((await ask(false)).body.errors).toBeUndefined();
  });
});

describe('variables as the executor reads them', () => {
  const DEFAULTED = `query($creditCode: CreditCode!, $withRepresentative: Boolean = false) {
    enterprise(creditCode: $creditCode) { name legalRepresentative @include(if: $withRepresentative) { name } }
  }`;

  test('a variable left out takes its default: off here, and the part is not checked', async () => {
    const response = await graph.queryAs(INSPECTION, DEFAULTED, { creditCode: firm.creditCode });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ enterprise: { name: expect.any(String) } });
    expect((await graph.queryAs(INSPECTION, DEFAULTED, { creditCode: firm.creditCode, withRepresentative: true })).status).toBe(403);
  });

  test('an explicit null for it is refused BAD_USER_INPUT (graphql-js could not decide it either), recorded INVALID', async () => {
    const response = await graph.queryAs(INSPECTION, DEFAULTED, { creditCode: firm.creditCode, withRepresentative: null });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(await recordOf(response)).toMatchObject({ decision: 'INVALID', fields: [], subjects: [] });
  });

  test('a required one left out is refused before the gate, as any missing variable', async () => {
    const response = await graph.queryAs(INSPECTION, FIRM_QUERY, { creditCode: firm.creditCode });
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('no spelling gets a field read while the gate thought it off', () => {
  const REP = 'fragment Rep on Enterprise { legalRepresentative { name } }';
  test.each([
    ['the same field selected again without the condition', 'legalRepresentative @include(if: $off) { name } legalRepresentative { name }', ''],
    ['the condition on one fragment spread, the fragment spread again without it', '...Rep @include(if: $off) ...Rep', REP],
    ['the condition on an inline fragment, the field again inside another', '... @skip(if: true) { legalRepresentative { name } } ... on Enterprise { legalRepresentative { name } }', ''],
    ['the condition on the field inside a fragment, the field again beside the spread', '...Rep legalRepresentative { phone }', REP.replace('legalRepresentative {', 'legalRepresentative @skip(if: true) {')],
  ])('%s: refused PURPOSE_REQUIRED, no department asked', async (_name, selections, fragment) => {
    const text = `query($creditCode: CreditCode!, $off: Boolean! = false) { enterprise(creditCode: $creditCode) { name status @include(if: $off) ${selections} } } ${fragment}`;
    const response = await graph.queryAs(INSPECTION, text, { creditCode: firm.creditCode });
    expect(response.status).toBe(403);
    expect(codes(response)).toContain('PURPOSE_REQUIRED');
    expect(response.body.errors!.flatMap((e) => e.extensions?.['coordinates'] as string[])).toContain('Enterprise.legalRepresentative');
    expect(await departmentsAsked(response)).toEqual({});
  });

  test('every root field switched off: an empty answer, nothing asked of any department, a record that reads nothing', async () => {
    const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
    const response = await graph.queryAs(INSPECTION, `query($on: Boolean!) { enterprise(creditCode: "${firm.creditCode}") @include(if: $on) { name legalRepresentative { name } } }`, { on: false });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: {} });
    expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
    expect(await recordOf(response)).toMatchObject({ decision: 'PERMIT', fields: [], subjects: [] });
  });

  test('a field whose every sub-field is off still reads its row, answered with __typename and audited', async () => {
    const response = await graph.queryAs(INVESTIGATION, `query($creditCode: CreditCode!) { enterprise(creditCode: $creditCode) { name legalRepresentative { name @skip(if: true) } } }`, { creditCode: firm.creditCode });
    expect(response.body).toEqual({ data: { enterprise: { name: expect.any(String), legalRepresentative: { __typename: 'Person' } } } });
    const record = await recordOf(response);
    expect(record.fields).toContain('Enterprise.legalRepresentative');
    expect(record.fields).not.toContain('Person.name');
    expect(record.subjects).toHaveLength(2);
  });
});

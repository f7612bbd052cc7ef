/**
 * The trail is whole: every request to /graphql leaves exactly one record under its request id, whatever
 * happens to it — refused by the HTTP layer, by Apollo Server, by the gate — with a decision that says so;
 * the platform's own reads a request causes are records of their own marked with it as parent, and the
 * statistics count the request once; a mutation's intent is on the record before any department is
 * called, and a mutation whose intent cannot be written is refused.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { EVERYTHING_PURPOSE, TEST_WORLD, startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const auditFile = () => join(graph.dataDir, 'db', 'audit.sqlite');

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

async function records(): Promise<AuditRecord[]> {
  const store = await AuditStore.open({ kind: 'sqlite', file: auditFile() });
  try {
    return await store.recordsAfter(0, 1_000_000);
  } finally {
    await store.close();
  }
}

interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  path?: string;
}

/** Sends a raw HTTP request to the gateway: the status, and the request id it answered with. */
function send(sent: Sent): Promise<{ status: number; requestId: string | undefined; body: string }> {
  const url = new URL(sent.path ?? '/graphql', graph.gateway.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: sent.method ?? 'POST', headers: sent.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, requestId: res.headers['x-request-id'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(sent.body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };
const query = (text: string, extra: Record<string, unknown> = {}) => JSON.stringify({ query: text, ...extra });

/** What an app might send that never becomes a permitted operation: the request, and the status it must get. */
const refusals: Array<[string, Sent, number]> = [
  ['bad JSON', { headers: JSON_TYPE, body: '{"query": ' }, 400],
  ['an empty body', { headers: JSON_TYPE, body: '' }, 400],
  ['a JSON string body', { headers: JSON_TYPE, body: '"{ serviceItems { code } }"' }, 400],
  ['a JSON null body', { headers: JSON_TYPE, body: 'null' }, 400],
  ['a batch while batching is off', { headers: JSON_TYPE, body: `[${query('{ serviceItems { code } }')}]` }, 400],
  ['a CSRF-prone simple POST', { headers: { 'content-type': 'text/plain' }, body: query('{ serviceItems { code } }') }, 400],
  ['a GET query without a preflight header (CSRF)', { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ serviceItems { code } }')}` }, 400],
  ['a body over the limit (413)', { headers: JSON_TYPE, body: query(`{ serviceItems { code } } # ${'x'.repeat(1_100_000)}`) }, 413],
  ['an unsupported encoding (415)', { headers: { ...JSON_TYPE, 'content-encoding': 'br' }, body: query('{ serviceItems { code } }') }, 415],
  ['a gzip body that inflates past the limit', { headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(query(`{ serviceItems { code } } # ${' '.repeat(2_000_000)}`)) }, 413],
  ['a PUT (405)', { method: 'PUT', headers: JSON_TYPE, body: query('{ serviceItems { code } }') }, 405],
  ['a mutation sent with GET (405)', { method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { advanceApplication(id: "x", action: ACCEPT) { id } }')}`, headers: { 'apollo-require-preflight': '1' } }, 405],
  ['variables of the wrong type', { headers: JSON_TYPE, body: query('query($first: Int) { enterprises(first: $first) { nodes { name } } }', { variables: { first: 'many' } }) }, 400],
  ['variables that are not an object', { headers: JSON_TYPE, body: query('{ serviceItems { code } }', { variables: [1] }) }, 400],
  ['no query at all', { headers: JSON_TYPE, body: '{}' }, 400],
  ['invalid GraphQL', { headers: JSON_TYPE, body: query('{ serviceItems { code ') }, 400],
];

async function expectOneRefusalRecord(answer: { status: number; requestId: string | undefined }, sentId: string | undefined, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.requestId).toBeDefined();
  // The gateway names the request itself: an id the client sent is never taken (it could be another's).
  if (sentId !== undefined) expect(answer.requestId).not.toBe(sentId);
  const mine = (await records()).filter((r) => r.requestId === answer.requestId);
  expect(mine).toHaveLength(1);
  expect(mine[0]!.decision).not.toBe('PERMIT');
  expect(mine[0]!.outcome).toBe('error');
  expect(mine[0]!.parentRequestId).toBeUndefined();
  expect(mine[0]!.errorCodes.length).toBeGreaterThan(0);
  return mine[0]!;
}

describe('exactly one record per request, whatever happens to it', () => {
  test.each(refusals)('%s, with a valid token', async (_name, sent, status) => {
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token();
    const answer = await send({ ...sent, headers: { ...sent.headers, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId } });
    const record = await expectOneRefusalRecord(answer, requestId, status);
    expect(record.app).toBe('test-everything');
  });

  test.each(refusals)('%s, without a token', async (_name, sent) => {
    const requestId = `r-${randomUUID()}`;
    const answer = await send({ ...sent, headers: { ...sent.headers, 'x-request-id': requestId } });
    const record = await expectOneRefusalRecord(answer, requestId, 401);
    expect(record.decision).toBe('UNAUTHENTICATED');
  });

  test.each([
    ['several operations and no operationName', 'query A { serviceItems { code } } query B { serviceItems { name } }'],
    ['introspection mixed with data', '{ __schema { queryType { name } } serviceItems { code } }'],
    ['an operationName that names no operation', JSON.stringify({ query: 'query A { serviceItems { code } }', operationName: 'B' })],
  ])('%s is refused, with one record that is not PERMIT', async (_name, text) => {
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token();
    const body = text.startsWith('{"') ? text : query(text);
    const answer = await send({ headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId }, body });
    // Which 4xx the guard answers is the guard's (issue 17 item 1); here: refused, and on the record as such.
    expect(answer.status).toBeGreaterThanOrEqual(400);
    await expectOneRefusalRecord(answer, requestId, answer.status);
  });

  test('a subscription is refused with exactly one record', async () => {
    // What the guard decides for a subscription is its own part of issue 17 (item 1); the record is one.
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token();
    const answer = await send({ headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId }, body: query('subscription { serviceItems { code } }') });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect((await records()).filter((r) => r.requestId === answer.requestId)).toEqual([expect.objectContaining({ outcome: 'error' })]);
  });

  test('headers too large (431) are answered with a request id that has its one record', async () => {
    const token = await graph.token();
    const answer = await send({ headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-padding': 'x'.repeat(20_000) }, body: query('{ serviceItems { code } }') });
    const record = await expectOneRefusalRecord(answer, undefined, 431);
    expect(record.app).toBeNull();
  });

  test.each([
    ['text/html', 406],
    ['image/*, text/*', 406],
    ['application/json;q=0', 406],
    ['application/json; charset=latin1', 406],
    ['application/json;q=0, */*', 200],
    ['application/*', 200],
    ['application/json; charset=utf-8', 200],
    ['application/graphql-response+json', 200],
    ['text/html, application/json;q=0.1', 200],
  ])('Accept: %s is answered %i, and the record says the same (the operation is not run to be refused)', async (accept, status) => {
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token();
    const answer = await send({ headers: { ...JSON_TYPE, accept, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId }, body: query('{ serviceItems { code } }') });
    expect(answer.status).toBe(status);
    const mine = (await records()).filter((r) => r.requestId === answer.requestId);
    expect(mine).toEqual([expect.objectContaining({ decision: status === 200 ? 'PERMIT' : 'INVALID', outcome: status === 200 ? 'ok' : 'error' })]);
  });

  test('a permitted request has one record too, and its answer names it', async () => {
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token();
    const answer = await send({ headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId }, body: query('{ serviceItems { code } }') });
    expect(answer.status).toBe(200);
    expect(answer.requestId).not.toBe(requestId);
    expect((await records()).filter((r) => r.requestId === answer.requestId)).toEqual([expect.objectContaining({ decision: 'PERMIT', outcome: 'ok' })]);
  });
});

const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 25 && p.status === 'NORMAL');
const applicant = adults[3]!.idNumber;
const SUBMIT = 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }';
const submission = (idempotencyKey: string) => ({
  input: { itemCode: 'MZ-HYYY-005', applicant, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey },
});

/** Posts as the citizen's portal. */
async function submitAs(idempotencyKey: string) {
  const token = await graph.token({ app: 'oneservice-portal', operator: applicant });
  return send({
    headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': 'SELF_SERVICE' },
    body: JSON.stringify({ query: SUBMIT, variables: submission(idempotencyKey) }),
  });
}

/** Rows of a department's own database, read directly: what a mutation left behind. */
function rowsIn(department: string, sql: string, value: string): number {
  const db = new BetterSqlite3(sqliteFileFor(graph.dataDir, department), { readonly: true });
  try {
    return (db.prepare(sql).all(value) as unknown[]).length;
  } finally {
    db.close();
  }
}
const applicationsWithKey = (key: string) => rowsIn('service-hall', 'SELECT "id" FROM "application" WHERE "idempotencyKey" = ?', key);

/** Runs `act` while another connection holds the audit file's write lock: the trail cannot be written. */
async function withTrailLocked<T>(act: () => Promise<T>): Promise<T> {
  const blocker = new BetterSqlite3(auditFile());
  blocker.exec('BEGIN EXCLUSIVE');
  try {
    return await act();
  } finally {
    blocker.exec('ROLLBACK');
    blocker.close();
  }
}

async function requestsCounted(app: string): Promise<number> {
  const { body } = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, `{ auditStatistics(app: "${app}") { accessesPerAppDay { count } } }`);
  expect(body.errors).toBeUndefined();
  return body.data.auditStatistics.accessesPerAppDay.reduce((sum: number, d: { count: number }) => sum + d.count, 0);
}

describe('the reads a request causes are its children, counted once', () => {
  test('a batch (batching on): one record under its id, each operation its child', async () => {
    const batching = await graph.startGateway({ maxBatch: 3 });
    const requestId = `r-${randomUUID()}`;
    const response = await fetch(batching.url, {
      method: 'POST',
      headers: { ...JSON_TYPE, authorization: `Bearer ${await graph.token()}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-request-id': requestId },
      body: JSON.stringify([{ query: '{ serviceItems { code } }' }, { query: '{ enterprises(first: 1) { nodes { riskRating } } }' }]),
    });
    expect(((await response.json()) as unknown[]).length).toBe(2);
    const batchId = response.headers.get('x-request-id');
    await graph.stopExtraGateways();
    const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit-1.sqlite') });
    const all = await store.recordsAfter(0, 1000).finally(() => store.close());
    expect(all.filter((r) => r.requestId === batchId)).toEqual([expect.objectContaining({ outcome: 'pending', rule: expect.stringMatching(/batch of 2/) })]);
    const operations = all.filter((r) => r.parentRequestId === batchId);
    expect(operations.map((r) => r.decision).sort()).toEqual(['DENY', 'PERMIT']);
    expect(new Set(operations.map((r) => r.requestId)).size).toBe(2);
  });


  test('a case-bound read: one record under its id, the case lookup its child', async () => {
    const open = (await graph.query('{ applications(status: IN_PROGRESS, first: 1) { nodes { id } } }')).body.data.applications.nodes[0].id as string;
    const requestId = `r-${randomUUID()}`;
    const token = await graph.token({ app: 'crossprovince-desk' });
    const answer = await send({
      headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': 'CROSS_PROVINCE_CASE', 'x-case-id': open, 'x-request-id': requestId },
      body: query(`{ application(id: "${open}") { id status } }`),
    });
    expect(answer.status).toBe(200);
    const all = await records();
    expect(all.filter((r) => r.requestId === answer.requestId)).toEqual([expect.objectContaining({ app: 'crossprovince-desk', decision: 'PERMIT' })]);
    const children = all.filter((r) => r.parentRequestId === answer.requestId);
    expect(children).toEqual([expect.objectContaining({ app: 'govgraph-case-check', purpose: 'CASE_CHECK' })]);
    expect(children[0]!.requestId).not.toBe(answer.requestId);
  });

  test('submitApplication: its intent is its one record; the outcome, the prefill and its case lookup descend from it; the statistics count one request', async () => {
    const before = { portal: await requestsCounted('oneservice-portal'), hall: await requestsCounted('service-hall'), cases: await requestsCounted('govgraph-case-check') };
    const answer = await submitAs(`key-${randomUUID()}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.submitApplication.status).toMatch(/PRE_REVIEWED|RETURNED/);

    const all = await records();
    const own = all.filter((r) => r.requestId === answer.requestId);
    expect(own).toEqual([expect.objectContaining({ app: 'oneservice-portal', decision: 'PERMIT', outcome: 'pending', fields: expect.arrayContaining(['Mutation.submitApplication']) })]);
    expect(own[0]!.parentRequestId).toBeUndefined();
    const children = all.filter((r) => r.parentRequestId === answer.requestId);
    expect(children.map((r) => [r.app, r.purpose, r.outcome]).sort()).toEqual([
      ['oneservice-portal', 'SELF_SERVICE', 'ok'],
      ['service-hall', 'PREFILL', 'ok'],
    ]);
    // The intent comes first: it is written before any department is called.
    expect(Math.min(...children.map((r) => r.seq))).toBeGreaterThan(own[0]!.seq);
    const prefill = children.find((r) => r.app === 'service-hall')!;
    expect(all.filter((r) => r.parentRequestId === prefill.requestId)).toEqual([expect.objectContaining({ app: 'govgraph-case-check' })]);

    expect(await requestsCounted('oneservice-portal')).toBe(before.portal + 1);
    expect(await requestsCounted('service-hall')).toBe(before.hall);
    expect(await requestsCounted('govgraph-case-check')).toBe(before.cases);
  });

  test('the trail query shows the parent', async () => {
    const { body } = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditRecords(app: "service-hall", first: 1) { nodes { requestId parentRequestId } } }');
    expect(body.errors).toBeUndefined();
    const [node] = body.data.auditRecords.nodes;
    expect(node.parentRequestId).toEqual(expect.any(String));
    expect(node.parentRequestId).not.toBe(node.requestId);
  });

  test('an app cannot make its own requests disappear from the statistics by naming a parent', async () => {
    const before = await requestsCounted('test-everything');
    const token = await graph.token();
    const earlier = (await send({ headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE }, body: query('{ serviceItems { code } }') })).requestId!;
    const answer = await send({
      headers: { ...JSON_TYPE, authorization: `Bearer ${token}`, 'x-purpose': EVERYTHING_PURPOSE, 'x-parent-request-id': earlier },
      body: query('{ serviceItems { code } }'),
    });
    const mine = (await records()).filter((r) => r.requestId === answer.requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.parentRequestId).toBeUndefined();
    expect(await requestsCounted('test-everything')).toBe(before + 2);
  });
});

describe('a mutation is on the record before it takes effect', () => {
  test('with the trail unwritable, submitApplication is refused and no application is created; with it back, the same key submits', async () => {
    const key = `key-${randomUUID()}`;
    const callsBefore = await graph.subgraphCounter('govgraph_subgraph_requests_total');
    const refused = await withTrailLocked(() => submitAs(key));
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('AUDIT_UNAVAILABLE');
    expect(applicationsWithKey(key)).toBe(0);
    expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(callsBefore);

    const served = await submitAs(key);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.body).data.submitApplication.status).toMatch(/PRE_REVIEWED|RETURNED/);
    expect(applicationsWithKey(key)).toBe(1);
  });

  test('so is any other mutation, of another department: an event is not reported', async () => {
    const description = `trail-down-${randomUUID()}`;
    const report = () =>
      graph.queryAs({ app: 'city-ops-center', purpose: 'CITY_OPERATIONS' }, 'mutation($input: ReportEventInput!) { reportEvent(input: $input) { id } }', {
        input: { category: 'WORK_SAFETY', source: 'GRID_WORKER', gridCode: '440106001001', description },
      });
    const refused = await withTrailLocked(report);
    expect(refused.status).toBe(503);
    expect(refused.body.errors![0]!.extensions!['code']).toBe('AUDIT_UNAVAILABLE');
    const events = () => rowsIn('city-operations', 'SELECT "id" FROM "cityEvent" WHERE "description" = ?', description);
    expect(events()).toBe(0);
    expect((await report()).status).toBe(200);
    expect(events()).toBe(1);
  });
});

/**
 * Mutations and their results keep the access promise (issue 17, item 2 and its neighbours): idempotency
 * per caller, no operator → no one's data, a case is opened only by its applicant, mutation results are
 * gated and audited like query results, no raw identifier in the timeline, refusals that do not tell
 * whether a row exists, and an application stuck before its pre-review is finished on retry rather than
 * returned with an empty form.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 25 && p.status === 'NORMAL');
const [first, second, stranger, stuck] = [adults[1]!, adults[2]!, adults[3]!, adults[4]!];
const ID_NUMBER = /\d{17}[\dX]/;
const APPLICATION = 'id status form { key value source } timeline { action status }';
const SUBMIT = `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${APPLICATION} } }`;
const input = (applicant: string, idempotencyKey: string) => ({ itemCode: 'ZW-DZZZ-007', applicant, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey });
const portal = (operator?: string) => ({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', ...(operator !== undefined && { operator }) });

const applicationsOf = async (applicant: string) =>
  (await graph.query(`{ applications(applicant: "${applicant}") { totalCount } }`)).body.data.applications.totalCount as number;
const formName = (response: GraphQLResponse) => response.body.data.submitApplication.form.find((f: { key: string }) => f.key === 'name')?.value;
/** The audit records that name a subject, newest first. */
const recordsAbout = async (subject: string, app: string) =>
  (await graph.query(`{ auditRecords(subject: "${subject}", app: "${app}", first: 20) { nodes { requestId parentRequestId fields decision } } }`)).body.data.auditRecords.nodes as Array<{ requestId: string; parentRequestId: string | null; fields: string[]; decision: string }>;

/** The audit record of a response's request. */
const recordOf = async (response: GraphQLResponse) => {
  const nodes = (await graph.query(`{ auditRecords(app: "oneservice-portal", first: 50) { nodes { requestId decision rule } } }`)).body.data.auditRecords.nodes as Array<{ requestId: string; decision: string; rule: string }>;
  return nodes.find((r) => r.requestId === response.headers.get('x-request-id'));
};

describe('idempotency is per caller, and a stored result goes only to a caller who may read it', () => {
  test('two citizens with the same key each get their own application, and her record names her', async () => {
    const mine = await graph.queryAs(portal(first.idNumber), SUBMIT, { input: input(first.idNumber, 'shared-key-1') });
    expect(mine.body.errors).toBeUndefined();
    const hers = await graph.queryAs(portal(second.idNumber), SUBMIT, { input: input(second.idNumber, 'shared-key-1') });
    expect(hers.body.errors).toBeUndefined();
    expect(hers.body.data.submitApplication.id).not.toBe(mine.body.data.submitApplication.id);
    expect(formName(hers)).toBe(second.name);
    expect(JSON.stringify(hers.body)).not.toContain(first.name);
    const requestId = hers.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    const records = await recordsAbout(second.idNumber, 'oneservice-portal');
    // A mutation's outcome is recorded as a child of its intent, which carries the request's id.
    expect(records.find((r) => r.parentRequestId === requestId)).toMatchObject({ decision: 'PERMIT', fields: expect.arrayContaining(['Mutation.submitApplication']) });
    // The first citizen's key still returns her own application to her.
    const again = await graph.queryAs(portal(first.idNumber), SUBMIT, { input: input(first.idNumber, 'shared-key-1') });
    expect(again.body.data.submitApplication.id).toBe(mine.body.data.submitApplication.id);
  });
});

test('a client cannot name a field after what the result gate reads, so cannot forge an owner', async () => {
  const before = await applicationsOf(first.idNumber);
  const forged = await graph.queryAs(portal(first.idNumber), `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id __govgraph_owner: item { idNumber: code } } }`, {
    input: input(first.idNumber, 'forged-owner-1'),
  });
  expect(forged.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/reserved/), extensions: { code: 'BAD_USER_INPUT' } });
  expect(await applicationsOf(first.idNumber)).toBe(before);
  const key = await graph.queryAs(portal(first.idNumber), `{ ...P } fragment P on Query { person(idNumber: "${first.idNumber}") { __govgraph_key: name } }`);
  expect(key.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
});

describe('an operator-bound grant with no operator opens no one', () => {
  test('a portal token without an operator cannot submit for anyone, and nothing is created', async () => {
    const before = await applicationsOf(stranger.idNumber);
    const response = await graph.queryAs(portal(), SUBMIT, { input: input(stranger.idNumber, 'no-operator-1') });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(response.body.data ?? null).toBeNull();
    expect(JSON.stringify(response.body)).not.toContain(stranger.name);
    expect(await applicationsOf(stranger.idNumber)).toBe(before);
    // Refused at the gateway, before the department was asked, and recorded as refused.
    expect(await recordOf(response)).toMatchObject({ decision: 'DENY', rule: expect.stringMatching(/names no operator/) });
  });

  test('the same through a fragment and an alias', async () => {
    const response = await graph.queryAs(portal(), 'mutation($input: SubmitApplicationInput!) { ...M } fragment M on Mutation { mine: submitApplication(input: $input) { ... on Application { form { value } } } }', {
      input: input(stranger.idNumber, 'no-operator-3'),
    });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(response.body)).not.toContain(stranger.name);
  });

  test('a portal token without an operator reads no one either', async () => {
    const response = await graph.queryAs(portal(), `{ person(idNumber: "${stranger.idNumber}") { name applications { id } } }`);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(response.body)).not.toContain(stranger.name);
    expect(await recordOf(response)).toMatchObject({ decision: 'DENY' });
  });

  test('the service hall refuses a caller that does not act for the applicant, whatever its contract grants', async () => {
    const before = await applicationsOf(stranger.idNumber);
    const response = await graph.query(SUBMIT, { variables: { input: input(stranger.idNumber, 'no-operator-2') } });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(response.body)).not.toContain(stranger.name);
    expect(await applicationsOf(stranger.idNumber)).toBe(before);
  });
});

describe('opening a case is not in the power of the app the case unlocks', () => {
  test('a cross-province desk cannot open a case on a person and then read them under it', async () => {
    const before = await applicationsOf(stranger.idNumber);
    const opened = await graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '440106' }, `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }`, {
      input: input(stranger.idNumber, 'desk-opens-1'),
    });
    expect(opened.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await applicationsOf(stranger.idNumber)).toBe(before);
  });
});

describe('the timeline names apps, never a raw identifier', () => {
  test("a desk reading the queue sees who acted as an app, not the citizen's ID number", async () => {
    const submitted = await graph.queryAs(portal(first.idNumber), SUBMIT, { input: input(first.idNumber, 'timeline-1') });
    const id = submitted.body.data.submitApplication.id as string;
    const queue = await graph.queryAs(
      { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '440106' },
      `{ applications(regionCode: "440106", first: 100) { nodes { id timeline { action actor } } } }`,
    );
    expect(queue.body.errors).toBeUndefined();
    const nodes = queue.body.data.applications.nodes as Array<{ id: string; timeline: Array<{ action: string; actor: string }> }>;
    const mine = nodes.find((n) => n.id === id)!;
    expect(mine.timeline.find((t) => t.action === 'SUBMIT')!.actor).toBe('oneservice-portal');
    for (const node of nodes) for (const entry of node.timeline) expect(entry.actor).not.toMatch(ID_NUMBER);
  });
});

describe('a refused mutation does not tell whether the row exists', () => {
  const sameRefusal = (a: GraphQLResponse, b: GraphQLResponse, idA: string, idB: string) => {
    const shape = (response: GraphQLResponse, id: string) => ({ data: response.body.data ?? null, errors: (response.body.errors ?? []).map((e) => ({ ...e, message: e.message.replace(id, '<id>') })) });
    expect(shape(a, idA)).toEqual(shape(b, idB));
    expect(a.body.errors?.length).toBeGreaterThan(0);
  };

  test('advanceApplication outside the desk region looks like an application that does not exist', async () => {
    const submitted = await graph.queryAs(portal(first.idNumber), SUBMIT, { input: input(first.idNumber, 'elsewhere-1') });
    const id = submitted.body.data.submitApplication.id as string;
    const missing = '20260101310101999999';
    const desk = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '31' };
    const advance = (target: string) => graph.queryAs(desk, `mutation { advanceApplication(id: "${target}", action: ACCEPT) { id status } }`);
    const outside = await advance(id);
    sameRefusal(outside, await advance(missing), id, missing);
    expect(outside.body.errors![0]!.message).not.toMatch(/PRE_REVIEWED|FULL_ONLINE|status|mode/);
    // A desk whose token names no region learns nothing about the row either.
    const regionless = (target: string) => graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE' }, `mutation { advanceApplication(id: "${target}", action: ACCEPT) { id } }`);
    sameRefusal(await regionless(id), await regionless(missing), id, missing);
  });

  test("city operations' mutations outside the centre's region look like events that do not exist", async () => {
    const events = (await graph.query('{ cityEvents(first: 100) { nodes { id regionCode grid { code } } } }')).body.data.cityEvents.nodes as Array<{ id: string; regionCode: string; grid: { code: string } }>;
    const elsewhere = events.find((e) => !e.regionCode.startsWith('4401'))!;
    const missing = 'E19990101999999';
    const centre = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS' };
    for (const mutation of ['acceptDispatch(eventId: "$", department: "城管")', 'closeEvent(eventId: "$")']) {
      const run = (id: string) => graph.queryAs(centre, `mutation { ${mutation.replace('$', id)} { id status } }`);
      sameRefusal(await run(elsewhere.id), await run(missing), elsewhere.id, missing);
    }
    const report = (gridCode: string) =>
      graph.queryAs(centre, 'mutation($input: ReportEventInput!) { reportEvent(input: $input) { id } }', { input: { category: 'WORK_SAFETY', source: 'GRID_WORKER', gridCode, description: '商铺门口堆放液化气钢瓶' } });
    sameRefusal(await report(elsewhere.grid.code), await report('310101999999'), elsewhere.grid.code, '310101999999');
  });
});

describe('an application stuck before its pre-review', () => {
  test('retrying with the same key finishes its pre-review instead of returning an empty form', async () => {
    const before = await applicationsOf(stuck.idNumber);
    const auditFile = join(graph.dataDir, 'db', 'audit.sqlite');
    const blocker = new BetterSqlite3(auditFile);
    blocker.exec('BEGIN EXCLUSIVE');
    let refused: GraphQLResponse;
    try {
      refused = await graph.queryAs(portal(stuck.idNumber), SUBMIT, { input: input(stuck.idNumber, 'stuck-1') });
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(refused.status).toBe(503);
    const retried = await graph.queryAs(portal(stuck.idNumber), SUBMIT, { input: input(stuck.idNumber, 'stuck-1') });
    expect(retried.body.errors).toBeUndefined();
    expect(retried.body.data.submitApplication.status).toBe('PRE_REVIEWED');
    expect(formName(retried)).toBe(stuck.name);
    expect(await applicationsOf(stuck.idNumber)).toBeLessThanOrEqual(before + 1);
  });
});

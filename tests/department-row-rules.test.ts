/**
 * The department is the last line (TRUST.md: the gateway may be faulty or its tokens leak): a gateway
 * token used against a department directly buys no row the gateway would have withheld — not outside the
 * caller's region, not outside its case, not another citizen's — whether the row is asked for by id, in a
 * list, through `_entities` or on a nested edge; withheld looks like absent; every request is in the
 * department's own access log; and a token serves one request, once.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createSubjectHasher, readHmacKey } from '../audit/subject-hasher';
import { createSubgraphTokenSigner, type SubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { createAccessLog } from '../subgraphs/kit/access-log';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { idNumberCheckCharacter } from '../subgraphs/kit/identifiers';
import { departmentCall, type DepartmentCall } from './support/department-call';
import { startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
let sign: SubgraphTokenSigner;
let direct: DepartmentCall;
let openCase: { id: string; applicant: string };
let otherApplication: string;
let stranger: string;
/** A well-formed ID number that no one in the synthetic world has. */
const NOBODY = `11010519491231009${idNumberCheckCharacter('11010519491231009')}`;
let events: { guangzhou: string; shanghai: string };
let enterprises: { guangzhou: string; shanghai: string };
const databases: Array<Kysely<unknown>> = [];

beforeAll(async () => {
  graph = await startGraph();
  sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 15 });
  direct = await departmentCall(graph, 'direct');
  const { body } = await graph.query(`{
    open: applications(status: IN_PROGRESS, first: 2) { nodes { id applicant { idNumber } } }
    gz: cityEvents(regionCode: "440100", first: 1) { nodes { id } }
    sh: cityEvents(regionCode: "310000", first: 1) { nodes { id } }
    gzFirms: enterprises(regionCode: "440100", first: 1) { nodes { creditCode } }
    shFirms: enterprises(regionCode: "310000", first: 1) { nodes { creditCode legalRepresentative { idNumber } } }
  }`);
  const [first, second] = body.data.open.nodes;
  openCase = { id: first.id, applicant: first.applicant.idNumber };
  otherApplication = second.id;
  stranger = body.data.shFirms.nodes[0].legalRepresentative.idNumber;
  events = { guangzhou: body.data.gz.nodes[0].id, shanghai: body.data.sh.nodes[0].id };
  enterprises = { guangzhou: body.data.gzFirms.nodes[0].creditCode, shanghai: body.data.shFirms.nodes[0].creditCode };
  expect(stranger).not.toBe(openCase.applicant);
  expect((await graph.query(`{ person(idNumber: "${NOBODY}") { name } }`)).body.data.person).toBeNull();
});
afterAll(async () => {
  for (const db of databases) await db.destroy();
  await graph.stop();
});

/** A department's own access log, read from its database as an auditor would. */
function accessLogOf(department: string) {
  const db = openDatabase<unknown>({ location: { kind: 'sqlite', file: sqliteFileFor(graph.dataDir, department) } });
  databases.push(db);
  return { log: createAccessLog(db), db };
}
async function logLine(department: string, requestId: string) {
  const [line] = await accessLogOf(department).log.read({ requestId }, 0, 1);
  return line;
}

const entities = (type: string, keys: Record<string, string>) => [{ __typename: type, ...keys }];
const forbiddenAt = (body: { errors?: Array<{ path?: unknown; extensions?: Record<string, unknown> }> }) =>
  (body.errors ?? []).filter((e) => e.extensions?.['code'] === 'FORBIDDEN').map((e) => e.path);

describe('region (city-ops-center, contract region 4401)', () => {
  const ops = { app: 'city-ops-center', purpose: 'CITY_OPERATIONS', regions: ['4401'] };

  test('a row of another region asked by id is withheld, and looks like one that does not exist', async () => {
    const own = await direct('city-operations', ops, `{ cityEvent(id: "${events.guangzhou}") { id description } }`);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data.cityEvent.id).toBe(events.guangzhou);
    const other = await direct('city-operations', ops, `{ cityEvent(id: "${events.shanghai}") { id description } }`);
    const absent = await direct('city-operations', ops, '{ cityEvent(id: "EV-NOT-THERE") { id description } }');
    expect(other.body).toEqual({ data: { cityEvent: null }, errors: [expect.objectContaining({ message: "Forbidden: this CityEvent lies outside the app's region.", path: ['cityEvent'], extensions: { code: 'FORBIDDEN', rowWithheld: true } })] });
    expect(absent.body).toEqual(other.body);
    const line = await logLine('city-operations', other.requestId);
    expect(line).toMatchObject({ app: 'city-ops-center', purpose: 'CITY_OPERATIONS', decision: 'WITHHELD', fields: expect.arrayContaining(['Query.cityEvent', 'CityEvent.description']) });
  });

  test('a token that leaves the regions out is narrowed by the contract the department holds', async () => {
    const { app, purpose } = ops;
    const other = await direct('city-operations', { app, purpose }, `{ cityEvent(id: "${events.shanghai}") { description } }`);
    expect(forbiddenAt(other.body)).toEqual([['cityEvent']]);
    const list = await direct('city-operations', { app, purpose }, '{ cityEvents(regionCode: "310000", first: 5) { nodes { id } } }');
    expect(list.body.data.cityEvents.nodes).toEqual([]);
  });

  test('an entity of another region fetched through _entities is withheld in place', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on CityEvent { id description } } }';
    const response = await direct('city-operations', ops, query, { r: [...entities('CityEvent', { id: events.guangzhou }), ...entities('CityEvent', { id: events.shanghai })] });
    expect(response.body.data._entities[0].id).toBe(events.guangzhou);
    expect(response.body.data._entities[1]).toBeNull();
    expect(forbiddenAt(response.body)).toEqual([['_entities', 1]]);
  });

  test('a person of another region is withheld by public security, which holds the household', async () => {
    const contact = { app: 'city-ops-center', purpose: 'EVENT_ENTERPRISE_CONTACT', regions: ['4401'] };
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name phone } } }';
    const response = await direct('public-security', contact, query, { r: entities('Person', { idNumber: stranger }) });
    expect(response.body.data._entities).toEqual([null]);
    expect(forbiddenAt(response.body)).toEqual([['_entities', 0]]);
  });

  test('a department that cannot place a row in a region answers none of its own fields on it to a region-bound caller', async () => {
    const portal = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: stranger, regions: ['4401'] };
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { idNumber maritalStatus } } }';
    const response = await direct('civil-affairs', portal, query, { r: entities('Person', { idNumber: stranger }) });
    expect(response.body.data._entities[0]).toEqual({ idNumber: stranger, maritalStatus: null });
    expect(forbiddenAt(response.body)).toEqual([['_entities', 0, 'maritalStatus']]);
  });
});

describe('case (crossprovince-desk under CROSS_PROVINCE_CASE)', () => {
  const desk = () => ({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id, caseSubjects: [openCase.applicant] });

  // The desk names no one by ID number (its mask would be tested): the gateway fetches the case's people as entities.
  const named = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { name } } }';

  test("the case's own subject and application are read; anyone and anything else is withheld", async () => {
    const own = await direct('public-security', desk(), named, { r: entities('Person', { idNumber: openCase.applicant }) });
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data._entities[0].name).toEqual(expect.any(String));
    const other = await direct('public-security', desk(), named, { r: entities('Person', { idNumber: stranger }) });
    expect(other.body).toEqual({ data: { _entities: [null] }, errors: [expect.objectContaining({ message: `Forbidden: this Person is not part of case ${openCase.id}.`, path: ['_entities', 0], extensions: { code: 'FORBIDDEN', rowWithheld: true } })] });
    const application = await direct('service-hall', desk(), `{ application(id: "${otherApplication}") { status } }`);
    expect(application.body.data).toEqual({ application: null });
    expect(forbiddenAt(application.body)).toEqual([['application']]);
    const theCase = await direct('service-hall', desk(), `{ application(id: "${openCase.id}") { status applicant { idNumber } } }`);
    expect(theCase.body.errors).toBeUndefined();
  });

  test("on a nested edge: the case's application releases its applicant only as a subject of the case", async () => {
    const query = `{ application(id: "${openCase.id}") { status applicant { idNumber } } }`;
    const response = await direct('service-hall', { ...desk(), caseSubjects: [stranger] }, query);
    expect(response.body.data.application).toEqual({ status: expect.any(String), applicant: null });
    expect(forbiddenAt(response.body)).toEqual([['application', 'applicant']]);
  });

  test('a person outside the case is withheld through _entities in a department that only extends Person', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { maritalStatus } } }';
    const response = await direct('civil-affairs', desk(), query, { r: [...entities('Person', { idNumber: openCase.applicant }), ...entities('Person', { idNumber: stranger })] });
    expect(response.body.data._entities[0].maritalStatus).toEqual(expect.any(String));
    expect(response.body.data._entities[1]).toBeNull();
    expect(forbiddenAt(response.body)).toEqual([['_entities', 1]]);
  });

  test('a case-bound token that carries no case subjects opens no one, not even the applicant', async () => {
    const { caseSubjects: _none, ...withoutSubjects } = desk();
    const response = await direct('public-security', withoutSubjects, named, { r: entities('Person', { idNumber: openCase.applicant }) });
    expect(response.body.data).toEqual({ _entities: [null] });
    expect(forbiddenAt(response.body)).toEqual([['_entities', 0]]);
  });
});

describe("operator's own data (oneservice-portal under SELF_SERVICE)", () => {
  const portal = (operator?: string) => ({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', ...(operator && { operator }) });

  test("the operator reads their own record and nobody else's, by id or through _entities", async () => {
    const own = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${openCase.applicant}") { name } }`);
    expect(own.body.errors).toBeUndefined();
    const other = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${stranger}") { name } }`);
    // Naming someone else is refused on the argument, before the row is read.
    expect(other.body.data).toEqual({ person: null });
    expect(forbiddenAt(other.body)).toEqual([['person']]);
    const absent = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${NOBODY}") { name } }`);
    expect(absent.body).toEqual(other.body);
    // Asking for nothing but __typename tells no more: the row itself is withheld, whatever is selected.
    const typename = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${stranger}") { __typename } }`);
    const typenameAbsent = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${NOBODY}") { __typename } }`);
    expect(typename.body.data).toEqual({ person: null });
    expect(typenameAbsent.body).toEqual(typename.body);
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { applications { id form { key value } } } } }';
    const applications = await direct('service-hall', portal(openCase.applicant), query, { r: entities('Person', { idNumber: stranger }) });
    expect(applications.body.data._entities).toEqual([null]);
    expect(forbiddenAt(applications.body)).toEqual([['_entities', 0]]);
  });

  test('without an operator no one is anyone\'s own: every person is withheld', async () => {
    const response = await direct('public-security', portal(), `{ person(idNumber: "${openCase.applicant}") { name } }`);
    expect(response.body.data).toEqual({ person: null });
    expect(forbiddenAt(response.body)).toEqual([['person']]);
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { marriages { kind } } } }';
    const marriages = await direct('civil-affairs', portal(), query, { r: entities('Person', { idNumber: openCase.applicant }) });
    expect(marriages.body.data._entities).toEqual([null]);
  });

  test('the access log names the operator by the trail\'s HMAC, never the raw ID number', async () => {
    const response = await direct('public-security', portal(openCase.applicant), `{ person(idNumber: "${stranger}") { name } }`);
    const line = await logLine('public-security', response.requestId);
    const hash = createSubjectHasher(readHmacKey(graph.keys.auditHmacKey, false));
    expect(line).toMatchObject({ app: 'oneservice-portal', operator: hash(openCase.applicant), decision: 'WITHHELD', fields: expect.arrayContaining(['Query.person', 'Person.name']) });
    expect(JSON.stringify(line)).not.toContain(openCase.applicant);
    expect(JSON.stringify(line)).not.toContain(stranger);
  });
});

describe('a token serves one request, once', () => {
  test('a token presented again is refused, and the refusal is logged', async () => {
    const caller = { app: 'market-supervision', purpose: 'MARKET_INSPECTION' };
    const requestId = 'replayed-1';
    const token = await sign({ ...caller, requestId }, 'market-regulation');
    const call = () =>
      fetch(graph.subgraphs.find((s) => s.name === 'market-regulation')!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': requestId, authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ enterprise(creditCode: "${enterprises.guangzhou}") { name } }` }),
      });
    expect((await call()).status).toBe(200);
    const replay = await call();
    expect(replay.status).toBe(401);
    const lines = (await accessLogOf('market-regulation').log.read({ requestId }, 0, 10)).reverse();
    expect(lines.map((l) => [l.decision, l.reason])).toEqual([
      ['UNAUTHENTICATED', 'token already used'],
      ['PERMIT', null],
    ]);
  });

  test('a token moved to another request id is refused', async () => {
    const token = await sign({ app: 'market-supervision', purpose: 'MARKET_INSPECTION', requestId: 'signed-for' }, 'market-regulation');
    const response = await direct('market-regulation', { app: 'market-supervision' }, `{ enterprise(creditCode: "${enterprises.shanghai}") { name } }`, undefined, token);
    expect(response.status).toBe(401);
    expect((await logLine('market-regulation', response.requestId))?.reason).toBe('token signed for another request');
  });

  test("a token captured from the gateway's own call is refused when replayed, and the request id joins the two logs", async () => {
    const target = graph.subgraphs.find((s) => s.name === 'city-operations')!;
    const captured: Array<{ authorization: string; requestId: string }> = [];
    // A tap between the gateway and the department: it keeps what it saw and passes the call on.
    const tap: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        captured.push({ authorization: String(req.headers.authorization), requestId: String(req.headers['x-request-id']) });
        const answer = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization), 'x-request-id': String(req.headers['x-request-id']) }, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
    try {
      const urls = Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url]));
      const tapped = await graph.startGateway({ subgraphUrls: { ...urls, 'city-operations': `http://127.0.0.1:${(tap.address() as AddressInfo).port}/graphql` } });
      const token = await graph.token({ app: 'city-ops-center' });
      const response = await fetch(tapped.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CITY_OPERATIONS' },
        body: JSON.stringify({ query: `{ cityEvent(id: "${events.guangzhou}") { id } }` }),
      });
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id')!;
      expect(captured).toHaveLength(1);
      expect(captured[0]!.requestId).toBe(requestId);
      expect(await logLine('city-operations', requestId)).toMatchObject({ app: 'city-ops-center', decision: 'PERMIT' });
      const replay = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: captured[0]!.authorization, 'x-request-id': requestId },
        body: JSON.stringify({ query: `{ cityEvent(id: "${events.shanghai}") { id description } }` }),
      });
      expect(replay.status).toBe(401);
    } finally {
      await graph.stopExtraGateways();
      await new Promise<void>((resolve) => tap.close(() => resolve()));
    }
  });
});

test('the access log is append-only', async () => {
  const { db } = accessLogOf('market-regulation');
  // better-sqlite3's error class belongs to the first test file its native module was loaded for: match the message, not the class.
  const refused = { message: expect.stringMatching(/append-only/) };
  await expect(sql`UPDATE "departmentAccessLog" SET "decision" = 'PERMIT'`.execute(db)).rejects.toMatchObject(refused);
  await expect(sql`DELETE FROM "departmentAccessLog"`.execute(db)).rejects.toMatchObject(refused);
});

test('a department that cannot write its access log answers nothing (fail closed), and recovers with its table', async () => {
  const { db } = accessLogOf('civil-affairs');
  await sql`DROP TABLE "departmentAccessLog"`.execute(db);
  const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { maritalStatus } } }';
  const caller = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: openCase.applicant };
  const refused = await direct('civil-affairs', caller, query, { r: entities('Person', { idNumber: openCase.applicant }) });
  expect(refused.status).toBe(503);
  expect(refused.body).toEqual({ errors: [{ message: 'This department cannot record the request.', extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } }] });
  await graph.stopSubgraph('civil-affairs');
  await graph.restartSubgraph('civil-affairs');
  const served = await direct('civil-affairs', caller, query, { r: entities('Person', { idNumber: openCase.applicant }) });
  expect(served.body.data._entities[0].maritalStatus).toEqual(expect.any(String));
  expect(await logLine('civil-affairs', served.requestId)).toMatchObject({ decision: 'PERMIT' });
});

/**
 * The platform's own apps are usable only from inside (THREATS I4): the gateway's case lookup app never
 * comes with a token, the service hall's only with the platform issuer's and signed with its own key, and
 * the platform issuer speaks for no other app. A forged identity is refused with 401 and recorded; the
 * prefill and the case lookup, which run as these apps from inside, still work.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { AuditStore } from '../audit/audit-store';
import { DEV_PLATFORM_ISSUER, internalAppKeyFile, readPrivateKey } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { DEMO_CONTRACTS, TEST_WORLD, startGraph, writeContract, type GraphQLResponse, type TestGraph } from './support/graph';

/** A second internal app beside the service hall, with its own key: neither key may sign for the other. */
const ARCHIVE = 'archive-hall';
const contracts = mkdtempSync(join(tmpdir(), 'govgraph-platform-apps-'));
for (const name of readdirSync(DEMO_CONTRACTS)) copyFileSync(join(DEMO_CONTRACTS, name), join(contracts, name));
writeContract(contracts, {
  app: ARCHIVE,
  name: '档案查询窗口',
  internal: true,
  purposes: [{ code: 'CATALOGUE', description: '事项清单', grants: ['Query.serviceItems', 'ServiceItem.code'] }],
});

let graph: TestGraph;
let closedCase: string;
let openCase: string;
const world = buildWorld(TEST_WORLD);
const CASE_CHECK = 'query GovGraphCaseCheck($id: ID!) { case: application(id: $id) { id status applicant { idNumber } } }';

beforeAll(async () => {
  graph = await startGraph({ appContracts: contracts });
  const { body } = await graph.query('{ open: applications(status: IN_PROGRESS, first: 1) { nodes { id } } closed: applications(status: APPROVED, first: 1) { nodes { id } } }');
  openCase = body.data.open.nodes[0].id;
  closedCase = body.data.closed.nodes[0].id;
});
afterAll(async () => {
  await graph.stop();
  rmSync(contracts, { recursive: true, force: true });
});

async function records() {
  const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
  try {
    return await store.recordsAfter(0, 100_000);
  } finally {
    await store.close();
  }
}

const publicToken = (app: string) => mintAppToken(graph.keys.appIssuerPrivate, { app });
/** A platform issuer's token for `app`, signed with the key of `keyOf` (by default the app's own). */
const platformToken = (app: string, keyOf = app) => mintAppToken(internalAppKeyFile(graph.keys.dir, keyOf), { app, issuer: DEV_PLATFORM_ISSUER });

async function send(token: string, purpose: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  return graph.query(query, { token, headers: { 'x-purpose': purpose, 'x-request-id': `platform-${Math.random().toString(36).slice(2)}` }, ...(variables && { variables }) });
}

async function expectRefusedAndRecorded(response: GraphQLResponse, reason: RegExp): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([{ message: expect.stringMatching(reason), extensions: { code: 'UNAUTHENTICATED' } }]);
  const requestId = response.headers.get('x-request-id');
  const recorded = (await records()).filter((r) => r.requestId === requestId);
  expect(recorded).toEqual([expect.objectContaining({ decision: 'UNAUTHENTICATED', errorCodes: ['UNAUTHENTICATED'], rule: expect.stringMatching(reason), fields: [], subjects: [] })]);
}

describe("the gateway's case lookup app never comes from outside", () => {
  test('a token for it from the public identity provider is refused, so no raw ID number of a closed case is read', async () => {
    const response = await send(await publicToken('govgraph-case-check'), 'CASE_CHECK', CASE_CHECK, { id: closedCase });
    await expectRefusedAndRecorded(response, /govgraph-case-check is the gateway's own app/);
  });

  test("nor from the platform issuer, signed with an internal app's key", async () => {
    const response = await send(await platformToken('govgraph-case-check', 'service-hall'), 'CASE_CHECK', CASE_CHECK, { id: closedCase });
    await expectRefusedAndRecorded(response, /govgraph-case-check is the gateway's own app/);
  });

  test('the lookup itself still runs inside: a case-bound read of an open case is served', async () => {
    const response = await graph.queryAs({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase }, `{ application(id: "${openCase}") { id status } }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.application.id).toBe(openCase);
  });
});

describe("the service hall's app speaks only with the platform issuer's token", () => {
  const prefillRead = '{ enterpriseByName(name: "none") { creditCode } }';

  test('a token for it from the public identity provider is refused and recorded', async () => {
    await expectRefusedAndRecorded(await send(await publicToken('service-hall'), 'PREFILL', prefillRead), /service-hall is internal to the platform/);
  });

  test("a token claiming the platform issuer but signed with the identity provider's key is refused", async () => {
    const forged = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'service-hall', issuer: DEV_PLATFORM_ISSUER });
    await expectRefusedAndRecorded(await send(forged, 'PREFILL', prefillRead), /not signed by a trusted identity provider/);
  });

  test("the platform issuer's token for it is authenticated (and then judged by its contract)", async () => {
    const response = await send(await platformToken('service-hall'), 'PREFILL', prefillRead);
    expect(response.status).toBe(403);
    expect(new Set(response.body.errors!.map((e) => e.extensions?.['code']))).toEqual(new Set(['CASE_REQUIRED']));
  });

  test('the platform issuer speaks for no other app', async () => {
    await expectRefusedAndRecorded(await send(await platformToken('market-supervision', 'service-hall'), 'MARKET_INSPECTION', '{ enterprises(first: 1) { nodes { name } } }'), /signs only the platform's own apps/);
  });
  test('the prefill still works: a submitted application is prefilled from the departments, read as service-hall', async () => {
    const applicant = world.persons.find((p) => p.status === 'NORMAL' && ageOnReference(p.birthDate) >= 25)!;
    const response = await graph.queryAs(
      { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: applicant.idNumber },
      'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id form { key value source } } }',
      { input: { itemCode: 'ZW-DZZZ-007', applicant: applicant.idNumber, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'platform-apps-prefill' } },
    );
    expect(response.body.errors).toBeUndefined();
    const application = response.body.data.submitApplication;
    expect(application.form).toEqual(expect.arrayContaining([{ key: 'name', value: applicant.name, source: 'public-security' }]));
    expect(await records()).toEqual(expect.arrayContaining([expect.objectContaining({ app: 'service-hall', purpose: 'PREFILL', caseId: application.id, decision: 'PERMIT' })]));
  });
});

describe("an internal app's key speaks for that app alone", () => {
  const catalogue = '{ serviceItems { code } }';

  test("a token for one internal app signed with another's key is refused and recorded, either way round", async () => {
    await expectRefusedAndRecorded(await send(await platformToken(ARCHIVE, 'service-hall'), 'CATALOGUE', catalogue), /archive-hall's token must be signed with archive-hall's own key, not service-hall's/);
    await expectRefusedAndRecorded(await send(await platformToken('service-hall', ARCHIVE), 'PREFILL', '{ enterpriseByName(name: "none") { creditCode } }'), /service-hall's token must be signed with service-hall's own key, not archive-hall's/);
  });

  test("a token that names the other app's key id but is signed with its own key fails its signature", async () => {
    const { key } = await readPrivateKey(internalAppKeyFile(graph.keys.dir, 'service-hall'));
    const { kid } = await readPrivateKey(internalAppKeyFile(graph.keys.dir, ARCHIVE));
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: kid! }).setIssuer(DEV_PLATFORM_ISSUER).setAudience('govgraph').setSubject(ARCHIVE).setIssuedAt().setExpirationTime('5m').sign(key);
    await expectRefusedAndRecorded(await send(forged, 'CATALOGUE', catalogue), /not signed by a trusted identity provider/);
  });

  test('each signed with its own key is served', async () => {
    const response = await send(await platformToken(ARCHIVE), 'CATALOGUE', catalogue);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.serviceItems.length).toBeGreaterThan(0);
  });
});

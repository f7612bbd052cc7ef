/**
 * 一网通办 and 跨省通办 end to end: applications submitted through the portal, prefilled and pre-reviewed
 * from the departments' data read by the service hall through the gateway (audited, with the application
 * as case); 秒批 for automatic items and the applicant's way to a person; idempotency; each cross-province
 * mode's path and its refused transitions.
 */
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
let serial = 0;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const APPLICATION =
  'id status mode acceptingRegion handlingRegion form { key value source } preReview { code passed relied } timeline { action status region actor basis { checks certificates { kind number } } } parts { region done }';
// The desk's queue purpose shows no applicant data: no form, no certificate numbers.
const DESK_VIEW = 'id status mode preReview { code passed } timeline { action status region actor basis { checks certificates { kind } } } parts { region done }';
/** The items whose rules approve an application at once when every check passes (秒批). */
const AUTOMATIC = new Set(['SC-GTDJ-002', 'MZ-HYYY-005']);
const married = new Set(world.marriages.flatMap((m) => [m.husband, m.wife]));
const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 25);
const revokedRepresentatives = new Set(world.enterprises.filter((e) => e.status === 'REVOKED').map((e) => e.legalRepresentative));
const representatives = new Set(world.enterprises.map((e) => e.legalRepresentative));
const clean = adults.find((p) => !representatives.has(p.idNumber) && !married.has(p.idNumber) && p.status === 'NORMAL')!;

/** What 企业开办's applicant fills in for the business licence, besides the name. */
const FOUNDING_FORM = [
  { key: 'registeredCapital', value: '30' },
  { key: 'businessScope', value: '道路货物运输；仓储服务' },
  { key: 'enterpriseAddress', value: '广州市天河区黄埔大道西100号' },
];

interface Submission {
  itemCode: string;
  applicant: string;
  mode?: string;
  acceptingRegion?: string;
  handlingRegion?: string;
  enterprise?: string;
  form?: Array<{ key: string; value: string }>;
  idempotencyKey?: string;
  manualReview?: boolean;
}

async function submit(input: Submission, operator = input.applicant): Promise<GraphQLResponse> {
  serial += 1;
  return graph.queryAs(
    { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator },
    `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${APPLICATION} } }`,
    { input: { mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: `k${serial}`, ...input } },
  );
}

const outcome = (response: GraphQLResponse) => {
  expect(response.body.errors).toBeUndefined();
  const application = response.body.data.submitApplication;
  return { status: application.status, failed: application.preReview.filter((c: any) => !c.passed).map((c: any) => c.code), application };
};

describe('pre-review 初审, each item on a case that passes and one that fails', () => {
  const revoked = world.enterprises.find((e) => e.status === 'REVOKED')!;
  const active = world.enterprises.find((e) => e.status === 'ACTIVE' && !revokedRepresentatives.has(e.legalRepresentative))!;
  const movedOut = world.persons.find((p) => p.status === 'MOVED_OUT' && ageOnReference(p.birthDate) >= 18)!;
  const marriedAdult = adults.find((p) => married.has(p.idNumber) && world.marriages.filter((m) => m.husband === p.idNumber || m.wife === p.idNumber).at(-1)!.kind === 'MARRIAGE')!;
  const wealthy = world.enterprises.find((e) => e.status === 'ACTIVE' && e.registeredCapital > 100)!;

  test.each<[string, Submission, string[]]>([
    ['企业开办 passes', { itemCode: 'SC-QYKB-001', applicant: clean.idNumber, form: [{ key: 'enterpriseName', value: '广州新辰云海科技有限公司' }, ...FOUNDING_FORM] }, []],
    ['企业开办: the name is taken', { itemCode: 'SC-QYKB-001', applicant: clean.idNumber, form: [{ key: 'enterpriseName', value: active.name }, ...FOUNDING_FORM] }, ['NAME_AVAILABLE']],
    ['企业开办: a revoked enterprise', { itemCode: 'SC-QYKB-001', applicant: revoked.legalRepresentative, form: [{ key: 'enterpriseName', value: '广州启航天成物流有限公司' }, ...FOUNDING_FORM] }, ['NO_REVOKED_ENTERPRISE']],
    ['个体工商户登记 passes', { itemCode: 'SC-GTDJ-002', applicant: clean.idNumber }, []],
    ['个体工商户登记: a revoked enterprise', { itemCode: 'SC-GTDJ-002', applicant: revoked.legalRepresentative }, ['NO_REVOKED_ENTERPRISE']],
    ['营业执照变更 passes', { itemCode: 'SC-ZZBG-003', applicant: active.legalRepresentative, enterprise: active.creditCode }, []],
    // Nor does the applicant's pre-review find the licence of an enterprise they do not represent.
    ['营业执照变更: not the representative', { itemCode: 'SC-ZZBG-003', applicant: clean.idNumber, enterprise: active.creditCode }, ['IS_LEGAL_REPRESENTATIVE', 'CERTIFICATE_BUSINESS_LICENCE']],
    ['低保 passes', { itemCode: 'MZ-DBSQ-004', applicant: clean.idNumber, mode: 'PROXY', handlingRegion: clean.regionCode }, []],
    ['低保: household elsewhere', { itemCode: 'MZ-DBSQ-004', applicant: clean.idNumber, mode: 'PROXY', handlingRegion: clean.regionCode.startsWith('51') ? '110101' : '510104' }, ['HOUSEHOLD_IN_HANDLING_REGION']],
    ['低保: controls a sizeable enterprise', { itemCode: 'MZ-DBSQ-004', applicant: wealthy.legalRepresentative, mode: 'PROXY', handlingRegion: world.persons.find((p) => p.idNumber === wealthy.legalRepresentative)!.regionCode }, ['NO_SIZEABLE_ENTERPRISE']],
    ['婚姻登记预约 passes', { itemCode: 'MZ-HYYY-005', applicant: clean.idNumber }, []],
    ['婚姻登记预约: already married', { itemCode: 'MZ-HYYY-005', applicant: marriedAdult.idNumber }, ['NOT_MARRIED']],
    ['户口迁移 passes', { itemCode: 'GA-HKQY-006', applicant: clean.idNumber, mode: 'PROXY' }, []],
    ['户口迁移: registration moved out', { itemCode: 'GA-HKQY-006', applicant: movedOut.idNumber, mode: 'PROXY' }, ['REGISTRATION_ACTIVE']],
    ['电子证照 passes', { itemCode: 'ZW-DZZZ-007', applicant: clean.idNumber }, []],
    ['电子证照: nobody by that ID number', { itemCode: 'ZW-DZZZ-007', applicant: '11010519491231002X' }, ['IDENTITY']],
    ['城市事件上报 passes', { itemCode: 'CY-SJSB-008', applicant: clean.idNumber }, []],
  ])('%s', async (_name, input, failed) => {
    const result = outcome(await submit(input));
    expect(result.failed).toEqual(failed);
    // Only an automatic item whose every check passed is decided at once; a failed check is returned as ever.
    const byRules = failed.length === 0 && AUTOMATIC.has(input.itemCode);
    expect(result.status).toBe(failed.length > 0 ? 'RETURNED' : byRules ? 'APPROVED' : 'PRE_REVIEWED');
    expect(result.application.timeline.map((t: any) => `${t.action}:${t.actor}`)).toEqual(['SUBMIT:oneservice-portal', 'PRE_REVIEW:service-hall', ...(byRules ? ['APPROVE:rules'] : [])]);
    for (const check of result.application.preReview) expect(check.relied.length).toBeGreaterThan(0);
  });

  test('the form is prefilled from the departments, and what the applicant typed cannot overwrite it', async () => {
    const { application } = outcome(await submit({ itemCode: 'MZ-HYYY-005', applicant: clean.idNumber, form: [{ key: 'name', value: '假名字' }, { key: 'appointmentDay', value: '2026-12-08' }] }));
    const form = Object.fromEntries(application.form.map((f: any) => [f.key, f]));
    expect(form.name).toEqual({ key: 'name', value: clean.name, source: 'public-security' });
    expect(form.maritalStatus).toEqual({ key: 'maritalStatus', value: 'SINGLE', source: 'civil-affairs' });
    expect(form.appointmentDay).toEqual({ key: 'appointmentDay', value: '2026-12-08', source: 'APPLICANT' });
  });
});

describe('submission', () => {
  const count = async () => (await graph.query(`{ applications(applicant: "${clean.idNumber}") { totalCount } }`)).body.data.applications.totalCount as number;

  test('the same idempotency key returns the same application', async () => {
    const input = { itemCode: 'ZW-DZZZ-007', applicant: clean.idNumber, idempotencyKey: 'portal-req-7731' };
    const first = outcome(await submit(input)).application.id;
    const before = await count();
    expect(outcome(await submit(input)).application.id).toBe(first);
    expect(await count()).toBe(before);
  });

  test.each<[string, Submission, RegExp]>([
    ['an unknown item', { itemCode: 'XX-0000-000', applicant: clean.idNumber }, /no service item/],
    ['a mode the item does not support', { itemCode: 'MZ-HYYY-005', applicant: clean.idNumber, mode: 'MULTI_SITE' }, /handled FULL_ONLINE, not MULTI_SITE/],
    ['an enterprise item without the enterprise', { itemCode: 'SC-ZZBG-003', applicant: clean.idNumber }, /give its credit code/],
    ['enterprise establishment without a name', { itemCode: 'SC-QYKB-001', applicant: clean.idNumber }, /enterpriseName/],
    ['a malformed idempotency key', { itemCode: 'ZW-DZZZ-007', applicant: clean.idNumber, idempotencyKey: 'has spaces' }, /idempotency key/],
  ])('%s is BAD_USER_INPUT and creates nothing', async (_name, input, message) => {
    const before = await count();
    const response = await submit(input);
    expect(response.body.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
    expect(await count()).toBe(before);
  });

  test('a portal acting for one citizen cannot apply for another', async () => {
    const response = await submit({ itemCode: 'ZW-DZZZ-007', applicant: adults[3]!.idNumber }, clean.idNumber);
    expect(response.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  test("the service hall's reads are in the audit trail, with its purpose and the application as case", async () => {
    const { application } = outcome(await submit({ itemCode: 'GA-HKQY-006', applicant: clean.idNumber, mode: 'PROXY' }));
    const audited = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, '{ auditRecords(app: "service-hall", first: 5) { nodes { app purpose caseId decision fields } } }');
    expect(audited.body.data.auditRecords.nodes).toEqual(
      expect.arrayContaining([
        { app: 'service-hall', purpose: 'PREFILL', caseId: application.id, decision: 'PERMIT', fields: expect.arrayContaining(['Person.registrationStatus', 'Query.person']) },
      ]),
    );
  });
});

const desk = (region: string) => ({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region });
const advance = (region: string, id: string, action: string) =>
  graph.queryAs(desk(region), `mutation { advanceApplication(id: "${id}", action: ${action}, note: "ok") { ${DESK_VIEW} } }`);
const step = async (region: string, id: string, action: string) => {
  const response = await advance(region, id, action);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.advanceApplication;
};
const refused = async (region: string, id: string, action: string, allowed: string) => {
  const response = await advance(region, id, action);
  expect(response.body.errors![0]).toMatchObject({ message: expect.stringMatching(new RegExp(`${action} is not allowed.*allowed: ${allowed}`)), extensions: { code: 'BAD_USER_INPUT' } });
};
// Accepted in another province than the applicant's, handled at home.
const accepting = clean.regionCode.startsWith('31') ? '510104' : '310101';
const away = accepting.slice(0, 2);
const handling = clean.regionCode.slice(0, 2);

describe('跨省通办: each mode, its path and its refused transitions', () => {
  const open = async (mode: string, itemCode: string) =>
    outcome(await submit({ itemCode, applicant: clean.idNumber, mode, acceptingRegion: accepting, handlingRegion: clean.regionCode })).application.id as string;

  test('全程网办 FULL_ONLINE: the handling region does every step online', async () => {
    const id = await open('FULL_ONLINE', 'ZW-DZZZ-007');
    await refused(away, id, 'ACCEPT', 'nothing');
    expect((await step(handling, id, 'ACCEPT')).status).toBe('ACCEPTED');
    await refused(handling, id, 'APPROVE', 'REVIEW');
    expect((await step(handling, id, 'REVIEW')).status).toBe('IN_REVIEW');
    expect((await step(handling, id, 'APPROVE')).status).toBe('APPROVED');
    const done = await step(handling, id, 'DELIVER');
    expect(done.status).toBe('DELIVERED');
    expect(done.timeline.map((t: any) => `${t.action}:${t.status}`)).toEqual(['SUBMIT:SUBMITTED', 'PRE_REVIEW:PRE_REVIEWED', 'ACCEPT:ACCEPTED', 'REVIEW:IN_REVIEW', 'APPROVE:APPROVED', 'DELIVER:DELIVERED']);
  });

  test('代收代办 PROXY: the accepting region forwards; only the handling region decides', async () => {
    const id = await open('PROXY', 'GA-HKQY-006');
    expect((await step(away, id, 'ACCEPT')).status).toBe('ACCEPTED');
    expect((await step(away, id, 'FORWARD')).status).toBe('FORWARDED');
    await refused(away, id, 'REVIEW', 'nothing');
    expect((await step(handling, id, 'REVIEW')).status).toBe('IN_REVIEW');
    await refused(away, id, 'APPROVE', 'nothing');
    expect((await step(handling, id, 'REJECT')).status).toBe('REJECTED');
    await refused(away, id, 'DELIVER', 'nothing');
  });

  test('多地联办 MULTI_SITE: decided only when every region has done its part', async () => {
    const id = await open('MULTI_SITE', 'GA-HKQY-006');
    const accepted = await step(away, id, 'ACCEPT');
    expect(accepted).toMatchObject({ status: 'IN_PROGRESS', parts: [{ region: accepting, done: false }, { region: clean.regionCode, done: false }].sort((a, b) => a.region.localeCompare(b.region)) });
    await refused(handling, id, 'APPROVE', 'COMPLETE_PART');
    expect((await step(handling, id, 'COMPLETE_PART')).status).toBe('IN_PROGRESS');
    expect((await step(away, id, 'COMPLETE_PART')).status).toBe('PARTS_DONE');
    expect((await step(handling, id, 'APPROVE')).status).toBe('APPROVED');
    const done = await step(away, id, 'DELIVER');
    expect(done.status).toBe('DELIVERED');
    expect(done.timeline.filter((t: any) => t.action === 'COMPLETE_PART').map((t: any) => t.region).sort()).toEqual([accepting, clean.regionCode].sort());
  });

  test('a desk whose token names no region cannot act', async () => {
    const id = await open('FULL_ONLINE', 'ZW-DZZZ-007');
    const response = await graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE' }, `mutation { advanceApplication(id: "${id}", action: ACCEPT) { id } }`);
    expect(response.body.errors![0]!.message).toMatch(/names no region/);
  });
});

test("the clerk's notes never leave the service hall, whoever asks", async () => {
  const { application } = outcome(await submit({ itemCode: 'ZW-DZZZ-007', applicant: clean.idNumber }));
  const full = await graph.query(`{ application(id: "${application.id}") { applicant { idNumber } clerkNotes } }`);
  expect(full.body.errors![0]!.extensions!['coordinate']).toBe('Application.clerkNotes');
});

describe('秒批: an automatic item is approved by its rules, and its applicant may have a person decide', () => {
  const requestManualReview = (id: string, operator = clean.idNumber) =>
    graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator }, `mutation { requestManualReview(id: "${id}") { ${APPLICATION} } }`);
  /** 个体工商户登记, applied for away from home and handled at home (代收代办). */
  const register = async (extra: Partial<Submission> = {}) =>
    outcome(await submit({ itemCode: 'SC-GTDJ-002', applicant: clean.idNumber, mode: 'PROXY', acceptingRegion: accepting, handlingRegion: clean.regionCode, ...extra })).application;
  const readInCase = (id: string) =>
    graph.queryAs({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: id }, `{ application(id: "${id}") { id applicant { name } } }`);

  test('the catalogue tells the portal which items the rules decide', async () => {
    const response = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SERVICE_CATALOGUE' }, '{ serviceItems { code automaticApproval requiredCertificates issuesCertificate } }');
    expect(response.body.errors).toBeUndefined();
    const items = response.body.data.serviceItems as Array<{ code: string; automaticApproval: boolean }>;
    expect(items.filter((i) => i.automaticApproval).map((i) => i.code).sort()).toEqual([...AUTOMATIC].sort());
    expect(items.length).toBeGreaterThan(AUTOMATIC.size);
  });

  test('every check passed: approved with no desk step, for the handling region, by `rules` naming the checks', async () => {
    const application = await register();
    expect(application.status).toBe('APPROVED');
    expect(application.timeline.map((t: any) => `${t.action}:${t.actor}`)).toEqual(['SUBMIT:oneservice-portal', 'PRE_REVIEW:service-hall', 'APPROVE:rules']);
    expect(application.timeline.at(-1)).toEqual({
      action: 'APPROVE',
      status: 'APPROVED',
      region: clean.regionCode,
      actor: 'rules',
      basis: { checks: application.preReview.map((c: any) => c.code), certificates: [{ kind: 'RESIDENT_ID_CARD', number: expect.stringMatching(/^SF\d{18}$/) }] },
    });
    expect(application.preReview.map((c: any) => c.code)).toEqual(['IDENTITY', 'NO_REVOKED_ENTERPRISE', 'CERTIFICATE_RESIDENT_ID_CARD']);
    // The desks have nothing left to decide: the accepting region only delivers.
    await refused(handling, application.id, 'APPROVE', 'nothing');
    const delivered = await step(away, application.id, 'DELIVER');
    expect(delivered.timeline.map((t: any) => `${t.action}:${t.actor}`)).toEqual(['SUBMIT:oneservice-portal', 'PRE_REVIEW:service-hall', 'APPROVE:rules', 'DELIVER:crossprovince-desk']);
    expect(delivered.timeline[2].basis).toEqual({ checks: ['IDENTITY', 'NO_REVOKED_ENTERPRISE', 'CERTIFICATE_RESIDENT_ID_CARD'], certificates: [{ kind: 'RESIDENT_ID_CARD' }] });
    // The queue shows certificate kinds; their numbers only within a case.
    const numbers = await graph.queryAs(desk(away), `{ applications(status: DELIVERED, first: 1) { nodes { timeline { basis { certificates { number } } } } } }`);
    expect(numbers.body.errors![0]!.extensions).toMatchObject({ code: 'PURPOSE_REQUIRED', coordinate: 'CertificateReliance.number', purposes: ['CROSS_PROVINCE_CASE'] });
  });

  test('a failed check: returned as today, nothing approved', async () => {
    const revoked = world.enterprises.find((e) => e.status === 'REVOKED')!;
    const { status, application } = outcome(await submit({ itemCode: 'SC-GTDJ-002', applicant: revoked.legalRepresentative }));
    expect(status).toBe('RETURNED');
    expect(application.timeline.map((t: any) => t.actor)).not.toContain('rules');
  });

  test('manualReview at submission: a person decides, and the timeline says the applicant asked', async () => {
    const application = await register({ manualReview: true });
    expect(application.status).toBe('PRE_REVIEWED');
    expect(application.timeline.map((t: any) => `${t.action}:${t.status}`)).toEqual(['SUBMIT:SUBMITTED', 'REQUEST_MANUAL_REVIEW:SUBMITTED', 'PRE_REVIEW:PRE_REVIEWED']);
    expect((await step(away, application.id, 'ACCEPT')).status).toBe('ACCEPTED');
    expect((await step(away, application.id, 'FORWARD')).status).toBe('FORWARDED');
    expect((await step(handling, application.id, 'REVIEW')).status).toBe('IN_REVIEW');
    const decided = await step(handling, application.id, 'APPROVE');
    expect(decided.timeline.filter((t: any) => t.action === 'APPROVE').map((t: any) => t.actor)).toEqual(['crossprovince-desk']);
  });

  test('asked after the rules approved: back to the desks, its case open again, audited; not once delivered', async () => {
    const application = await register();
    // An approved application is no open case: the desk cannot read its applicant.
    expect((await readInCase(application.id)).body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const response = await requestManualReview(application.id);
    expect(response.body.errors).toBeUndefined();
    const reopened = response.body.data.requestManualReview;
    expect(reopened.status).toBe('PRE_REVIEWED');
    expect(reopened.timeline.at(-1)).toMatchObject({ action: 'REQUEST_MANUAL_REVIEW', status: 'PRE_REVIEWED', actor: 'oneservice-portal', basis: null });
    const inCase = await readInCase(application.id);
    expect(inCase.body.errors).toBeUndefined();
    expect(inCase.body.data.application.applicant.name).toBe(clean.name);

    const records = await graph.query(`{ auditRecords(subject: "${clean.idNumber}", app: "oneservice-portal", first: 20) { nodes { parentRequestId decision fields } } }`);
    expect(records.body.data.auditRecords.nodes).toContainEqual(
      expect.objectContaining({ parentRequestId: response.headers.get('x-request-id'), decision: 'PERMIT', fields: expect.arrayContaining(['Mutation.requestManualReview']) }),
    );

    expect((await step(away, application.id, 'ACCEPT')).status).toBe('ACCEPTED');
    const again = await requestManualReview(application.id);
    expect(again.body.errors![0]).toMatchObject({ message: expect.stringMatching(/is ACCEPTED: only an approval by the rules/), extensions: { code: 'BAD_USER_INPUT' } });

    const delivered = await register();
    await step(away, delivered.id, 'DELIVER');
    expect((await requestManualReview(delivered.id)).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  test("another citizen's request is refused as if there were no such application, and changes nothing", async () => {
    const application = await register();
    const other = adults.find((p) => p.idNumber !== clean.idNumber)!.idNumber;
    const [theirs, missing] = [await requestManualReview(application.id, other), await requestManualReview('20260101440106999999', other)];
    expect(theirs.body.errors![0]).toMatchObject({ message: `Forbidden: no application ${application.id} is within the caller's reach.`, extensions: { code: 'FORBIDDEN' } });
    expect(missing.body.errors![0]!.message).toBe("Forbidden: no application 20260101440106999999 is within the caller's reach.");
    const still = await graph.query(`{ application(id: "${application.id}") { status } }`);
    expect(still.body.data.application.status).toBe('APPROVED');
  });
});

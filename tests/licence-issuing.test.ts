/**
 * Issuing business licences (颁证), over the real departments and gateway, against callers that try to
 * use an issue for something else: a replacement (换发) revokes the licence it replaces only where the
 * caller could revoke it; the service hall issues only on delivering an approved application the library
 * confirms with it, so it withdraws, reinstates and lifts nothing; a suspended (暂扣) or revoked (吊销)
 * licence is not lifted by issuing; Guangdong's keys seal for Guangdong's districts only; a first licence
 * is a founding (企业开办) and needs its application; concurrent issues in one region each get a number.
 * A founding issues only a first licence and a delivery replaces only the licence of the representative the
 * register names, even when the service hall says otherwise; the pre-review relies only on what the
 * applicant owns. One approved application issues one licence, replayed or delivered twice at once, and it
 * states what the register and the application say, not what the caller sends; market regulation's own
 * issue names no representative the register does not.
 */
import BetterSqlite3 from 'better-sqlite3';
import { DEV_PLATFORM_ISSUER, internalAppKeyFile } from '../scripts/dev-keys';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { mintAppToken } from '../scripts/mint-app-token';
import { creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../subgraphs/kit/identifiers/credit-code';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { todayInChina } from '../subgraphs/licence-library/certificate-view';
import { departmentCall, type DepartmentCall } from './support/department-call';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';
import { inlineIssue } from './support/licence-input';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const DISTRICT = '440106';
const active = world.enterprises.filter((e) => e.status === 'ACTIVE');
const outside = active.filter((e) => !e.regionCode.startsWith(DISTRICT));
const inDistrict = active.find((e) => e.regionCode.startsWith(DISTRICT))!;
const inGuangdong = active.filter((e) => e.regionCode.startsWith('44') && e !== inDistrict && !outside.slice(0, 2).includes(e));

let direct: DepartmentCall;
beforeAll(async () => {
  graph = await startGraph();
  direct = await departmentCall(graph, 'licence-issuing');
});
afterAll(() => graph.stop());

const verify = async (number: string, holder: string) =>
  (await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ verifyCertificate(number: "${number}", holder: "${holder}") { authentic valid status } }`)).body.data.verifyCertificate;

async function licencesOf(creditCode: string): Promise<Array<{ number: string; status: string }>> {
  const { body } = await graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${creditCode}") { certificates { number status } } }`);
  expect(body.errors).toBeUndefined();
  return body.data.enterprise.certificates;
}
const licenceOf = async (creditCode: string) => (await licencesOf(creditCode)).find((c) => c.status === 'VALID')!.number;

const ISSUE = 'mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { number status } }';
const inputFor = (e: (typeof active)[number], regionCode: string) => ({
  kind: 'BUSINESS_LICENCE',
  holderCreditCode: e.creditCode,
  representativeIdNumber: e.legalRepresentative,
  regionCode,
  businessLicence: { name: e.name, entityKind: e.kind, legalRepresentativeName: '冒名', registeredCapital: 1, establishedOn: e.establishedOn, address: e.address, businessScope: e.businessScope },
});
const MARKET_SUPERVISION = { app: 'market-supervision', purpose: 'LICENCE_ISSUING' };
const SELECTION = 'number status issuer { authority regionCode }';

async function asServiceHall(purpose: string, query: string, variables?: Record<string, unknown>) {
  const token = await mintAppToken(internalAppKeyFile(graph.keys.dir, 'service-hall'), { app: 'service-hall', issuer: DEV_PLATFORM_ISSUER });
  return graph.query(query, { token, headers: { 'x-purpose': purpose }, ...(variables && { variables }) });
}

test("a district-bound issuer cannot revoke another district's licence by issuing a replacement (换发)", async () => {
  const victim = outside[0]!;
  const number = await licenceOf(victim.creditCode);
  const districtApp = { ...MARKET_SUPERVISION, region: DISTRICT };
  // The direct route is refused: the licence lies outside the caller's district.
  const revoke = await graph.queryAs(districtApp, `mutation { revokeCertificate(number: "${number}", reason: "test") { number } }`);
  expect(revoke.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // The side route: issue a licence for the out-of-district enterprise in the caller's own district.
  const issued = await graph.queryAs(districtApp, inlineIssue(inputFor(victim, DISTRICT), SELECTION));
  expect(issued.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await verify(number, victim.creditCode)).toMatchObject({ authentic: true, valid: true, status: 'VALID' });
});

test("an issuer whose token names no region writes in its department's province only: another province's licence is not suspended, revoked or replaced", async () => {
  const zhejiang = outside.slice(2).find((e) => e.regionCode.startsWith('33'))!;
  const number = await licenceOf(zhejiang.creditCode);
  const before = await licencesOf(zhejiang.creditCode);
  for (const change of ['suspendCertificate', 'revokeCertificate']) {
    const changed = await graph.queryAs(MARKET_SUPERVISION, `mutation { ${change}(number: "${number}", reason: "test") { number status } }`);
    expect(changed.body.errors?.[0]).toMatchObject({ message: `Forbidden: no certificate ${number} is within the caller's reach.`, extensions: { code: 'FORBIDDEN' } });
  }
  // Issuing for it in a Guangdong district would replace (so revoke) its licence: its registration is Zhejiang's.
  const issued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(zhejiang, DISTRICT), SELECTION));
  expect(issued.body.data?.issueCertificate ?? null).toBeNull();
  expect(issued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining("that enterprise's registration lies outside the caller's regions within 广东省市场监督管理局's jurisdiction"), extensions: { code: 'FORBIDDEN' } });
  expect(await licencesOf(zhejiang.creditCode)).toEqual(before);
  expect(await verify(number, zhejiang.creditCode)).toMatchObject({ authentic: true, valid: true, status: 'VALID' });
});

test('the same issuer suspends, reinstates and replaces a licence of its own province', async () => {
  const firm = inGuangdong[2]!;
  const number = await licenceOf(firm.creditCode);
  for (const change of ['suspendCertificate', 'reinstateCertificate']) {
    const changed = await graph.queryAs(MARKET_SUPERVISION, `mutation { ${change}(number: "${number}", reason: "test") { number } }`);
    expect(changed.body.errors).toBeUndefined();
  }
  const issued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(firm, DISTRICT), SELECTION));
  expect(issued.body.errors).toBeUndefined();
  expect(await licencesOf(firm.creditCode)).toEqual(expect.arrayContaining([{ number, status: 'REVOKED' }, { number: issued.body.data.issueCertificate.number, status: 'VALID' }]));
});

test('a revoked (吊销, final) business licence is not made valid again by issuing a new one', async () => {
  const victim = inDistrict;
  const number = await licenceOf(victim.creditCode);
  const revoked = await graph.queryAs(MARKET_SUPERVISION, `mutation { revokeCertificate(number: "${number}", reason: "吊销营业执照") { status } }`);
  expect(revoked.body.errors).toBeUndefined();
  // The service hall issues only on a delivery it names; market regulation itself replaces no revoked licence either.
  const issued = await asServiceHall('CERTIFICATE_ISSUING', ISSUE, { input: inputFor(victim, victim.regionCode) });
  expect(issued.body.data?.issueCertificate ?? null).toBeNull();
  const reissued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(victim, victim.regionCode), SELECTION));
  expect(reissued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining(`was revoked (吊销营业执照)`), extensions: { code: 'BAD_USER_INPUT' } });
  expect(await licencesOf(victim.creditCode)).toEqual([{ number, status: 'REVOKED' }]);
});

test('the service hall, which revokes nothing, cannot withdraw a valid licence by issuing over it', async () => {
  const victim = outside[1]!;
  const number = await licenceOf(victim.creditCode);
  const issued = await asServiceHall('CERTIFICATE_ISSUING', ISSUE, { input: inputFor(victim, victim.regionCode) });
  expect(issued.body.errors?.[0]).toMatchObject({ message: 'App service-hall issues only on delivering an application (颁证送达): give application.', extensions: { code: 'BAD_USER_INPUT' } });
  expect(await verify(number, victim.creditCode)).toMatchObject({ authentic: true, valid: true, status: 'VALID' });
});

test('the service hall cannot name an application its issue does not deliver: the library asks the service hall', async () => {
  const victim = outside[1]!;
  const number = await licenceOf(victim.creditCode);
  // A real application of this enterprise and representative, submitted but not approved.
  const submitted = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: victim.legalRepresentative }, 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }', {
    input: { itemCode: 'SC-ZZBG-003', applicant: victim.legalRepresentative, enterprise: victim.creditCode, mode: 'FULL_ONLINE', acceptingRegion: DISTRICT, handlingRegion: DISTRICT, idempotencyKey: 'licence-issuing-unapproved', manualReview: true },
  });
  expect(submitted.body.errors).toBeUndefined();
  expect(submitted.body.data.submitApplication.status).not.toBe('APPROVED');
  const id = submitted.body.data.submitApplication.id;
  for (const application of [id, 'GD-2099-999999']) {
    const issued = await asServiceHall('CERTIFICATE_ISSUING', ISSUE, { input: { ...inputFor(victim, DISTRICT), application } });
    expect(issued.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Forbidden: application .+ is not an approved application delivering this BUSINESS_LICENCE/), extensions: { code: 'FORBIDDEN' } });
  }
  expect(await verify(number, victim.creditCode)).toMatchObject({ authentic: true, valid: true, status: 'VALID' });
});

test("Guangdong's market regulation app cannot seal a licence in another province's authority's name", async () => {
  const elsewhere = active.find((e) => !e.regionCode.startsWith('44'))!;
  const issued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(elsewhere, elsewhere.regionCode), SELECTION));
  expect(issued.body.data?.issueCertificate ?? null).toBeNull();
  expect(issued.body.errors?.[0]).toMatchObject({ message: '广东省市场监督管理局 issues in the districts of its own province only: give one of its district codes (GB/T 2260, beginning 44).', extensions: { code: 'BAD_USER_INPUT' } });
});

test('concurrent issuances in one region each get a number, and no SQL reaches the caller', async () => {
  const firms = inGuangdong.slice(3, 8);
  const answers = await Promise.all(firms.map((e) => graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(e, '440305'), SELECTION))));
  expect(answers.map((a) => a.body.errors ?? [])).toEqual(firms.map(() => []));
  const numbers = answers.map((a) => a.body.data.issueCertificate.number);
  expect(new Set(numbers).size).toBe(firms.length);
  // Each replaced exactly the licence its enterprise held: one VALID licence each, the new one.
  for (const [i, firm] of firms.entries()) expect((await licencesOf(firm.creditCode)).filter((c) => c.status === 'VALID')).toEqual([{ number: numbers[i], status: 'VALID' }]);
});

test('a licence is sealed only for an enterprise the register holds', async () => {
  const first16 = `91${DISTRICT}MA59QT7K`;
  const first17 = first16 + organisationCodeCheckCharacter(first16.slice(8));
  const nobody = { ...active[2]!, creditCode: first17 + creditCodeCheckCharacter(first17) };
  expect(world.enterprises.some((e) => e.creditCode === nobody.creditCode)).toBe(false);
  const issued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(nobody, DISTRICT), SELECTION));
  expect(issued.body.data?.issueCertificate ?? null).toBeNull();
  expect(issued.body.errors?.[0]?.message).toBe(`${nobody.creditCode} holds no business licence: a first one is issued only on delivering its founding application (企业开办).`);
});

test('a suspended (暂扣) business licence is not lifted by issuing a new one', async () => {
  const victim = inGuangdong[1]!;
  const number = await licenceOf(victim.creditCode);
  const suspended = await graph.queryAs(MARKET_SUPERVISION, `mutation { suspendCertificate(number: "${number}", reason: "暂扣营业执照") { status } }`);
  expect(suspended.body.errors).toBeUndefined();
  const issued = await asServiceHall('CERTIFICATE_ISSUING', ISSUE, { input: inputFor(victim, victim.regionCode) });
  expect(issued.body.data?.issueCertificate ?? null).toBeNull();
  // Nor by market regulation's own app: it reinstates a suspended licence, it does not issue over it.
  const reissued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue(inputFor(victim, victim.regionCode), SELECTION));
  expect(reissued.body.errors?.[0]).toMatchObject({ message: `Certificate ${number} is SUSPENDED: only a VALID certificate can be replaced by issuing a new one.`, extensions: { code: 'BAD_USER_INPUT' } });
  expect(await licencesOf(victim.creditCode)).toEqual([{ number, status: 'SUSPENDED' }]);
});

describe("a delivery issues what the register and the library allow, whatever the service hall's rows say", () => {
  // In-district firms the tests above leave alone.
  const firms = active.filter((e) => e.regionCode.startsWith(DISTRICT) && e !== inDistrict && !inGuangdong.slice(0, 8).includes(e)).slice(0, 5);
  const representatives = new Set(world.enterprises.map((e) => e.legalRepresentative));
  const citizen = world.persons.find((p) => p.status === 'NORMAL' && !representatives.has(p.idNumber))!.idNumber;
  const FOUNDING_FORM = [
    { key: 'enterpriseName', value: '广州评审测试科技有限公司' },
    { key: 'registeredCapital', value: '10' },
    { key: 'businessScope', value: '软件开发' },
    { key: 'enterpriseAddress', value: '广州市天河区测试路1号' },
  ];
  let serial = 0;

  async function submit(applicant: string, input: Record<string, unknown>) {
    serial += 1;
    return graph.queryAs(
      { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: applicant },
      'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status preReview { code passed problem certificate { number } } certificatesReliedOn { kind number } } }',
      { input: { applicant, mode: 'FULL_ONLINE', acceptingRegion: DISTRICT, handlingRegion: DISTRICT, idempotencyKey: `founding-${serial}`, manualReview: true, ...input } },
    );
  }

  /** What a service hall that took a caller's word would hold: the application approved, for this enterprise and applicant. */
  function hallSays(id: string, row: { enterprise: string; applicant?: string }) {
    const db = new BetterSqlite3(sqliteFileFor(graph.dataDir, 'service-hall'));
    try {
      db.prepare("UPDATE application SET status = 'APPROVED', enterprise = ?, applicant = coalesce(?, applicant) WHERE id = ?").run(row.enterprise, row.applicant ?? null, id);
    } finally {
      db.close();
    }
  }

  const issueDirectly = (input: Record<string, unknown>) =>
    direct('licence-library', { app: 'service-hall', purpose: 'CERTIFICATE_ISSUING' }, ISSUE, { input });

  /** A change's (变更) licence as the register states it, naming the representative as public security does. */
  const registeredLicence = (e: (typeof active)[number]) => ({
    name: e.name,
    entityKind: e.kind,
    legalRepresentativeName: world.persons.find((p) => p.idNumber === e.legalRepresentative)!.name,
    registeredCapital: e.registeredCapital,
    establishedOn: e.establishedOn,
    address: e.address,
    businessScope: e.businessScope,
  });

  const desk = (id: string, action: string) =>
    graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: DISTRICT }, `mutation { advanceApplication(id: "${id}", action: ${action}) { status issuedCertificate { number } } }`);

  /** The firm's representative's change (变更), taken by the desk up to its approval. */
  async function approvedChange(firm: (typeof active)[number]): Promise<string> {
    const change = await submit(firm.legalRepresentative, { itemCode: 'SC-ZZBG-003', enterprise: firm.creditCode });
    expect(change.body.errors).toBeUndefined();
    const id = change.body.data.submitApplication.id;
    for (const action of ['ACCEPT', 'REVIEW', 'APPROVE']) expect((await desk(id, action)).body.errors).toBeUndefined();
    return id;
  }

  test('a founding that names an existing enterprise is refused at submission and, called directly, by the library, and revokes nothing', async () => {
    const victim = firms[0]!;
    const number = await licenceOf(victim.creditCode);
    const named = await submit(citizen, { itemCode: 'SC-QYKB-001', enterprise: victim.creditCode, form: FOUNDING_FORM });
    expect(named.body.errors?.[0]).toMatchObject({ message: '企业开办 concerns no existing enterprise: give no enterprise (the one it founds is assigned its credit code on approval).', extensions: { code: 'BAD_USER_INPUT' } });
    const mine = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen }, `{ person(idNumber: "${citizen}") { applications { id } } }`);
    expect(mine.body.data.person.applications).toEqual([]);

    // The library holds the rule on its own: a founding the service hall says is approved for the firm.
    const founding = await submit(citizen, { itemCode: 'SC-QYKB-001', form: FOUNDING_FORM });
    expect(founding.body.errors).toBeUndefined();
    const id = founding.body.data.submitApplication.id;
    hallSays(id, { enterprise: victim.creditCode });
    // Stating what the founding's form says: only what it founds is refused.
    const founded = { name: FOUNDING_FORM[0]!.value, entityKind: '有限责任公司（自然人独资）', legalRepresentativeName: world.persons.find((p) => p.idNumber === citizen)!.name, registeredCapital: 10, establishedOn: todayInChina(), address: FOUNDING_FORM[3]!.value, businessScope: FOUNDING_FORM[2]!.value };
    const issued = await issueDirectly({ ...inputFor(victim, DISTRICT), businessLicence: founded, representativeIdNumber: citizen, application: id });
    expect(issued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining('a founding (企业开办) issues only the first licence'), extensions: { code: 'FORBIDDEN' } });
    // Nor through the desk's delivery: nothing is delivered.
    const delivered = await graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: DISTRICT }, `mutation { advanceApplication(id: "${id}", action: DELIVER) { status } }`);
    expect(delivered.body.errors?.[0]).toMatchObject({ message: `Application ${id} was not delivered: its certificate could not be issued (FORBIDDEN). Nothing changed: deliver it again.`, extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    const after = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen }, `{ person(idNumber: "${citizen}") { applications { id status } } }`);
    expect(after.body.data.person.applications).toEqual([{ id, status: 'APPROVED' }]);
    expect(await licencesOf(victim.creditCode)).toEqual([{ number, status: 'VALID' }]);
  });

  test('a delivery cannot supersede a licence representing someone else; the register\'s representative\'s can', async () => {
    const firm = firms[1]!;
    const number = await licenceOf(firm.creditCode);
    const change = await submit(firm.legalRepresentative, { itemCode: 'SC-ZZBG-003', enterprise: firm.creditCode });
    expect(change.body.errors).toBeUndefined();
    const id = change.body.data.submitApplication.id;
    // The service hall says the citizen applied: the register names someone else.
    hallSays(id, { enterprise: firm.creditCode, applicant: citizen });
    const issued = await issueDirectly({ ...inputFor(firm, DISTRICT), businessLicence: registeredLicence(firm), representativeIdNumber: citizen, application: id });
    expect(issued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining("market regulation's register does not name the applicant"), extensions: { code: 'FORBIDDEN' } });
    expect(await licencesOf(firm.creditCode)).toEqual([{ number, status: 'VALID' }]);

    hallSays(id, { enterprise: firm.creditCode, applicant: firm.legalRepresentative });
    const replaced = await issueDirectly({ ...inputFor(firm, DISTRICT), businessLicence: registeredLicence(firm), application: id });
    expect(replaced.body.errors).toBeUndefined();
    expect(await licencesOf(firm.creditCode)).toEqual(expect.arrayContaining([{ number, status: 'REVOKED' }, { number: replaced.body.data.issueCertificate.number, status: 'VALID' }]));
  });

  test("the pre-review relies only on the applicant's own certificates: the firm's licence naming another is neither relied on nor shown", async () => {
    const firm = firms[2]!;
    const number = await licenceOf(firm.creditCode);
    // Market regulation's own app names no representative the register does not show ...
    const reissued = await graph.queryAs(MARKET_SUPERVISION, inlineIssue({ ...inputFor(firm, firm.regionCode), representativeIdNumber: citizen }, SELECTION));
    expect(reissued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining("market regulation's register does not name that person"), extensions: { code: 'FORBIDDEN' } });
    expect(await licencesOf(firm.creditCode)).toEqual([{ number, status: 'VALID' }]);
    // ... so the library's own database is made to record another on the firm's licence, as a licence from before the check could.
    const library = new BetterSqlite3(sqliteFileFor(graph.dataDir, 'licence-library'));
    try {
      library.prepare('UPDATE certificate SET representativeKey = ? WHERE number = ?').run(citizen, number);
    } finally {
      library.close();
    }
    const own = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: firm.legalRepresentative };
    expect((await graph.queryAs(own, `{ certificate(number: "${number}") { number } }`)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const change = await submit(firm.legalRepresentative, { itemCode: 'SC-ZZBG-003', enterprise: firm.creditCode });
    expect(change.body.errors).toBeUndefined();
    const application = change.body.data.submitApplication;
    expect(application.preReview).toContainEqual({ code: 'CERTIFICATE_BUSINESS_LICENCE', passed: false, problem: 'HELD_BY_ANOTHER', certificate: null });
    expect(application.certificatesReliedOn.map((c: { kind: string }) => c.kind)).not.toContain('BUSINESS_LICENCE');
    const read = await graph.queryAs(own, `{ application(id: "${application.id}") { preReview { certificate { number } } certificatesReliedOn { number } } }`);
    expect(JSON.stringify(read.body)).not.toContain(number);
  });

  test("a delivery seals what the register states, not the caller's data, and an approved application delivers once", async () => {
    const firm = firms[3]!;
    const number = await licenceOf(firm.creditCode);
    const id = await approvedChange(firm);
    const forged = await issueDirectly({ ...inputFor(firm, DISTRICT), application: id });
    expect(forged.body.errors?.[0]).toMatchObject({
      message: `Forbidden: the licence data differs from what application ${id} and market regulation's register state (legalRepresentativeName, registeredCapital): nothing was issued.`,
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await licencesOf(firm.creditCode)).toEqual([{ number, status: 'VALID' }]);

    // Sent with no data, as the service hall sends it, the delivery seals the register's.
    const { businessLicence: _, ...withoutData } = inputFor(firm, DISTRICT);
    const first = await issueDirectly({ ...withoutData, application: id });
    expect(first.body.errors).toBeUndefined();
    const sealed = new BetterSqlite3(sqliteFileFor(graph.dataDir, 'licence-library'), { readonly: true });
    try {
      const row = sealed.prepare('SELECT data FROM certificate WHERE number = ?').get(first.body.data.issueCertificate.number) as { data: string };
      expect(JSON.parse(row.data)).toEqual({ creditCode: firm.creditCode, ...registeredLicence(firm) });
    } finally {
      sealed.close();
    }
    // Sent again, with the very data the register states, it is refused all the same.
    const again = await issueDirectly({ ...inputFor(firm, DISTRICT), businessLicence: registeredLicence(firm), application: id });
    expect(again.body.errors?.[0]).toMatchObject({
      message: `Forbidden: application ${id} has already been delivered: one approved application issues one licence. Nothing was issued or revoked.`,
      extensions: { code: 'FORBIDDEN' },
    });
    const issued = first.body.data.issueCertificate.number;
    expect(await licencesOf(firm.creditCode)).toEqual(expect.arrayContaining([{ number, status: 'REVOKED' }, { number: issued, status: 'VALID' }]));
    expect(await licencesOf(firm.creditCode)).toHaveLength(2);
  });

  test('DELIVER sent four times at once issues one licence, the one the application names', async () => {
    const firm = firms[4]!;
    const number = await licenceOf(firm.creditCode);
    const id = await approvedChange(firm);
    const answers = await Promise.all([1, 2, 3, 4].map(() => desk(id, 'DELIVER')));
    const delivered = answers.filter((a) => a.body.errors === undefined);
    expect(delivered).toHaveLength(1);
    const issued = delivered[0]!.body.data.advanceApplication.issuedCertificate.number;
    expect(delivered[0]!.body.data.advanceApplication.status).toBe('DELIVERED');
    const licences = await licencesOf(firm.creditCode);
    expect(licences).toHaveLength(2);
    expect(licences).toEqual(expect.arrayContaining([{ number, status: 'REVOKED' }, { number: issued, status: 'VALID' }]));
  });
});

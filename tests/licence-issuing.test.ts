/**
 * Issuing business licences (颁证), over the real departments and gateway, against callers that try to
 * use an issue for something else: a replacement (换发) revokes the licence it replaces only where the
 * caller could revoke it; the service hall issues only on delivering an approved application the library
 * confirms with it, so it withdraws, reinstates and lifts nothing; a suspended (暂扣) or revoked (吊销)
 * licence is not lifted by issuing; Guangdong's keys seal for Guangdong's districts only; a first licence
 * is a founding (企业开办) and needs its application; concurrent issues in one region each get a number.
 */
import { DEV_PLATFORM_ISSUER, internalAppKeyFile } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../subgraphs/kit/identifiers/credit-code';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';
import { inlineIssue } from './support/licence-input';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const DISTRICT = '440106';
const active = world.enterprises.filter((e) => e.status === 'ACTIVE');
const outside = active.filter((e) => !e.regionCode.startsWith(DISTRICT));
const inDistrict = active.find((e) => e.regionCode.startsWith(DISTRICT))!;
const inGuangdong = active.filter((e) => e.regionCode.startsWith('44') && e !== inDistrict && !outside.slice(0, 2).includes(e));

beforeAll(async () => {
  graph = await startGraph();
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

/**
 * 电子证照库 end to end, over the real departments and gateway: a citizen reads their own 卡包 and no one
 * else's (the gateway's rule and the library's own); verifyCertificate answers nothing about the holder;
 * an exported certificate verifies offline and one altered field fails naming it; a revoked business
 * licence shows REVOKED, in verifyCertificate and on the signed status list; a read of a certificate is
 * a read of its holder in the trail and the holder's access log. An enterprise's licence is also the own data
 * of the legal representative it names: their portal opens it, no other citizen's does, nor the library
 * called directly for anyone else; the desk reads no enterprise's licence. A withheld certificate looks
 * the same whether or not it exists (THREATS G29), and a verification naming a holder is in their access
 * log. Issuing and its abuses: tests/licence-issuing.test.ts.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEV_PLATFORM_ISSUER, internalAppKeyFile } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { departmentCall, type DepartmentCall } from './support/department-call';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';
import { inlineIssue } from './support/licence-input';

let graph: TestGraph;
let direct: DepartmentCall;
const world = buildWorld(TEST_WORLD);
const [citizen, other] = world.persons.filter((p) => p.relation === '户主');
const active = world.enterprises.find((e) => e.status === 'ACTIVE')!;
/** Market supervision writes to Guangdong's licences only (its department's jurisdiction): the firms it revokes and issues for. */
const guangdong = world.enterprises.filter((e) => e.status === 'ACTIVE' && e.regionCode.startsWith('44'));
const licensee = guangdong.at(-2)!;

beforeAll(async () => {
  graph = await startGraph();
  direct = await departmentCall(graph, 'licence');
});
afterAll(() => graph.stop());

const CARD = 'number kind status issuer { department authority } issuedOn validUntil seal { algorithm keyId } data { __typename ... on ResidentIdCardData { name idNumber } ... on HouseholdRegisterData { householdNumber } }';
const asCitizen = (query: string, operator = citizen!.idNumber) => graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator }, query);
const verify = (number: string, holder: string) =>
  graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ verifyCertificate(number: "${number}", holder: "${holder}") { authentic valid kind status issuer { department authority regionCode } } }`);

async function cardsOf(idNumber: string): Promise<Array<{ number: string; kind: string; document: string }>> {
  const { body } = await asCitizen(`{ person(idNumber: "${idNumber}") { certificates { number kind document } } }`, idNumber);
  expect(body.errors).toBeUndefined();
  return body.data.person.certificates;
}

/** The service hall is a platform app: its tokens come from the platform issuer only. */
async function asServiceHall(purpose: string, query: string, variables?: Record<string, unknown>) {
  const token = await mintAppToken(internalAppKeyFile(graph.keys.dir, 'service-hall'), { app: 'service-hall', issuer: DEV_PLATFORM_ISSUER });
  return graph.query(query, { token, headers: { 'x-purpose': purpose }, ...(variables && { variables }) });
}

async function licence(cli: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'licence.ts'), ...cli], { env: { ...process.env, DATA_DIR: graph.dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("a citizen's 卡包 holds their ID card and household register, sealed by public security", async () => {
  const { body } = await asCitizen(`{ person(idNumber: "${citizen!.idNumber}") { certificates { ${CARD} } } }`);
  expect(body.errors).toBeUndefined();
  const cards = body.data.person.certificates;
  const idCard = cards.find((c: any) => c.kind === 'RESIDENT_ID_CARD');
  expect(idCard).toMatchObject({
    number: expect.stringMatching(new RegExp(`^SF${citizen!.regionCode}\\d{12}$`)),
    issuer: { department: 'PUBLIC_SECURITY', authority: expect.stringMatching(/公安局.+分局$/) },
    seal: { algorithm: 'SM2-SM3', keyId: expect.stringMatching(/^public-security-/) },
    data: { __typename: 'ResidentIdCardData', name: citizen!.name, idNumber: citizen!.idNumber },
  });
  expect(cards.find((c: any) => c.kind === 'HOUSEHOLD_REGISTER').data).toEqual({ __typename: 'HouseholdRegisterData', householdNumber: citizen!.householdNumber });
  // The holder is public security's person (or market regulation's enterprise), joined through the graph.
  const holders = await graph.query(`{ citizen: certificate(number: "${idCard.number}") { holder { __typename ... on Person { name } } } firm: enterprise(creditCode: "${active.creditCode}") { certificates { holder { __typename ... on Enterprise { name } } } } }`);
  expect(holders.body.errors).toBeUndefined();
  expect(holders.body.data).toEqual({ citizen: { holder: { __typename: 'Person', name: citizen!.name } }, firm: { certificates: [{ holder: { __typename: 'Enterprise', name: active.name } }] } });
});

test("a citizen reads no one else's certificates: not through the person, not by number, not from the library directly", async () => {
  const theirs = (await cardsOf(other!.idNumber))[0]!.number;
  const throughPerson = await asCitizen(`{ person(idNumber: "${other!.idNumber}") { certificates { number } } }`);
  expect(throughPerson.body.data?.person ?? null).toBeNull();
  expect(throughPerson.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

  const byNumber = await asCitizen(`{ certificate(number: "${theirs}") { number data { ... on ResidentIdCardData { name } } } }`);
  expect(byNumber.body.data.certificate).toBeNull();
  expect(byNumber.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const own = await asCitizen(`{ certificate(number: "${(await cardsOf(citizen!.idNumber))[0]!.number}") { number } }`);
  expect(own.body.errors).toBeUndefined();

  // The library's own row gate, with a gateway-signed token asking it directly: the same refusal.
  const mine = await direct('licence-library', { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen!.idNumber }, `{ certificate(number: "${theirs}") { number } }`);
  expect(mine.body.data?.certificate ?? null).toBeNull();
  expect(mine.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('verifyCertificate says authentic, valid, kind, issuer and status, and nothing of the holder', async () => {
  const card = (await cardsOf(citizen!.idNumber)).find((c) => c.kind === 'RESIDENT_ID_CARD')!;
  const answer = await verify(card.number, citizen!.idNumber);
  expect(answer.body.errors).toBeUndefined();
  expect(answer.body.data.verifyCertificate).toEqual({
    authentic: true,
    valid: expect.any(Boolean),
    kind: 'RESIDENT_ID_CARD',
    status: expect.stringMatching(/^(VALID|EXPIRED)$/),
    issuer: { department: 'PUBLIC_SECURITY', authority: expect.any(String), regionCode: citizen!.regionCode },
  });
  expect(JSON.stringify(answer.body)).not.toContain(citizen!.name);
  // Another holder's number, or a number that is not there: the same answer.
  const notTheirs = { authentic: false, valid: false, kind: null, status: null, issuer: null };
  expect((await verify(card.number, other!.idNumber)).body.data.verifyCertificate).toEqual(notTheirs);
  expect((await verify('SF440106202699999999', citizen!.idNumber)).body.data.verifyCertificate).toEqual(notTheirs);
  // The purpose grants no certificate itself: the portal reads certificates only under its citizen-bound purpose.
  const refused = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ certificate(number: "${card.number}") { number } }`);
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
});

test('an exported certificate verifies offline; altering one field fails naming it', async () => {
  const card = (await cardsOf(citizen!.idNumber)).find((c) => c.kind === 'HOUSEHOLD_REGISTER')!;
  const file = join(graph.dataDir, 'household-register.json');
  writeFileSync(file, card.document);
  const good = await licence(['verify', file]);
  expect(good).toEqual({ code: 0, stdout: `${file}: HOUSEHOLD_REGISTER ${card.number}, sealed by ${JSON.parse(card.document).issuer.authority}: authentic and valid\n`, stderr: '' });

  // The keys the graph publishes are enough: no file of the library's is needed.
  const published = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, '{ certificateIssuers { department name keys { keyId algorithm publicKey createdOn retiredOn } } }');
  expect(published.body.errors).toBeUndefined();
  const keysFile = join(graph.dataDir, 'issuers.json');
  const signers = published.body.data.certificateIssuers.map(({ department, ...rest }: any) => ({ signer: department, ...rest }));
  writeFileSync(keysFile, JSON.stringify({ format: 'govgraph-certificate-keys/1', signers }));
  expect((await licence(['verify', file, '--keys', keysFile])).code).toBe(0);

  const altered = JSON.parse(card.document);
  altered.data.memberCount += 1;
  writeFileSync(file, JSON.stringify(altered));
  expect(await licence(['verify', file])).toEqual({ code: 1, stdout: `${file} does not verify:\n  - field data.memberCount was altered: it does not match the seal\n`, stderr: '' });

  // The library's own export is the same document as the graph's.
  const exported = await licence(['export', card.number]);
  expect(exported.code).toBe(0);
  expect(JSON.parse(exported.stdout)).toEqual(JSON.parse(card.document));
});

describe('revocation by the issuer', () => {
  let number: string;
  const revoke = (by: (purpose: string, query: string) => Promise<GraphQLResponse>, purpose: string) =>
    by(purpose, `mutation { revokeCertificate(number: "${number}", reason: "以欺骗手段取得登记，吊销营业执照") { number status statusReason } }`);
  const asMarketSupervision = (purpose: string, query: string) => graph.queryAs({ app: 'market-supervision', purpose }, query);

  beforeAll(async () => {
    const { body } = await graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${licensee.creditCode}") { certificates { number kind status } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.enterprise.certificates).toEqual([{ number: expect.stringMatching(new RegExp(`^YZ${licensee.regionCode}`)), kind: 'BUSINESS_LICENCE', status: 'VALID' }]);
    number = body.data.enterprise.certificates[0].number;
  });

  test('only the issuing department revokes: another app is refused as if the licence did not exist', async () => {
    // The service hall issues and is not granted revoking; an app granted it that acts for no issuer is refused by the library.
    expect((await revoke(asServiceHall, 'CERTIFICATE_ISSUING')).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const refused = await revoke((_purpose, query) => graph.query(query), EVERYTHING_PURPOSE);
    expect(refused.body.errors?.[0]).toMatchObject({ message: `Forbidden: no certificate ${number} is within the caller's reach.`, extensions: { code: 'FORBIDDEN' } });
    const grantless = await revoke(asMarketSupervision, 'MARKET_INSPECTION');
    expect(grantless.body.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expect((await verify(number, licensee.creditCode)).body.data.verifyCertificate).toMatchObject({ authentic: true, valid: true, status: 'VALID' });
  });

  test('a revoked licence shows REVOKED in verifyCertificate and on the signed status list', async () => {
    const revoked = await revoke(asMarketSupervision, 'LICENCE_ISSUING');
    expect(revoked.body.errors).toBeUndefined();
    expect(revoked.body.data.revokeCertificate).toEqual({ number, status: 'REVOKED', statusReason: '以欺骗手段取得登记，吊销营业执照' });
    expect((await verify(number, licensee.creditCode)).body.data.verifyCertificate).toMatchObject({ authentic: true, valid: false, kind: 'BUSINESS_LICENCE', status: 'REVOKED' });
    const again = await revoke(asMarketSupervision, 'LICENCE_ISSUING');
    expect(again.body.errors?.[0]).toMatchObject({ message: `Certificate ${number} is REVOKED: only a VALID or SUSPENDED certificate can be revoked.`, extensions: { code: 'BAD_USER_INPUT' } });

    const list = await licence(['status-list']);
    expect(list.code).toBe(0);
    const listFile = join(graph.dataDir, 'status-list.json');
    writeFileSync(listFile, list.stdout);
    const file = join(graph.dataDir, 'licence.json');
    writeFileSync(file, (await licence(['export', number])).stdout);
    const checked = await licence(['verify', file, '--status', listFile]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/revoked on \d{4}-\d{2}-\d{2} \(以欺骗手段取得登记，吊销营业执照\), as of the status list of /);
  });
});

test("issuing a business licence seals it in the handling region's name and replaces the one held", async () => {
  const holder = world.enterprises.find((e) => e.status === 'ACTIVE' && e !== active)!;
  const issued = await graph.queryAs(
    { app: 'market-supervision', purpose: 'LICENCE_ISSUING' },
    inlineIssue(
      {
        kind: 'BUSINESS_LICENCE',
        holderCreditCode: holder.creditCode,
        representativeIdNumber: holder.legalRepresentative,
        regionCode: '440106',
        businessLicence: { name: holder.name, entityKind: holder.kind, legalRepresentativeName: world.persons.find((p) => p.idNumber === holder.legalRepresentative)!.name, registeredCapital: 200, establishedOn: holder.establishedOn, address: holder.address, businessScope: holder.businessScope },
      },
      'number kind status issuer { department authority regionCode } seal { keyId }',
    ),
  );
  expect(issued.body.errors).toBeUndefined();
  const licence = issued.body.data.issueCertificate;
  expect(licence).toMatchObject({ number: expect.stringMatching(/^YZ440106\d{12}$/), kind: 'BUSINESS_LICENCE', status: 'VALID', issuer: { department: 'MARKET_REGULATION', authority: '广州市天河区市场监督管理局', regionCode: '440106' } });
  const { body } = await graph.queryAs({ app: 'market-supervision', purpose: 'MARKET_INSPECTION' }, `{ enterprise(creditCode: "${holder.creditCode}") { certificates { number status statusReason } } }`);
  expect(body.data.enterprise.certificates).toEqual([
    { number: licence.number, status: 'VALID', statusReason: null },
    { number: expect.any(String), status: 'REVOKED', statusReason: `换发新照 ${licence.number}` },
  ]);
});

describe('the issuer sends its licence through a variable: judged by the fields the value holds, as if written inline', () => {
  const holder = guangdong.at(-1)!;
  const representative = world.persons.find((p) => p.idNumber === holder.legalRepresentative)!;
  const licenceInput = {
    kind: 'BUSINESS_LICENCE',
    holderCreditCode: holder.creditCode,
    representativeIdNumber: holder.legalRepresentative,
    regionCode: '440106',
    businessLicence: { name: holder.name, entityKind: holder.kind, legalRepresentativeName: representative.name, registeredCapital: 100, establishedOn: holder.establishedOn, address: holder.address, businessScope: holder.businessScope },
  };
  const ISSUE = 'mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { number } }';
  const asIssuer = (query: string, variables?: Record<string, unknown>) => graph.queryAs({ app: 'market-supervision', purpose: 'LICENCE_ISSUING' }, query, variables);

  test('without the ungranted holderIdNumber the licence is issued', async () => {
    const issued = await asIssuer(ISSUE, { input: licenceInput });
    expect(issued.body.errors).toBeUndefined();
    expect(issued.body.data.issueCertificate.number).toMatch(/^YZ440106\d{12}$/);
  });

  test('with it, even as null, the mutation is refused with the error the same input written inline gets', async () => {
    const inline = await asIssuer(
      `mutation { issueCertificate(input: { kind: BUSINESS_LICENCE, holderCreditCode: "${holder.creditCode}", holderIdNumber: "${representative.idNumber}", regionCode: "440106" }) { number } }`,
    );
    expect(inline.body.data ?? null).toBeNull();
    expect(inline.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('IssueCertificateInput.holderIdNumber'), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    for (const holderIdNumber of [representative.idNumber, null]) {
      const refused = await asIssuer(ISSUE, { input: { ...licenceInput, holderIdNumber } });
      expect(refused.body.data ?? null).toBeNull();
      expect(refused.body.errors).toEqual(inline.body.errors);
    }
  });
});

test("a read of a certificate is a read of its holder: in the trail and in the holder's access log", async () => {
  const card = (await cardsOf(other!.idNumber))[0]!;
  const read = await graph.query(`{ certificate(number: "${card.number}") { number kind } }`);
  expect(read.body.errors).toBeUndefined();
  const log = await asCitizen(`{ person(idNumber: "${other!.idNumber}") { accessLog { app fields } } }`, other!.idNumber);
  expect(log.body.errors).toBeUndefined();
  expect(log.body.data.person.accessLog).toContainEqual({ app: EVERYTHING_APP, fields: ['Certificate.kind', 'Certificate.number', 'Query.certificate'] });
  const trail = await graph.queryAs({ app: 'auditor', purpose: 'AUDIT_REVIEW' }, `{ auditRecords(subject: "${licensee.creditCode}") { nodes { app purpose } } }`);
  expect(trail.body.errors).toBeUndefined();
  expect(trail.body.data.auditRecords.nodes).toContainEqual({ app: 'market-supervision', purpose: 'LICENCE_ISSUING' });
});

test("the desk reads the certificates of its case's applicant, and of no one else", async () => {
  const submitted = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen!.idNumber }, 'mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }', {
    input: { itemCode: 'ZW-DZZZ-007', applicant: citizen!.idNumber, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'licence-desk' },
  });
  expect(submitted.body.errors).toBeUndefined();
  const caseId = submitted.body.data.submitApplication.id;
  const desk = (query: string) => graph.queryAs({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId }, query);
  const own = await desk(`{ application(id: "${caseId}") { applicant { certificates { kind status data { ... on HouseholdRegisterData { householdNumber } } } } } }`);
  expect(own.body.errors).toBeUndefined();
  expect(own.body.data.application.applicant.certificates).toContainEqual({ kind: 'HOUSEHOLD_REGISTER', status: 'VALID', data: { householdNumber: citizen!.householdNumber } });
  const others = await desk(`{ person(idNumber: "${other!.idNumber}") { certificates { kind } } }`);
  expect(others.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  // No enterprise's licence, whoever represents it: the desk is granted neither Enterprise.certificates nor a lookup by number.
  const { body } = await graph.query(`{ enterprise(creditCode: "${active.creditCode}") { certificates { number } } }`);
  const firmLicence = body.data.enterprise.certificates[0].number;
  for (const query of [`{ application(id: "${caseId}") { enterprise { certificates { number } } } }`, `{ certificate(number: "${firmLicence}") { number } }`]) {
    const refused = await desk(query);
    expect(JSON.stringify(refused.body.data ?? null)).not.toContain(firmLicence);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  }
});

describe("an enterprise's licence is its legal representative's own too, and no one else's", () => {
  const [, , firm] = world.enterprises.filter((e) => e.status === 'ACTIVE' && e !== active);
  const representative = firm!.legalRepresentative;
  const successor = world.persons.find((p) => p.relation === '户主' && p !== citizen && p !== other && p.idNumber !== representative)!;
  const LICENCE = 'number kind status data { ... on BusinessLicenceData { creditCode name } }';
  const licenceOf = async (creditCode: string) => {
    const { body } = await graph.query(`{ enterprise(creditCode: "${creditCode}") { certificates { number status } } }`);
    return body.data.enterprise.certificates as Array<{ number: string; status: string }>;
  };
  const refused = (response: GraphQLResponse | { body: { data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> } }, field: string) => {
    expect(response.body.data?.[field] ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  };

  test('the representative opens it by number and under the enterprise they represent, its holder answered through the union', async () => {
    const [licence] = await licenceOf(firm!.creditCode);
    const byNumber = await asCitizen(`{ certificate(number: "${licence!.number}") { ${LICENCE} holder { __typename ... on Enterprise { name } ... on Person { idNumber } } } }`, representative);
    expect(byNumber.body.errors).toBeUndefined();
    expect(byNumber.body.data.certificate).toEqual({
      number: licence!.number,
      kind: 'BUSINESS_LICENCE',
      status: 'VALID',
      data: { creditCode: firm!.creditCode, name: firm!.name },
      holder: { __typename: 'Enterprise', name: firm!.name },
    });
    const underFirm = await asCitizen(`{ person(idNumber: "${representative}") { enterprises { creditCode certificates { number } } } }`, representative);
    expect(underFirm.body.errors).toBeUndefined();
    expect(underFirm.body.data.person.enterprises).toContainEqual({ creditCode: firm!.creditCode, certificates: [{ number: licence!.number }] });
  });

  test('another citizen opens it neither by number, nor through the holder union, nor from the library directly', async () => {
    const [licence] = await licenceOf(firm!.creditCode);
    refused(await asCitizen(`{ certificate(number: "${licence!.number}") { number } }`), 'certificate');
    refused(await asCitizen(`{ certificate(number: "${licence!.number}") { holder { ... on Enterprise { name certificates { number } } } } }`), 'certificate');
    // From the citizen's own ID card to its holder (themself): their enterprises, if any, never this one's licence.
    const [card] = await cardsOf(citizen!.idNumber);
    const viaOwn = await asCitizen(`{ certificate(number: "${card!.number}") { holder { ... on Person { enterprises { certificates { number } } } } } }`);
    expect(JSON.stringify(viaOwn.body)).not.toContain(licence!.number);

    const portal = { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen!.idNumber };
    refused(await direct('licence-library', portal, `{ certificate(number: "${licence!.number}") { number } }`), 'certificate');
    const entities = await direct('licence-library', portal, `{ _entities(representations: [{ __typename: "Enterprise", creditCode: "${firm!.creditCode}" }]) { ... on Enterprise { certificates { number } } } }`);
    expect(JSON.stringify(entities.body.data)).not.toContain(licence!.number);
    expect(entities.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // The representative's own call to the library directly is answered: the library applies the same rule itself.
    const own = await direct('licence-library', { ...portal, operator: representative }, `{ certificate(number: "${licence!.number}") { number } }`);
    expect(own.body).toEqual({ data: { certificate: { number: licence!.number } } });
  });

  test("a read of it is a read of its representative: in the representative's access log", async () => {
    const [licence] = await licenceOf(firm!.creditCode);
    expect((await graph.query(`{ certificate(number: "${licence!.number}") { number kind } }`)).body.errors).toBeUndefined();
    const log = await asCitizen(`{ person(idNumber: "${representative}") { accessLog { app fields } } }`, representative);
    expect(log.body.errors).toBeUndefined();
    expect(log.body.data.person.accessLog).toContainEqual({ app: EVERYTHING_APP, fields: ['Certificate.kind', 'Certificate.number', 'Query.certificate'] });
  });

  test("a representative the register does not show is named on no licence: market regulation's own issue is refused, the licence stays the registered one's", async () => {
    const [old] = await licenceOf(firm!.creditCode);
    // The register names the representative (it takes no writes through the graph): a change of representative is registered there first.
    const issued = await graph.queryAs(
      { app: 'market-supervision', purpose: 'LICENCE_ISSUING' },
      inlineIssue({
        kind: 'BUSINESS_LICENCE',
        holderCreditCode: firm!.creditCode,
        representativeIdNumber: successor.idNumber,
        regionCode: firm!.regionCode,
        businessLicence: { name: firm!.name, entityKind: firm!.kind, legalRepresentativeName: successor.name, registeredCapital: firm!.registeredCapital, establishedOn: firm!.establishedOn, address: firm!.address, businessScope: firm!.businessScope },
      }),
    );
    expect(issued.body.data?.issueCertificate ?? null).toBeNull();
    expect(issued.body.errors?.[0]).toMatchObject({ message: expect.stringContaining(`market regulation's register does not name that person as ${firm!.creditCode}'s legal representative`), extensions: { code: 'FORBIDDEN' } });
    expect(await licenceOf(firm!.creditCode)).toEqual([old]);
    refused(await asCitizen(`{ certificate(number: "${old!.number}") { number } }`, successor.idNumber), 'certificate');
    const walletOf = async (idNumber: string) =>
      ((await asCitizen(`{ person(idNumber: "${idNumber}") { certificates { number kind } } }`, idNumber)).body.data.person.certificates as Array<{ number: string }>).map((c) => c.number);
    expect(await walletOf(representative)).toContain(old!.number);
    expect(await walletOf(successor.idNumber)).not.toContain(old!.number);
  });

  test('issuing a business licence without its representative is refused and issues nothing', async () => {
    const before = await licenceOf(firm!.creditCode);
    const refusedIssue = await asServiceHall('CERTIFICATE_ISSUING', 'mutation($input: IssueCertificateInput!) { issueCertificate(input: $input) { number } }', {
      input: { kind: 'BUSINESS_LICENCE', holderCreditCode: firm!.creditCode, regionCode: firm!.regionCode, businessLicence: { name: firm!.name, entityKind: firm!.kind, legalRepresentativeName: '张伟', registeredCapital: 1, establishedOn: firm!.establishedOn, address: firm!.address, businessScope: firm!.businessScope } },
    });
    expect(refusedIssue.body.errors?.[0]).toMatchObject({ message: 'A business licence names its legal representative: give representativeIdNumber.', extensions: { code: 'BAD_USER_INPUT' } });
    expect(await licenceOf(firm!.creditCode)).toEqual(before);
  });
});

test("a citizen cannot tell another's certificate number from one that does not exist", async () => {
  const { body } = await asCitizen(`{ person(idNumber: "${other!.idNumber}") { certificates { number } } }`, other!.idNumber);
  const theirs: string = body.data.person.certificates[0].number;
  const missing = `${theirs.slice(0, -8)}99999999`;
  const [existing, absent] = await Promise.all([theirs, missing].map((n) => asCitizen(`{ certificate(number: "${n}") { number } }`)));
  const shape = (r: typeof existing) => ({ data: r.body.data ?? null, errors: r.body.errors?.map((e: { message: string; extensions?: { code?: string } }) => ({ message: e.message, code: e.extensions?.code })) ?? null });
  expect(shape(existing)).toEqual(shape(absent));
});

test("a verification naming a citizen as holder shows in that citizen's access log", async () => {
  const before = await asCitizen(`{ person(idNumber: "${citizen!.idNumber}") { accessLog { purpose app } } }`);
  expect(before.body.errors).toBeUndefined();
  const checks = (log: Array<{ purpose: string }>) => log.filter((e) => e.purpose === 'CERTIFICATE_CHECK').length;
  const verified = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ verifyCertificate(number: "DB${citizen!.regionCode}202600000001", holder: " ${citizen!.idNumber.toLowerCase()} ") { authentic } }`);
  expect(verified.body.errors).toBeUndefined();
  const after = await asCitizen(`{ person(idNumber: "${citizen!.idNumber}") { accessLog { purpose app } } }`);
  expect(checks(after.body.data.person.accessLog)).toBe(checks(before.body.data.person.accessLog) + 1);
});

/**
 * Certificates as materials (免提交) and issued on delivery (颁证送达), end to end over the real departments
 * and gateway: the service hall's pre-review reads the certificates an item requires from the library and
 * relies on them (number and kind, never contents); 秒批 lists them; a missing or revoked one fails its
 * check saying why; delivering 企业开办 issues the new enterprise's business licence, which verifies offline and
 * which its founder, the legal representative it names, opens and exports from the citizen's portal.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { creditCodeProblem } from '../subgraphs/kit/identifiers/credit-code';
import { ageOnReference } from '../subgraphs/kit/synthetic/population';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { EVERYTHING_APP, TEST_WORLD, startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
const world = buildWorld(TEST_WORLD);
const married = new Set(world.marriages.flatMap((m) => [m.husband, m.wife]));
const representatives = new Set(world.enterprises.map((e) => e.legalRepresentative));
const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 25 && p.status === 'NORMAL' && !representatives.has(p.idNumber) && !married.has(p.idNumber));

/** A citizen whose ID card is VALID today (some in the world have let theirs expire), found through the graph. */
let founder: (typeof world.persons)[number];
let serial = 0;

beforeAll(async () => {
  graph = await startGraph();
  for (const candidate of adults) {
    const { body } = await graph.query(`{ person(idNumber: "${candidate.idNumber}") { certificates { kind status } } }`);
    if (body.data.person.certificates.some((c: { kind: string; status: string }) => c.kind === 'RESIDENT_ID_CARD' && c.status === 'VALID')) {
      founder = candidate;
      break;
    }
  }
  expect(founder).toBeDefined();
});
afterAll(() => graph.stop());

const APPLICATION = 'id status preReview { code passed problem description certificate { kind number } } certificatesReliedOn { kind number } timeline { action actor basis { checks certificates { kind number } } } issuedCertificate { kind number }';

async function submit(input: Record<string, unknown>): Promise<any> {
  serial += 1;
  const response = await graph.queryAs(
    { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: input.applicant as string },
    `mutation($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${APPLICATION} } }`,
    { input: { mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: `materials-${serial}`, ...input } },
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data.submitApplication;
}

const advance = (id: string, action: string): Promise<GraphQLResponse> =>
  graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '440106' }, `mutation { advanceApplication(id: "${id}", action: ${action}) { status } }`);

async function deskTakesItThrough(id: string): Promise<void> {
  for (const action of ['ACCEPT', 'REVIEW', 'APPROVE', 'DELIVER']) {
    const response = await advance(id, action);
    expect(response.body.errors).toBeUndefined();
  }
}

async function licence(cli: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'licence.ts'), ...cli], { env: { ...process.env, DATA_DIR: graph.dataDir } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const idCardOf = (application: any) => application.certificatesReliedOn.find((c: { kind: string }) => c.kind === 'RESIDENT_ID_CARD');

test('企业开办 FULL_ONLINE with no materials: the ID card is relied on, and delivery puts the licence in the 卡包, verifiable offline', async () => {
  const submitted = await submit({
    itemCode: 'SC-QYKB-001',
    applicant: founder.idNumber,
    form: [
      { key: 'enterpriseName', value: '广州云岫数联科技有限公司' },
      { key: 'registeredCapital', value: '50' },
      { key: 'businessScope', value: '软件开发；信息技术咨询服务' },
      { key: 'enterpriseAddress', value: '广州市天河区天河路208号1201房' },
    ],
  });
  expect(submitted.status).toBe('PRE_REVIEWED');
  expect(submitted.certificatesReliedOn).toEqual([{ kind: 'RESIDENT_ID_CARD', number: expect.stringMatching(/^SF\d{18}$/) }]);
  expect(submitted.preReview).toContainEqual({ code: 'CERTIFICATE_RESIDENT_ID_CARD', passed: true, problem: null, description: expect.stringContaining('免于提交'), certificate: idCardOf(submitted) });

  await deskTakesItThrough(submitted.id);
  const own = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: founder.idNumber }, `{ person(idNumber: "${founder.idNumber}") { applications { id status issuedCertificate { kind number } } } }`);
  expect(own.body.errors).toBeUndefined();
  const delivered = own.body.data.person.applications.find((a: { id: string }) => a.id === submitted.id);
  expect(delivered).toEqual({ id: submitted.id, status: 'DELIVERED', issuedCertificate: { kind: 'BUSINESS_LICENCE', number: expect.stringMatching(/^YZ440106\d{12}$/) } });
  const { number } = delivered.issuedCertificate;

  // The new enterprise holds it: its credit code was assigned at approval, and its 卡包 has the licence at once.
  const held = await graph.query(`{ application(id: "${submitted.id}") { enterprise { creditCode certificates { number kind status issuer { authority regionCode } document } } } }`);
  expect(held.body.errors).toBeUndefined();
  const enterprise = held.body.data.application.enterprise;
  expect(creditCodeProblem(enterprise.creditCode)).toBeNull();
  expect(enterprise.creditCode).toMatch(/^91440106/);
  expect(enterprise.certificates).toEqual([{ number, kind: 'BUSINESS_LICENCE', status: 'VALID', issuer: { authority: '广州市天河区市场监督管理局', regionCode: '440106' }, document: expect.any(String) }]);
  const sealed = JSON.parse(enterprise.certificates[0].document);
  expect(sealed.data).toMatchObject({ creditCode: enterprise.creditCode, name: '广州云岫数联科技有限公司', legalRepresentativeName: founder.name, registeredCapital: 50 });

  const file = join(graph.dataDir, 'founded-licence.json');
  writeFileSync(file, enterprise.certificates[0].document);
  expect(await licence(['verify', file])).toEqual({ code: 0, stdout: `${file}: BUSINESS_LICENCE ${number}, sealed by 广州市天河区市场监督管理局: authentic and valid\n` });
  const verified = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ verifyCertificate(number: "${number}", holder: "${enterprise.creditCode}") { authentic valid kind } }`);
  expect(verified.body.data.verifyCertificate).toEqual({ authentic: true, valid: true, kind: 'BUSINESS_LICENCE' });

  // The founder is the legal representative the licence names: their portal opens it, by the number the application gives.
  const opened = await graph.queryAs(
    { app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: founder.idNumber },
    `{ certificate(number: "${number}") { number status holder { ... on Enterprise { creditCode } } data { ... on BusinessLicenceData { name legalRepresentativeName } } document } }`,
  );
  expect(opened.body.errors).toBeUndefined();
  expect(opened.body.data.certificate).toEqual({
    number,
    status: 'VALID',
    holder: { creditCode: enterprise.creditCode },
    data: { name: '广州云岫数联科技有限公司', legalRepresentativeName: founder.name },
    document: enterprise.certificates[0].document,
  });
  // And it is in the founder's own 卡包 at once, beside the certificates they hold themselves.
  const wallet = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: founder.idNumber }, `{ person(idNumber: "${founder.idNumber}") { certificates { number kind status holder { __typename } } } }`);
  expect(wallet.body.errors).toBeUndefined();
  expect(wallet.body.data.person.certificates).toContainEqual({ number, kind: 'BUSINESS_LICENCE', status: 'VALID', holder: { __typename: 'Enterprise' } });
  expect(wallet.body.data.person.certificates).toContainEqual(expect.objectContaining({ kind: 'RESIDENT_ID_CARD', holder: { __typename: 'Person' } }));
  const exported = join(graph.dataDir, 'founder-exported-licence.json');
  writeFileSync(exported, opened.body.data.certificate.document);
  expect(await licence(['verify', exported])).toEqual({ code: 0, stdout: `${exported}: BUSINESS_LICENCE ${number}, sealed by 广州市天河区市场监督管理局: authentic and valid\n` });
  // Another app reading the licence alone reads the founder too: their access log shows it.
  expect((await graph.query(`{ certificate(number: "${number}") { number kind } }`)).body.errors).toBeUndefined();
  const log = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: founder.idNumber }, `{ person(idNumber: "${founder.idNumber}") { accessLog { app fields } } }`);
  expect(log.body.data.person.accessLog).toContainEqual({ app: EVERYTHING_APP, fields: ['Certificate.kind', 'Certificate.number', 'Query.certificate'] });

  // Another citizen opens it neither by number nor through the holder.
  const stranger = adults.find((p) => p !== founder)!;
  const refused = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: stranger.idNumber }, `{ certificate(number: "${number}") { number holder { ... on Enterprise { certificates { number } } } } }`);
  expect(refused.body.data?.certificate ?? null).toBeNull();
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

test('秒批: 婚姻登记预约 is approved by the rules with no desk step, the basis listing the ID card relied on', async () => {
  const approved = await submit({ itemCode: 'MZ-HYYY-005', applicant: founder.idNumber });
  expect(approved.status).toBe('APPROVED');
  expect(approved.timeline.map((t: { action: string; actor: string }) => `${t.action}/${t.actor}`)).toEqual(['SUBMIT/oneservice-portal', 'PRE_REVIEW/service-hall', 'APPROVE/rules']);
  expect(approved.timeline.at(-1).basis).toEqual({ checks: ['IDENTITY', 'NOT_MARRIED', 'CERTIFICATE_RESIDENT_ID_CARD'], certificates: [idCardOf(approved)] });
});

describe('营业执照变更 relies on the enterprise\'s licence', () => {
  // Guangdong's firms: the library replaces and market supervision revokes licences of its department's province only.
  const [kept, revoked] = world.enterprises.filter((e) => e.status === 'ACTIVE' && e.regionCode.startsWith('44') && !world.enterprises.some((o) => o !== e && o.legalRepresentative === e.legalRepresentative));
  const licenceOf = async (creditCode: string) => {
    const { body } = await graph.query(`{ enterprise(creditCode: "${creditCode}") { certificates { number status statusReason } } }`);
    return body.data.enterprise.certificates as Array<{ number: string; status: string; statusReason: string | null }>;
  };

  test('a revoked licence is not relied on: the check fails saying so, and nothing is approved', async () => {
    const [current] = await licenceOf(revoked!.creditCode);
    const revocation = await graph.queryAs({ app: 'market-supervision', purpose: 'LICENCE_ISSUING' }, `mutation { revokeCertificate(number: "${current!.number}", reason: "提交虚假材料取得登记，吊销营业执照") { status } }`);
    expect(revocation.body.errors).toBeUndefined();
    const returned = await submit({ itemCode: 'SC-ZZBG-003', applicant: revoked!.legalRepresentative, enterprise: revoked!.creditCode });
    expect(returned.status).toBe('RETURNED');
    expect(returned.preReview).toContainEqual({ code: 'CERTIFICATE_BUSINESS_LICENCE', passed: false, problem: 'REVOKED', description: '该企业的营业执照已吊销或注销', certificate: { kind: 'BUSINESS_LICENCE', number: current!.number } });
    expect(returned.certificatesReliedOn.map((c: { kind: string }) => c.kind)).not.toContain('BUSINESS_LICENCE');
  });

  test('a valid licence is relied on, and delivery issues the updated one, replacing it (换发)', async () => {
    const [current] = await licenceOf(kept!.creditCode);
    const submitted = await submit({ itemCode: 'SC-ZZBG-003', applicant: kept!.legalRepresentative, enterprise: kept!.creditCode, form: [{ key: 'businessScope', value: '技术服务、技术开发；货物进出口' }] });
    expect(submitted.status).toBe('PRE_REVIEWED');
    expect(submitted.certificatesReliedOn).toContainEqual({ kind: 'BUSINESS_LICENCE', number: current!.number });
    await deskTakesItThrough(submitted.id);
    const [updated, replaced] = await licenceOf(kept!.creditCode);
    expect(replaced).toEqual({ number: current!.number, status: 'REVOKED', statusReason: `换发新照 ${updated!.number}` });
    const { body } = await graph.query(`{ certificate(number: "${updated!.number}") { data { ... on BusinessLicenceData { name businessScope } } } application(id: "${submitted.id}") { issuedCertificate { number } } }`);
    expect(body.data).toEqual({ certificate: { data: { name: kept!.name, businessScope: '技术服务、技术开发；货物进出口' } }, application: { issuedCertificate: { number: updated!.number } } });
  });
});

test('a missing certificate fails its check: 低保 filed by a member who is not the household head holds no household register', async () => {
  const member = world.persons.find((p) => p.relation !== '户主' && ageOnReference(p.birthDate) >= 18 && p.status === 'NORMAL')!;
  const returned = await submit({ itemCode: 'MZ-DBSQ-004', applicant: member.idNumber, mode: 'PROXY', handlingRegion: member.regionCode });
  expect(returned.status).toBe('RETURNED');
  expect(returned.preReview).toContainEqual({ code: 'CERTIFICATE_HOUSEHOLD_REGISTER', passed: false, problem: 'MISSING', description: '电子证照库中没有申请人的居民户口簿', certificate: null });
});

test('the desk sees the kinds relied on in its queue, their numbers within the case, never their contents', async () => {
  const submitted = await submit({ itemCode: 'GA-HKQY-006', applicant: founder.idNumber, mode: 'PROXY' });
  const idCard = idCardOf(submitted);
  const queue = await graph.queryAs(
    { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '440106' },
    `{ applications(regionCode: "440106", status: PRE_REVIEWED, first: 100) { nodes { id certificatesReliedOn { kind } preReview { code certificate { kind } } } } }`,
  );
  expect(queue.body.errors).toBeUndefined();
  const queued = queue.body.data.applications.nodes.find((a: { id: string }) => a.id === submitted.id);
  expect(queued.certificatesReliedOn).toEqual([{ kind: 'RESIDENT_ID_CARD' }]);
  expect(queued.preReview).toContainEqual({ code: 'CERTIFICATE_RESIDENT_ID_CARD', certificate: { kind: 'RESIDENT_ID_CARD' } });

  const inCase = await graph.queryAs(
    { app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: submitted.id },
    `{ application(id: "${submitted.id}") { certificatesReliedOn { kind number } } }`,
  );
  expect(inCase.body.errors).toBeUndefined();
  expect(inCase.body.data.application.certificatesReliedOn).toEqual([idCard]);
  expect(JSON.stringify(inCase.body)).not.toContain(founder.name);
  // Reliance carries no contents; the desk's queue reads no certificate at all.
  const contents = await graph.queryAs({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', region: '440106' }, `{ certificate(number: "${idCard.number}") { data { ... on ResidentIdCardData { name } } } }`);
  expect(contents.body.data?.certificate ?? null).toBeNull();
  expect(contents.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});

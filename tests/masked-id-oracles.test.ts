/**
 * A masked ID number cannot be rebuilt by testing guesses (docs/security.md D1). The cross-province desk
 * reads a case's applicant with the ID number masked (first 6 and last 4 shown, the birth date hidden). Two
 * ways it could once try the ~38,000 birth dates the mask leaves open, both refused by `contracts check`:
 * - a certificate's seal signs the SM3 digest of every field, the holder's full ID number and data the desk
 *   is not granted included, and the issuers' keys are published: the desk may not read the seal;
 * - naming a candidate in `person(idNumber:)` answered the right one and refused the others as not the
 *   case's: the desk may name no one by ID number, and reaches the case's people through the case.
 * And the issue dates it reads are not birthdays: an ID card or household register is issued some time after
 * the birthday it falls due on.
 */
import { createPublicKey, verify } from 'node:crypto';
import { isIdNumber } from '../subgraphs/kit/identifiers';
import { fieldDigests, signedText, type CertificateContent } from '../subgraphs/licence-library/document';
import { startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let openCase: { id: string; applicant: string };

beforeAll(async () => {
  graph = await startGraph();
  // An open case whose applicant receives 低保 (a subsistence allowance certificate).
  const { body } = await graph.query('{ applications(status: IN_PROGRESS, first: 100) { nodes { id applicant { idNumber certificates { kind } } } } }');
  const found = (body.data.applications.nodes as Array<{ id: string; applicant: { idNumber: string; certificates: Array<{ kind: string }> } }>).find((n) =>
    n.applicant.certificates.some((c) => c.kind === 'SUBSISTENCE_ALLOWANCE_CERTIFICATE'),
  )!;
  openCase = { id: found.id, applicant: found.applicant.idNumber };
}, 120_000);
afterAll(() => graph.stop());

const inCase = () => ({ app: 'crossprovince-desk', purpose: 'CROSS_PROVINCE_CASE', caseId: openCase.id });
const refusedCoordinates = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.['coordinate']);

const CERTIFICATES = 'number kind issuedOn validUntil status issuer { department authority regionCode }';
const DESK_QUERY = `query Case($id: ID!) { application(id: $id) { applicant { idNumber certificates { ${CERTIFICATES}
  data { ... on HouseholdRegisterData { householdNumber householdType address memberCount } } } } } }`;

interface SeenCertificate {
  number: string;
  kind: CertificateContent['kind'];
  issuedOn: string;
  validUntil: string | null;
  issuer: CertificateContent['issuer'];
  seal?: { keyId: string; signature: string };
  data: Record<string, string | number> | null;
}

/** Every calendar day from 1920 to today, as YYYYMMDD. */
function birthDates(): string[] {
  const days: string[] = [];
  for (let day = Date.UTC(1920, 0, 1); day <= Date.now(); day += 86_400_000) days.push(new Date(day).toISOString().slice(0, 10).replaceAll('-', ''));
  return days;
}

async function publicKeyOf(certificate: SeenCertificate, keyId: string) {
  const issuers = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, '{ certificateIssuers { department keys { keyId publicKey } } }');
  const key = (issuers.body.data.certificateIssuers as Array<{ department: string; keys: Array<{ keyId: string; publicKey: string }> }>)
    .find((i) => i.department === certificate.issuer.department)!
    .keys.find((k) => k.keyId === keyId)!;
  return createPublicKey(key.publicKey);
}

/** Whether this content is what the seal signed: what an app holding the seal can test offline. */
const sealVerifies = (content: CertificateContent, seal: { keyId: string; signature: string }, key: ReturnType<typeof createPublicKey>) =>
  verify('sm3', signedText(fieldDigests(content), seal.keyId), key, Buffer.from(seal.signature, 'base64'));

test("the desk reads the case's certificates, valid or not, but not their seal: nothing to test a masked ID number against", async () => {
  const desk = await graph.queryAs(inCase(), DESK_QUERY, { id: openCase.id });
  expect(desk.body.errors).toBeUndefined();
  const applicant = desk.body.data.application.applicant as { idNumber: string; certificates: SeenCertificate[] };
  expect(applicant.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  const register = applicant.certificates.find((c) => c.kind === 'HOUSEHOLD_REGISTER')!;
  expect(register).toMatchObject({ status: 'VALID' });

  const withSeal = await graph.queryAs(inCase(), `query Case($id: ID!) { application(id: $id) { applicant { certificates { number seal { keyId signature } } } } }`, { id: openCase.id });
  expect(withSeal.status).toBe(403);
  expect(refusedCoordinates(withSeal)).toEqual(expect.arrayContaining(['Certificate.seal', 'CertificateSeal.signature']));
  expect(JSON.stringify(withSeal.body)).not.toContain(openCase.applicant);

  // The search the seal once allowed, run with the only seal the desk can have: none.
  const seal = (withSeal.body.data?.application?.applicant?.certificates as SeenCertificate[] | undefined)?.find((c) => c.number === register.number)?.seal;
  const [head, tail] = [applicant.idNumber.slice(0, 6), applicant.idNumber.slice(14)];
  const key = seal && (await publicKeyOf(register, seal.keyId));
  const rebuilt = seal && key
    ? birthDates()
      .map((date) => `${head}${date}${tail}`)
      .find((candidate) => sealVerifies({ number: register.number, kind: register.kind, holder: { type: 'Person', key: candidate }, issuer: register.issuer, issuedOn: register.issuedOn, validUntil: register.validUntil, data: register.data ?? {} }, seal, key))
    : undefined;
  expect({ rebuilt, isTheApplicants: rebuilt === openCase.applicant }).toEqual({ rebuilt: undefined, isTheApplicants: false });
}, 300_000);

test("nor a 低保 certificate's seal, which would give its withheld data (household size, monthly amount)", async () => {
  // SubsistenceAllowanceCertificateData is not granted to the desk at all.
  const refused = await graph.queryAs(inCase(), `{ application(id: "${openCase.id}") { applicant { certificates { data { ... on SubsistenceAllowanceCertificateData { monthlyAmount } } } } } }`);
  expect(refused.status).toBe(403);
  const withSeal = await graph.queryAs(inCase(), `{ application(id: "${openCase.id}") { applicant { certificates { kind seal { signature } } } } }`);
  expect(withSeal.status).toBe(403);
  expect(refusedCoordinates(withSeal)).toContain('CertificateSeal.signature');
  expect(withSeal.body.data ?? null).toBeNull();
});

/** Every valid ID number with this head and tail and a birth date from 1920 to today. */
function candidates(head: string, tail: string): string[] {
  return birthDates().map((date) => `${head}${date}${tail}`).filter((candidate) => isIdNumber(candidate));
}

test("naming candidates for a case subject's masked ID number does not tell which one is right", async () => {
  const seen = await graph.queryAs(inCase(), `{ application(id: "${openCase.id}") { applicant { idNumber name } } }`);
  const masked: string = seen.body.data.application.applicant.idNumber;
  expect(masked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);

  const tries = candidates(masked.slice(0, 6), masked.slice(14));
  expect(tries).toContain(openCase.applicant);
  const answers = new Map<string, string>();
  const ask = async (candidate: string) => {
    const response = await graph.queryAs(inCase(), `{ person(idNumber: "${candidate}") { name } }`);
    answers.set(candidate, JSON.stringify({ status: response.status, errors: response.body.errors ?? [], data: response.body.data ?? null }));
  };
  // The right one first, before the desk's rate limit (3,000 requests a minute) turns later tries away.
  await ask(openCase.applicant);
  for (let i = 0; i < tries.length; i += 20) await Promise.all(tries.slice(i, i + 20).map(ask));
  const answered = tries.filter((candidate) => JSON.parse(answers.get(candidate)!).data?.person);
  expect({ tried: tries.length < 5000, answered, isTheApplicants: answered.includes(openCase.applicant) }).toEqual({ tried: true, answered: [], isTheApplicants: false });
  // The right candidate is refused exactly as every wrong one the rate limit let through: the lookup is not the desk's at all.
  const right = answers.get(openCase.applicant)!;
  expect(JSON.parse(right)).toMatchObject({ status: 403, errors: [{ message: 'Forbidden: Query.person is not granted to crossprovince-desk.' }, { message: 'Forbidden: Query.person(idNumber:) is not granted to crossprovince-desk.' }] });
  expect([...new Set([...answers.values()].filter((answer) => JSON.parse(answer).status !== 429))]).toEqual([right]);
}, 600_000);

test('the issue dates the desk reads are not the birthdays the mask hides', async () => {
  const { body } = await graph.query('{ applications(first: 100) { nodes { applicant { birthDate certificates { kind issuedOn } } } } }');
  const applicants = (body.data.applications.nodes as Array<{ applicant: { birthDate: string; certificates: Array<{ kind: string; issuedOn: string }> } }>).map((n) => n.applicant);
  const dueOnBirthdays = applicants.flatMap((p) =>
    p.certificates.filter((c) => ['RESIDENT_ID_CARD', 'HOUSEHOLD_REGISTER'].includes(c.kind)).map((c) => c.issuedOn.slice(5) === p.birthDate.slice(5)),
  );
  expect(dueOnBirthdays.length).toBeGreaterThan(100);
  // A day in 365 by chance, not every one as when cards were issued on the 16th birthday.
  expect(dueOnBirthdays.filter(Boolean).length).toBeLessThan(dueOnBirthdays.length / 50);
});

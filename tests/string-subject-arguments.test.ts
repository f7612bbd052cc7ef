/**
 * `String` arguments that carry a subject's key (`platform.yaml` subjectArguments), over the real
 * departments and gateway: `auditRecords(subject:)` and `verifyCertificate(holder:)` take an ID number or a
 * credit code, so no key type marks them. Declared, naming someone there is a read of them like any
 * subject argument: the grant is the argument's own, an operator-bound purpose may name only its citizen,
 * the audit record of the search names the subject (as its HMAC) and the subject's access log shows it.
 * And the answer has exactly the shape asked for under the graph's unions (`Certificate.holder`, `data`).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, writeContract, type GraphQLResponse, type TestGraph } from './support/graph';

const SHIPPED_CONTRACTS = join(__dirname, '..', 'contracts', 'apps');
/** A citizen's app that checks certificates for its own citizen only (an operator-bound purpose). */
const OWN_CHECK = { app: 'test-own-certificate-check', purpose: 'OWN_CERTIFICATES' };

let graph: TestGraph;
let contracts: string;
const world = buildWorld(TEST_WORLD);
const [citizen, other] = world.persons.filter((p) => p.relation === '户主');
const auditor = { app: 'auditor', purpose: 'AUDIT_REVIEW' };

beforeAll(async () => {
  contracts = mkdtempSync(join(tmpdir(), 'govgraph-string-subjects-'));
  cpSync(SHIPPED_CONTRACTS, contracts, { recursive: true });
  writeContract(contracts, {
    app: OWN_CHECK.app,
    name: '本人证照核验测试',
    legalBasis: 'test fixture: synthetic data only',
    purposes: [
      {
        code: OWN_CHECK.purpose,
        description: '核验本人出示的证照',
        subjectIsOperator: true,
        grants: ['Query.verifyCertificate', 'Query.verifyCertificate(holder:)', 'CertificateVerification.authentic'],
      },
    ],
  });
  graph = await startGraph({ appContracts: contracts });
});
afterAll(async () => {
  await graph.stop();
  rmSync(contracts, { recursive: true, force: true });
});

async function idCardOf(idNumber: string): Promise<string> {
  const { body } = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: idNumber }, `{ person(idNumber: "${idNumber}") { certificates { number kind } } }`);
  expect(body.errors).toBeUndefined();
  return body.data.person.certificates.find((c: { kind: string }) => c.kind === 'RESIDENT_ID_CARD').number;
}

async function accessLogOf(idNumber: string): Promise<Array<{ app: string; fields: string[] }>> {
  const { body } = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: idNumber }, `{ person(idNumber: "${idNumber}") { accessLog(first: 50) { app fields } } }`);
  expect(body.errors).toBeUndefined();
  return body.data.person.accessLog;
}

/** The audit record of one request, as the auditor reads it. */
async function recordOf(response: GraphQLResponse, app: string): Promise<{ fields: string[]; subjects: string[]; decision: string }> {
  const requestId = response.headers.get('x-request-id');
  const { body } = await graph.queryAs(auditor, `{ auditRecords(app: "${app}", first: 50) { nodes { requestId fields subjects decision } } }`);
  expect(body.errors).toBeUndefined();
  const record = body.data.auditRecords.nodes.find((n: { requestId: string }) => n.requestId === requestId);
  expect(record).toBeDefined();
  return record;
}

describe('auditRecords(subject:)', () => {
  test("an auditor's search by ID number names the person in its record and in the person's access log", async () => {
    // As the console sends it: a String variable.
    const search = await graph.queryAs(auditor, 'query($subject: String) { auditRecords(subject: $subject, first: 1) { totalCount } }', { subject: citizen!.idNumber });
    expect(search.body.errors).toBeUndefined();
    const record = await recordOf(search, 'auditor');
    expect(record.fields).toContain('Query.auditRecords(subject:)');
    expect(record.subjects).toHaveLength(1);
    expect(JSON.stringify(record)).not.toContain(citizen!.idNumber);
    expect(await accessLogOf(citizen!.idNumber)).toContainEqual(expect.objectContaining({ app: 'auditor', fields: expect.arrayContaining(['Query.auditRecords(subject:)']) }));
    expect(await accessLogOf(other!.idNumber)).not.toContainEqual(expect.objectContaining({ app: 'auditor' }));
  });

  test('a search without a subject names no one', async () => {
    const search = await graph.queryAs(auditor, '{ auditRecords(app: "market-supervision", first: 1) { totalCount } }');
    expect(search.body.errors).toBeUndefined();
    expect((await recordOf(search, 'auditor')).subjects).toEqual([]);
  });
});

describe('verifyCertificate(holder:)', () => {
  test("naming a holder is a read of them: in the record of the check and in the holder's access log", async () => {
    const card = await idCardOf(other!.idNumber);
    const check = await graph.queryAs({ app: 'oneservice-portal', purpose: 'CERTIFICATE_CHECK' }, `{ verifyCertificate(number: "${card}", holder: "${other!.idNumber}") { authentic } }`);
    expect(check.body).toEqual({ data: { verifyCertificate: { authentic: true } } });
    const record = await recordOf(check, 'oneservice-portal');
    expect(record.fields).toEqual(expect.arrayContaining(['Query.verifyCertificate', 'Query.verifyCertificate(holder:)']));
    expect(record.subjects).toHaveLength(1);
    expect(await accessLogOf(other!.idNumber)).toContainEqual(expect.objectContaining({ app: 'oneservice-portal', fields: expect.arrayContaining(['Query.verifyCertificate(holder:)']) }));
  });

  test('the holder argument is granted by its own coordinate: a purpose that grants the check but not the holder is refused', async () => {
    // verifyCertificate is UNCONDITIONAL, so the portal's citizen-bound purpose reaches it; naming a holder is not.
    const card = await idCardOf(citizen!.idNumber);
    const refused = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen!.idNumber }, `{ verifyCertificate(number: "${card}", holder: "${citizen!.idNumber}") { authentic } }`);
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toContainEqual(expect.objectContaining({ extensions: expect.objectContaining({ code: 'PURPOSE_REQUIRED', coordinate: 'Query.verifyCertificate(holder:)' }) }));
  });

  test('under an operator-bound purpose the holder must be the operator, whether or not the certificate is theirs', async () => {
    const card = await idCardOf(citizen!.idNumber);
    const own = await graph.queryAs({ ...OWN_CHECK, operator: citizen!.idNumber }, `{ verifyCertificate(number: "${card}", holder: "${citizen!.idNumber}") { authentic } }`);
    expect(own.body).toEqual({ data: { verifyCertificate: { authentic: true } } });
    const probe = (holder: string) => graph.queryAs({ ...OWN_CHECK, operator: citizen!.idNumber }, 'query($holder: String!) { verifyCertificate(number: "SF440106202699999999", holder: $holder) { authentic } }', { holder });
    const someoneElse = await probe(other!.idNumber);
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.body.errors![0]!.message).toMatch(/not the operator's own data/);
    // Lower-case x or spaces do not make another person's key into a different value.
    const disguised = await probe(` ${other!.idNumber.toLowerCase()}`);
    expect(disguised.status).toBe(403);
    expect(disguised.body).toEqual(someoneElse.body);
    const noOperator = await graph.queryAs(OWN_CHECK, `{ verifyCertificate(number: "${card}", holder: "${citizen!.idNumber}") { authentic } }`);
    expect(noOperator.status).toBe(403);
  });
});

describe('the answer under a union has exactly the shape asked for', () => {
  test('Certificate.holder and Certificate.data without __typename in the document have none in the answer', async () => {
    const card = await idCardOf(citizen!.idNumber);
    const read = await graph.query(`{ certificate(number: "${card}") { holder { ... on Person { name } } data { ... on ResidentIdCardData { name } } } }`);
    expect(read.body).toEqual({ data: { certificate: { holder: { name: citizen!.name }, data: { name: citizen!.name } } } });
    // Asked for, it is there.
    const typed = await graph.query(`{ certificate(number: "${card}") { holder { __typename ... on Person { name } } } }`);
    expect(typed.body).toEqual({ data: { certificate: { holder: { __typename: 'Person', name: citizen!.name } } } });
  });

  test('under a row rule that runs the gate the answer keeps the same shape', async () => {
    const card = await idCardOf(citizen!.idNumber);
    const read = await graph.queryAs({ app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen!.idNumber }, `{ certificate(number: "${card}") { number data { ... on ResidentIdCardData { name } } } }`);
    expect(read.body).toEqual({ data: { certificate: { number: card, data: { name: citizen!.name } } } });
  });
});

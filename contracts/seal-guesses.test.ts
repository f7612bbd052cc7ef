import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAccessControl } from '../gateway/access-control';
import { ROOT, catalog, checkPurposes, platform } from '../tests/support/contract-purposes';
import type { GrantDocument } from './contract-schema';
import { fieldsUnder } from './seal-guesses';

const check = checkPurposes;

const CERTIFICATE: GrantDocument[] = ['Query.certificate', 'Certificate.number', 'Certificate.kind', 'Certificate.issuer', 'CertificateIssuer.department', 'CertificateIssuer.authority', 'CertificateIssuer.regionCode', 'Certificate.issuedOn', 'Certificate.validUntil'];
const SEAL: GrantDocument[] = ['Certificate.seal', 'CertificateSeal.keyId', 'CertificateSeal.signature'];
const allData = (): GrantDocument[] => fieldsUnder(catalog, 'Certificate', 'data')!;

test('a seal stands for every field of every kind of certificate data, and for the issuer fields under it', () => {
  const data = fieldsUnder(catalog, 'Certificate', 'data')!;
  expect(data).toEqual(expect.arrayContaining(['ResidentIdCardData.birthDate', 'HouseholdRegisterData.memberCount', 'SubsistenceAllowanceCertificateData.householdSize', 'SubsistenceAllowanceCertificateData.monthlyAmount', 'BusinessLicenceData.creditCode']));
  expect(fieldsUnder(catalog, 'Certificate', 'issuer')).toEqual(['Certificate.issuer', 'CertificateIssuer.department', 'CertificateIssuer.authority', 'CertificateIssuer.regionCode']);
  // A type met again is not entered twice: a certificate's holder may hold certificates.
  expect(fieldsUnder(catalog, 'Certificate', 'holder')).toEqual(expect.arrayContaining(['Certificate.holder', 'Person.certificates', 'Enterprise.certificates']));
  expect(fieldsUnder(catalog, 'Certificate', 'number')).toEqual(['Certificate.number']);
});

test("the signature without the certificate data it is computed from is refused: withheld values can be tried against it", () => {
  const problems = check([{ code: 'READ', grants: [...CERTIFICATE, 'Certificate.data', 'HouseholdRegisterData.memberCount', ...SEAL] }]);
  expect(problems).toEqual([expect.stringMatching(/^test-app\.yaml: test-app: CertificateSeal\.signature: purpose READ grants CertificateSeal\.signature, computed from every sealed field of a Certificate, without ResidentIdCardData\.name, .* and \d+ more: guesses of those can be tested against it with the issuer's public key$/)]);
});

test('the sealed file is computed from the same fields: granting it is refused alike', () => {
  expect(check([{ code: 'READ', grants: [...CERTIFICATE, 'Certificate.document'] }])).toEqual([expect.stringMatching(/Certificate\.document: purpose READ grants Certificate\.document, computed from every sealed field/)]);
});

test('a masked data field is withheld too: the seal gives back what the mask hides', () => {
  const grants = allData().map((g) => (g === 'ResidentIdCardData.idNumber' ? { field: 'ResidentIdCardData.idNumber', mask: 'ID_NUMBER' as const } : g));
  expect(check([{ code: 'READ', grants: [...CERTIFICATE, ...grants, ...SEAL] }])).toEqual([expect.stringMatching(/without ResidentIdCardData\.idNumber: guesses/)]);
});

test("the signature beside the holder's ID number masked, under any purpose of the app, is refused", () => {
  const problems = check([
    { code: 'READ', grants: [...CERTIFICATE, ...allData(), ...SEAL] },
    { code: 'IDENTITY', grants: ['Query.person', { field: 'Person.idNumber', mask: 'ID_NUMBER' }] },
  ]);
  expect(problems).toEqual([
    "test-app.yaml: test-app: CertificateSeal.signature: purpose READ grants CertificateSeal.signature, computed from a Certificate's sealed fields with its holder's Person.idNumber, and purpose IDENTITY grants Person.idNumber masked ID_NUMBER: trying the values the mask leaves open against the seal rebuilds it",
    // And the ID card's copy of the number, read in full (platform.yaml sameDatum).
    expect.stringMatching(/ResidentIdCardData\.idNumber: purpose READ grants ResidentIdCardData\.idNumber unmasked, the same datum as Person\.idNumber/),
  ]);
});

test('the signature beside every sealed field, and no mask on a sealed key, is accepted; so is a seal without its signature', () => {
  expect(check([{ code: 'READ', grants: [...CERTIFICATE, ...allData(), ...SEAL] }])).toEqual([]);
  expect(check([{ code: 'STATUS', grants: [...CERTIFICATE.slice(0, 3), 'Certificate.status', 'Certificate.seal', 'CertificateSeal.keyId'] }])).toEqual([]);
});

test('a seals path that is not in the graph is reported', () => {
  const seals = { Certificate: { sealedIn: ['seal.signatures'], fields: ['number'], keys: [] } };
  expect(check([{ code: 'READ', grants: ['Query.certificate'] }], { ...platform, seals })).toEqual(['platform.yaml: seals: Certificate: seal.signatures is not a path from Certificate']);
});

describe('the gateway refuses to start with a contract that lets a masked value be tried', () => {
  /** Why the gateway refuses the desk's contract with this edit, or undefined when it starts. */
  const refusal = (edit: (desk: string) => string): string | undefined => {
    const dir = mkdtempSync(join(tmpdir(), 'seal-guesses-'));
    try {
      writeFileSync(join(dir, 'crossprovince-desk.yaml'), edit(readFileSync(join(ROOT, 'contracts', 'apps', 'crossprovince-desk.yaml'), 'utf8')));
      loadAccessControl({ supergraphSdl: readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), contractsDir: dir, platformFile: join(ROOT, 'contracts', 'platform.yaml') });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  test("against a certificate's seal", () => {
    expect(refusal((desk) => desk)).toBeUndefined();
    expect(refusal((desk) => desk.replace('      - Certificate.status\n', '      - Certificate.status\n      - Certificate.seal\n      - CertificateSeal.signature\n'))).toMatch(/crossprovince-desk: CertificateSeal\.signature: purpose CROSS_PROVINCE_CASE grants CertificateSeal\.signature, computed from a Certificate's sealed fields with its holder's Person\.idNumber, beside Person\.idNumber masked ID_NUMBER/);
  });

  test('by naming candidates in a lookup, even one bound to the case', () => {
    expect(refusal((desk) => desk.replace('      - Query.application\n      - Application.id\n', '      - Query.application\n      - Query.person\n      - Query.person(idNumber:)\n      - Application.id\n'))).toMatch(/crossprovince-desk: Person\.idNumber: purpose CROSS_PROVINCE_CASE grants Query\.person\(idNumber:\), which tests the Person\.idNumber it is given/);
  });
});

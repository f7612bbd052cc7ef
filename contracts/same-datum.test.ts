import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAccessControl } from '../gateway/access-control';
import { ROOT, catalog, checkPurposes, platform } from '../tests/support/contract-purposes';
import type { GrantDocument } from './contract-schema';
import { carriersOf, copiesOf } from './same-datum';
import { fieldsUnder } from './seal-guesses';

const check = checkPurposes;

const LICENCES: GrantDocument[] = ['Query.enterprise', 'Enterprise.name', 'Enterprise.certificates', 'Certificate.number', 'Certificate.data'];
const REPRESENTATIVE: GrantDocument[] = ['Query.enterprise', 'Enterprise.legalRepresentative', { field: 'Person.name', mask: 'NAME' }];
const APPLICANT_CERTIFICATES: GrantDocument[] = ['Query.application', 'Application.applicant', 'Person.name', 'Person.certificates', 'Certificate.kind', 'Certificate.data'];

test('every field of every kind of certificate data is declared a copy, but the two no register holds elsewhere', () => {
  const data = fieldsUnder(catalog, 'Certificate', 'data')!.filter((c) => c !== 'Certificate.data');
  const undeclared = data.filter((c) => !(c in platform.sameDatum));
  expect(undeclared).toEqual(['HouseholdRegisterData.householdType', 'HouseholdRegisterData.memberCount']);
});

test('copies of a person reached through an edge name that edge; a name is one datum wherever it is copied', () => {
  const copies = copiesOf(catalog, platform);
  expect(copies.get('MarriageCertificateData.spouseName')).toEqual({ datum: 'Person.name', path: 'MarriageRegistration.spouse.name', edges: [{ coordinate: 'MarriageRegistration.spouse', type: 'Person' }] });
  expect(copies.get('ResidentIdCardData.idNumber')).toEqual({ datum: 'Person.idNumber', path: 'Person.idNumber', edges: [] });
  expect(carriersOf(copies, 'BusinessLicenceData.legalRepresentativeName')).toEqual(expect.arrayContaining(['Person.name', 'ResidentIdCardData.name', 'HouseholdRegisterData.headName', 'MarriageCertificateData.spouseName']));
});

test("F5: a name masked under one purpose and read in full from the licence under another is refused, naming both", () => {
  expect(check([
    { code: 'INSPECTION', grants: [...LICENCES, 'BusinessLicenceData.legalRepresentativeName'] },
    { code: 'REPRESENTATIVE', grants: REPRESENTATIVE },
  ])).toEqual([
    'test-app.yaml: test-app: BusinessLicenceData.legalRepresentativeName: purpose INSPECTION grants BusinessLicenceData.legalRepresentativeName unmasked, the same datum as Person.name (platform.yaml sameDatum), ' +
      'which purpose REPRESENTATIVE grants masked NAME: the mask hides nothing from this app; grant every coordinate of the datum masked NAME',
  ]);
});

test('the copy masked the same way passes; masked another way it is refused, as is the masked one beside it', () => {
  expect(check([
    { code: 'INSPECTION', grants: [...LICENCES, { field: 'BusinessLicenceData.legalRepresentativeName', mask: 'NAME' }] },
    { code: 'REPRESENTATIVE', grants: REPRESENTATIVE },
  ])).toEqual([]);
  const problems = check([
    { code: 'IDENTITY', grants: ['Query.person', { field: 'Person.idNumber', mask: 'ID_NUMBER' }] },
    { code: 'CARD', grants: ['Query.certificate', 'Certificate.data', { field: 'ResidentIdCardData.idNumber', mask: 'ID_NUMBER_STRICT' }] },
  ]);
  expect(problems).toEqual([
    expect.stringMatching(/Person\.idNumber: purpose IDENTITY grants Person\.idNumber masked ID_NUMBER, the same datum as ResidentIdCardData\.idNumber .* masked ID_NUMBER_STRICT/),
    expect.stringMatching(/ResidentIdCardData\.idNumber: purpose CARD grants ResidentIdCardData\.idNumber masked ID_NUMBER_STRICT, the same datum as Person\.idNumber .* masked ID_NUMBER/),
  ]);
});

test('one coordinate masked under one purpose and open under another is left to the purposes, as before', () => {
  expect(check([
    { code: 'REPRESENTATIVE', grants: REPRESENTATIVE },
    { code: 'PERSON', grants: ['Query.person', 'Person.name'] },
  ])).toEqual([]);
});

test('F2: a case-bound purpose granted the spouse\'s or the household head\'s name from the case\'s certificates is refused', () => {
  const problems = check([{ code: 'CASE', caseRequired: true, grants: [...APPLICANT_CERTIFICATES, 'MarriageCertificateData.holderName', 'MarriageCertificateData.spouseName', 'HouseholdRegisterData.headName'] }]);
  expect(problems).toEqual([
    'test-app.yaml: test-app: MarriageCertificateData.spouseName: purpose CASE is bound to a case and grants MarriageCertificateData.spouseName, a copy of MarriageRegistration.spouse.name (platform.yaml sameDatum): ' +
      'another Person than the row\'s, reached through MarriageRegistration.spouse, whom the case withholds there; the copy would carry them past it, unnamed in the audit record',
    expect.stringMatching(/^test-app\.yaml: test-app: HouseholdRegisterData\.headName: purpose CASE is bound to a case .* reached through Household\.head/),
  ]);
});

test('granting the native edge too does not make the other person the case\'s: still refused', () => {
  const problems = check([{ code: 'CASE', caseRequired: true, grants: [...APPLICANT_CERTIFICATES, 'Person.marriages', 'MarriageRegistration.spouse', 'MarriageCertificateData.spouseName'] }]);
  expect(problems).toEqual([expect.stringMatching(/MarriageCertificateData\.spouseName: purpose CASE is bound to a case/)]);
});

test("the holder's own data on the case's certificates passes, and an operator-bound purpose may read the spouse on the citizen's own certificate", () => {
  expect(check([{ code: 'CASE', caseRequired: true, grants: [...APPLICANT_CERTIFICATES, 'MarriageCertificateData.holderName', 'HouseholdRegisterData.address'] }])).toEqual([]);
  expect(check([{ code: 'SELF', subjectIsOperator: true, grants: ['Query.person', 'Person.name', 'Person.certificates', 'Certificate.data', 'MarriageCertificateData.spouseName', 'HouseholdRegisterData.headName'] }])).toEqual([]);
});

test('the gateway refuses to start with either combination', () => {
  const dir = mkdtempSync(join(tmpdir(), 'same-datum-'));
  try {
    const market = readFileSync(join(ROOT, 'contracts', 'apps', 'market-supervision.yaml'), 'utf8');
    const desk = readFileSync(join(ROOT, 'contracts', 'apps', 'crossprovince-desk.yaml'), 'utf8');
    const unmasked = market.replace(/- field: BusinessLicenceData\.legalRepresentativeName\n\s+mask: NAME\n/, '- BusinessLicenceData.legalRepresentativeName\n');
    expect(unmasked).not.toEqual(market);
    writeFileSync(join(dir, 'market-supervision.yaml'), unmasked);
    writeFileSync(join(dir, 'crossprovince-desk.yaml'), desk.replace('      - MarriageCertificateData.holderName\n', '      - MarriageCertificateData.holderName\n      - MarriageCertificateData.spouseName\n'));
    const load = () => loadAccessControl({ supergraphSdl: readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), contractsDir: dir, platformFile: join(ROOT, 'contracts', 'platform.yaml') });
    expect(load).toThrow(/2 problem\(s\)[\s\S]*crossprovince-desk: MarriageCertificateData\.spouseName: purpose CROSS_PROVINCE_CASE is bound to a case[\s\S]*market-supervision: BusinessLicenceData\.legalRepresentativeName: purpose MARKET_INSPECTION grants BusinessLicenceData\.legalRepresentativeName unmasked/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

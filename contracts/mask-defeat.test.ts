import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAccessControl } from '../gateway/access-control';
import { ROOT, checkPurposes, platform } from '../tests/support/contract-purposes';
import type { GrantDocument } from './contract-schema';

const check = checkPurposes;

const maskedId = (mask: 'ID_NUMBER' | 'ID_NUMBER_STRICT'): GrantDocument => ({ field: 'Person.idNumber', mask });

test('a masked ID number beside the birth date it hides is refused, naming the app, purpose, fields and mask', () => {
  const problems = check([{ code: 'CHECK', grants: ['Query.person', maskedId('ID_NUMBER'), 'Person.name', 'Person.birthDate'] }]);
  expect(problems).toEqual([
    'test-app.yaml: test-app: Person.idNumber: purpose CHECK grants Person.idNumber masked ID_NUMBER, which hides characters 7–14, beside Person.birthDate, which carries 7–14: together they rebuild the masked value',
  ]);
});

test('the same holds when the identifier is reached through another type', () => {
  const problems = check([{ code: 'REPRESENTATIVE', grants: ['Query.enterprise', 'Enterprise.legalRepresentative', maskedId('ID_NUMBER'), 'Person.birthDate'] }]);
  expect(problems).toHaveLength(1);
});

test("a copy of the birth date (the ID card's, platform.yaml sameDatum) defeats the mask as the birth date does", () => {
  const problems = check([{ code: 'CHECK', grants: ['Query.person', maskedId('ID_NUMBER'), 'Person.certificates', 'Certificate.data', 'ResidentIdCardData.birthDate'] }]);
  expect(problems).toEqual([expect.stringMatching(/Person\.idNumber: purpose CHECK grants Person\.idNumber masked ID_NUMBER, which hides characters 7–14, beside ResidentIdCardData\.birthDate, which carries 7–14/)]);
});

test('a masked ID number beside fields that carry only what the mask shows is accepted (gender is character 17, shown)', () => {
  expect(check([{ code: 'CHECK', grants: ['Query.person', maskedId('ID_NUMBER'), 'Person.gender', 'Person.household', 'Household.regionCode'] }])).toEqual([]);
});

test('grants under two conditional purposes cannot be read in one request, so they do not combine', () => {
  expect(check([
    { code: 'IDENTITY', grants: ['Query.person', maskedId('ID_NUMBER')] },
    { code: 'AGE', grants: ['Query.person', 'Person.birthDate'] },
  ])).toEqual([]);
});

test('the strict mask hides the sequence too: region, birth date and gender together still leave two characters unknown', () => {
  expect(check([{ code: 'CHECK', grants: ['Query.person', maskedId('ID_NUMBER_STRICT'), 'Person.household', 'Household.regionCode', 'Person.birthDate', 'Person.gender'] }])).toEqual([]);
});

test('one character left unknown is given back by the check character the mask shows', () => {
  const identifierParts = { 'Person.idNumber': { ...platform.identifierParts['Person.idNumber']!, parts: [...platform.identifierParts['Person.idNumber']!.parts, { characters: [15, 16], field: 'phone' }] } };
  const problems = check([{ code: 'CHECK', grants: ['Query.person', maskedId('ID_NUMBER_STRICT'), 'Person.household', 'Household.regionCode', 'Person.birthDate', 'Person.phone'] }], { ...platform, identifierParts });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/masked ID_NUMBER_STRICT, which hides characters 2–17, beside Household\.regionCode, Person\.birthDate, Person\.phone, which carry 1–16 \(character 17 follows from the check character\)/);
});

const lookupDefeat = (purpose: string, where: string) =>
  `test-app.yaml: test-app: Person.idNumber: purpose ${purpose} grants Query.person(idNumber:), which tests the Person.idNumber it is given (a wrong one finds nothing or is refused), ` +
  `${where} Person.idNumber masked ID_NUMBER: trying the values the mask leaves open rebuilds it; reach the subject through its case or record instead`;

test('a lookup by any ID number beside the masked ID number lets the app try every value the mask leaves open', () => {
  const grants: GrantDocument[] = ['Query.person', 'Query.person(idNumber:)', maskedId('ID_NUMBER'), 'Person.name'];
  expect(check([{ code: 'LOOKUP', grants }])).toEqual([lookupDefeat('LOOKUP', 'beside')]);
});

test("within a case the lookup is still an equality test: a wrong candidate is refused as not the case's, the right one answers", () => {
  const grants: GrantDocument[] = ['Query.person', 'Query.person(idNumber:)', maskedId('ID_NUMBER'), 'Person.name'];
  expect(check([{ code: 'CASE', caseRequired: true, grants }])).toEqual([lookupDefeat('CASE', 'beside')]);
});

test('the mask and the lookup under two purposes still combine: the masked value is read once, the candidates tried later', () => {
  expect(check([
    { code: 'IDENTITY', grants: ['Query.person', maskedId('ID_NUMBER')] },
    { code: 'LOOKUP', caseRequired: true, grants: ['Query.person', 'Query.person(idNumber:)', 'Person.name'] },
  ])).toEqual([lookupDefeat('LOOKUP', 'and purpose IDENTITY grants')]);
});

test('a String argument declared to take an ID number (verifyCertificate(holder:)) is a lookup by it too', () => {
  const problems = check([
    { code: 'IDENTITY', grants: ['Query.enterprise', 'Query.enterprise(creditCode:)', 'Enterprise.legalRepresentative', maskedId('ID_NUMBER')] },
    { code: 'VERIFY', grants: ['Query.verifyCertificate', 'Query.verifyCertificate(holder:)', 'CertificateVerification.authentic'] },
  ]);
  expect(problems).toEqual([expect.stringMatching(/purpose VERIFY grants Query\.verifyCertificate\(holder:\), which tests the Person\.idNumber it is given .* and purpose IDENTITY grants Person\.idNumber masked ID_NUMBER/)]);
});

test("a mutation's input naming a person writes the key it is given rather than finding a row by it: no lookup", () => {
  expect(check([
    { code: 'IDENTITY', grants: ['Query.enterprise', 'Query.enterprise(creditCode:)', 'Enterprise.legalRepresentative', maskedId('ID_NUMBER')] },
    { code: 'ISSUE', grants: ['Mutation.issueCertificate', 'IssueCertificateInput.holderCreditCode', 'IssueCertificateInput.representativeIdNumber', 'Certificate.number'] },
  ])).toEqual([]);
});

test('a path the platform file names that is not in the graph is reported', () => {
  const identifierParts = { 'Person.idNumber': { length: 18, parts: [{ characters: [7, 8], field: 'birthday' }] } };
  expect(check([{ code: 'CHECK', grants: ['Query.person'] }], { ...platform, identifierParts })).toEqual(['platform.yaml: identifierParts: Person.idNumber: birthday is not a path from Person']);
});

test('the gateway refuses to start with a contract whose grants defeat a mask', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mask-defeat-'));
  try {
    const desk = readFileSync(join(ROOT, 'contracts', 'apps', 'crossprovince-desk.yaml'), 'utf8');
    writeFileSync(join(dir, 'crossprovince-desk.yaml'), desk.replace('      - Person.gender\n', '      - Person.gender\n      - Person.birthDate\n'));
    const load = () => loadAccessControl({ supergraphSdl: readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'), contractsDir: dir, platformFile: join(ROOT, 'contracts', 'platform.yaml') });
    expect(load).toThrow(/crossprovince-desk: Person\.idNumber: purpose CROSS_PROVINCE_CASE grants Person\.idNumber masked ID_NUMBER.*beside Person\.birthDate/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

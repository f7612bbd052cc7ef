/**
 * Who a grant is attributed to in the access matrix, over the shipped supergraph and contracts: the
 * department that resolves the field — for an entity's key, the one that owns the entity, not every
 * department that extends it (each of those resolves the key only to join).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessMatrix, matrixMarkdown, type MatrixRow } from './access-matrix';
import { loadContracts, loadPlatform } from './load-contracts';
import { buildCatalog } from './supergraph-catalog';

const ROOT = join(__dirname, '..');
const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const { contracts } = loadContracts(join(ROOT, 'contracts', 'apps'));
const rows = accessMatrix(
  contracts.map((c) => c.contract),
  catalog,
  platform!,
);

/** The rows the audit service answers `accessMatrix(department:)` with. */
const forDepartment = (department: string) => rows.filter((row) => row.departments.includes(department));
const fieldsOf = (selected: readonly MatrixRow[]) => new Set(selected.map((row) => row.coordinate));

test('filtered to a department that extends Person or Enterprise, the matrix lists none of their keys', () => {
  for (const department of ['civil-affairs', 'service-hall', 'audit', 'city-operations']) {
    const fields = fieldsOf(forDepartment(department));
    expect([department, fields.has('Person.idNumber'), fields.has('Enterprise.creditCode')]).toEqual([department, false, false]);
  }
  // What civil affairs adds to Person (and the contracts grant) is still there, and nothing else of Person.
  const person = [...fieldsOf(forDepartment('civil-affairs'))].filter((field) => field.startsWith('Person.'));
  expect(person.sort()).toEqual(['Person.maritalStatus', 'Person.marriages']);
});

test('a key is attributed to the department that owns the entity, every grant of it', () => {
  const keyRows = rows.filter((row) => row.coordinate === 'Person.idNumber' || row.coordinate === 'Enterprise.creditCode');
  expect(keyRows.length).toBeGreaterThan(4);
  for (const row of keyRows) expect([row.coordinate, row.departments]).toEqual([row.coordinate, row.coordinate === 'Person.idNumber' ? ['public-security'] : ['market-regulation']]);
  expect(fieldsOf(forDepartment('public-security'))).toContain('Person.idNumber');
  expect(fieldsOf(forDepartment('market-regulation'))).toContain('Enterprise.creditCode');
});

test('a field resolved by several departments lists each of them', () => {
  const pageInfo = rows.filter((row) => row.coordinate === 'PageInfo.hasNextPage');
  expect(pageInfo.length).toBeGreaterThan(0);
  for (const row of pageInfo) expect(row.departments).toEqual(['audit', 'city-operations', 'market-regulation', 'service-hall']);
});

test('an argument naming a subject is attributed to the department of the fields that take it', () => {
  const departmentsOf = (coordinate: string) => [...new Set(rows.filter((row) => row.coordinate === coordinate).map((row) => row.departments.join(', ')))];
  expect(departmentsOf('Query.person(idNumber:)')).toEqual(['public-security']);
  expect(departmentsOf('Query.enterprise(creditCode:)')).toEqual(['market-regulation']);
  expect(departmentsOf('SubmitApplicationInput.applicant')).toEqual(['service-hall']);
});

test('the report shows the owner in the department column', () => {
  const line = matrixMarkdown(rows)
    .split('\n')
    .find((l) => l.startsWith('| oneservice-portal | SELF_SERVICE | Person.idNumber |'));
  expect(line?.split(' | ')[4]).toBe('public-security');
});

test('a grant that releases raw a field other grants mask is marked with those masks; masked grants are not', () => {
  const raw = (app: string, coordinate: string) => rows.find((row) => row.app === app && row.coordinate === coordinate)!;
  expect(raw('oneservice-portal', 'Person.idNumber')).toMatchObject({ maskProfile: null, unmasks: ['ID_NUMBER'] });
  expect(raw('oneservice-portal', 'Person.phone').unmasks).toEqual(['PHONE']);
  expect(raw('market-supervision', 'Person.idNumber')).toMatchObject({ maskProfile: 'ID_NUMBER', unmasks: [] });
  // A field nobody masks marks no one.
  expect(rows.filter((row) => row.coordinate === 'Person.birthDate').every((row) => row.unmasks.length === 0)).toBe(true);
});

test('conditions, region and validity come as codes and dates a console can name in its own language', () => {
  const portal = rows.find((row) => row.app === 'oneservice-portal' && row.coordinate === 'Person.name')!;
  expect(portal).toMatchObject({ conditions: ['PURPOSE_STATED', 'OPERATOR_ONLY'], region: null, validFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  const centre = rows.find((row) => row.app === 'city-ops-center' && row.coordinate === 'CityEvent.description')!;
  // Shared unconditionally: no purpose to state, but still only rows of the region.
  expect(centre).toMatchObject({ sharingClass: 'UNCONDITIONAL', conditions: ['REGION'], region: '4401' });
  const desk = rows.find((row) => row.app === 'crossprovince-desk' && row.coordinate === 'Person.name')!;
  expect(desk.conditions).toContain('CASE_REQUIRED');
  expect(rows.every((row) => row.validFrom <= row.validUntil)).toBe(true);
});

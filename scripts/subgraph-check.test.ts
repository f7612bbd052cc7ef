import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { exampleOperations, operationsInFolder } from './registered-operations';
import { checkPassed, checkSubgraph, type SubgraphCheckOptions } from './subgraph-check';

const ROOT = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'check-subgraph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { platform } = loadPlatform(join(ROOT, 'contracts', 'platform.yaml'));
const shipped: Omit<SubgraphCheckOptions, 'department'> = {
  supergraph: readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'),
  contracts: loadContracts(join(ROOT, 'contracts', 'apps')).contracts.map((c) => c.contract),
  declarations: platform!,
  undeclaredSharingClass: platform!.undeclaredSharingClass,
  operations: [],
  now: new Date(),
};

/** A candidate schema file in the temporary folder: the department's own schema with `edit` applied. */
function candidate(department: string, edit: (schema: string) => string): string {
  const own = readFileSync(join(ROOT, 'subgraphs', department, 'schema.graphql'), 'utf8');
  const edited = edit(own);
  if (edited === own) throw new Error('the edit changed nothing');
  const file = join(dir, `${department}-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(file, edited);
  return file;
}

const withoutMaritalStatus = () => candidate('civil-affairs', (s) => s.replace(/^ {2}maritalStatus: .*\n/m, ''));
const birthDateAsRecord = () =>
  candidate('public-security', (s) => `${s.replace('birthDate: Date @sharing', 'birthDate: BirthRecord @sharing')}\ntype BirthRecord @sharing(class: CONDITIONAL, sensitivity: PERSONAL) {\n  date: Date\n  place: String\n}\n`);

test('the schemas as committed change nothing', async () => {
  const check = await checkSubgraph({ ...shipped, department: 'civil-affairs' });
  expect(check).toMatchObject({ composition: { ok: true }, changes: { breaking: [], dangerous: [], safe: [] }, apps: [], breaking: false });
});

test('a new nullable field is safe: the check passes', async () => {
  const schemaFile = candidate('civil-affairs', (s) => s.replace(/^ {2}maritalStatus: .*\n/m, (line) => `${line}  pensionNumber: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n`));
  const check = await checkSubgraph({ ...shipped, department: 'civil-affairs', schemaFile, operations: exampleOperations(ROOT) });
  expect(check.changes).toEqual({ breaking: [], dangerous: [], safe: [{ level: 'safe', coordinate: 'Person.pensionNumber', type: 'FIELD_ADDED', message: "Field 'pensionNumber' was added to object type 'Person'" }] });
  expect(check).toMatchObject({ composition: { ok: true }, apps: [], breaking: false });
  expect(checkPassed(check, false)).toBe(true);
});

test('removing a granted field is breaking, and names every app and grant it breaks', async () => {
  const check = await checkSubgraph({ ...shipped, department: 'civil-affairs', schemaFile: withoutMaritalStatus() });
  expect(check.changes.breaking).toEqual([expect.objectContaining({ coordinate: 'Person.maritalStatus', type: 'FIELD_REMOVED' })]);
  const granting = shipped.contracts.filter((c) => c.purposes.some((p) => p.grants.includes('Person.maritalStatus')));
  expect(granting.length).toBeGreaterThan(1);
  expect(check.apps.map((a) => a.app)).toEqual(granting.map((c) => c.app));
  expect(check.apps.find((a) => a.app === 'oneservice-portal')).toEqual({
    app: 'oneservice-portal',
    grants: [{ purpose: 'SELF_SERVICE', coordinate: 'Person.maritalStatus', problem: 'no longer exists' }],
    schema: [
      { coordinate: 'MaritalStatus', message: "Type 'MaritalStatus' was removed" },
      { coordinate: 'Person.maritalStatus', message: "Field 'maritalStatus' was removed from object type 'Person'" },
    ],
    operations: [],
  });
  expect(check.breaking).toBe(true);
  expect(checkPassed(check, false)).toBe(false);
  // --allow-breaking
  expect(checkPassed(check, true)).toBe(true);
});

test("changing a field's type breaks the app operations that read it, and names them", async () => {
  const operations = join(dir, 'operations');
  mkdirSync(join(operations, 'oneservice-portal'), { recursive: true });
  writeFileSync(join(operations, 'oneservice-portal', 'profile.graphql'), 'query Profile($id: IdNumber!) { person(idNumber: $id) { name birthDate } }\n');
  writeFileSync(join(operations, 'oneservice-portal', 'names.graphql'), 'query Names($id: IdNumber!) { person(idNumber: $id) { name } }\n');
  const check = await checkSubgraph({ ...shipped, department: 'public-security', schemaFile: birthDateAsRecord(), operations: operationsInFolder(operations, operations) });
  expect(check.changes.breaking).toEqual([{ level: 'breaking', coordinate: 'Person.birthDate', type: 'FIELD_TYPE_CHANGED', message: "Field 'Person.birthDate' changed type from 'Date' to 'BirthRecord'" }]);
  const portal = check.apps.find((a) => a.app === 'oneservice-portal');
  expect(portal?.grants).toEqual([{ purpose: 'SELF_SERVICE', coordinate: 'Person.birthDate', problem: 'changed type from Date to BirthRecord' }]);
  expect(portal?.operations).toEqual([{ name: 'Profile', source: join('oneservice-portal', 'profile.graphql'), errors: ['Cannot query field "birthDate" on type "Person".'] }]);
});

test("by default the example client's operations are checked", async () => {
  const operations = exampleOperations(ROOT);
  expect(operations.map((o) => [o.app, o.name])).toEqual([
    ['oneservice-portal', 'Catalogue'],
    ['oneservice-portal', 'MyProfile'],
  ]);
  const check = await checkSubgraph({ ...shipped, department: 'public-security', schemaFile: birthDateAsRecord(), operations });
  expect(check.apps.find((a) => a.app === 'oneservice-portal')?.operations).toEqual([
    { name: 'MyProfile', source: join('examples', 'portal-client', 'src', 'operations.ts#2'), errors: ['Cannot query field "birthDate" on type "Person".'] },
  ]);
});

test('an operation a contract registers is named as registered; one whose text is missing is listed as not checked', async () => {
  const text = 'query Profile($id: IdNumber!) { person(idNumber: $id) { birthDate } }\n';
  const folder = join(dir, 'registered');
  mkdirSync(join(folder, 'oneservice-portal'), { recursive: true });
  writeFileSync(join(folder, 'oneservice-portal', 'profile.graphql'), text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const contracts = shipped.contracts.map((c) =>
    c.app === 'oneservice-portal'
      ? { ...c, persistedOnly: true, operations: [{ name: 'profile-v1', sha256, purpose: 'SELF_SERVICE' }, { name: 'catalogue-v1', sha256: 'a'.repeat(64), purpose: 'SERVICE_CATALOGUE' }] }
      : c,
  );
  const check = await checkSubgraph({ ...shipped, contracts, department: 'public-security', schemaFile: birthDateAsRecord(), operations: operationsInFolder(folder, folder) });
  expect(check.apps.find((a) => a.app === 'oneservice-portal')?.operations).toEqual([expect.objectContaining({ name: 'Profile', registeredAs: 'profile-v1' })]);
  expect(check.notChecked).toEqual([`oneservice-portal: registered operation catalogue-v1 (SHA-256 aaaaaaaaaaaa…) — its text was not given; pass it with --operations`]);
});

test('a field that stops being shared breaks its grants', async () => {
  const schemaFile = candidate('civil-affairs', (s) => s.replace('maritalStatus: MaritalStatus @sharing(class: CONDITIONAL', 'maritalStatus: MaritalStatus @sharing(class: NONE'));
  const check = await checkSubgraph({ ...shipped, department: 'civil-affairs', schemaFile });
  expect(check.changes.breaking).toEqual([expect.objectContaining({ coordinate: 'Person.maritalStatus', type: 'SHARING_CLASS_CHANGED' })]);
  expect(check.apps.find((a) => a.app === 'oneservice-portal')?.grants).toEqual([{ purpose: 'SELF_SERVICE', coordinate: 'Person.maritalStatus', problem: 'is no longer shared (NONE, 不予共享)' }]);
});

test('a composition error fails the check even with --allow-breaking', async () => {
  const schemaFile = candidate('civil-affairs', (s) => s.replace('type Person @key(fields: "idNumber")', 'type Person'));
  const check = await checkSubgraph({ ...shipped, department: 'civil-affairs', schemaFile });
  expect(check.composition).toEqual({ ok: false, problems: [expect.objectContaining({ explanation: expect.stringMatching(/^civil-affairs defines Person without @key/) })] });
  expect(checkPassed(check, true)).toBe(false);
});

test('a new department is checked as joining the graph; an unknown one without a schema is a usage error', async () => {
  const schemaFile = join(dir, 'hr.graphql');
  writeFileSync(schemaFile, 'type Person @key(fields: "idNumber") {\n  idNumber: IdNumber!\n  pension: Float @sharing(class: CONDITIONAL, sensitivity: PERSONAL)\n}\n');
  const check = await checkSubgraph({ ...shipped, department: 'hr', schemaFile });
  expect(check).toMatchObject({ newDepartment: true, composition: { ok: true }, apps: [], breaking: false });
  expect(check.changes.safe.map((c) => c.coordinate)).toEqual(['Person.pension']);
  await expect(checkSubgraph({ ...shipped, department: 'hr' })).rejects.toThrow(/^no department named hr \(departments: .*civil-affairs.*\); to check a new one, give its schema with --schema <file>$/);
});

describe('npm run check-subgraph', () => {
  const run = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'check-subgraph.ts'), ...args], { cwd: ROOT });
      return { code: 0, stdout, stderr };
    } catch (error) {
      return error as { code: number; stdout: string; stderr: string };
    }
  };

  test('exits 1 on a breaking change, naming the apps; 0 with --allow-breaking; --json for CI', async () => {
    const schemaFile = withoutMaritalStatus();
    const [refused, allowed] = await Promise.all([run('civil-affairs', '--schema', schemaFile), run('civil-affairs', '--schema', schemaFile, '--allow-breaking', '--json')]);
    expect(refused).toMatchObject({ code: 1, stderr: '' });
    expect(refused.stdout).toMatch(/^check-subgraph civil-affairs against supergraph.graphql\n\nComposition: ok\nChanges to the graph: 1 breaking, 0 dangerous, 0 safe\n {2}breaking {2}Person\.maritalStatus +Field 'maritalStatus' was removed/);
    expect(refused.stdout).toContain('Breaks oneservice-portal:\n  grant      SELF_SERVICE Person.maritalStatus: no longer exists\n');
    expect(refused.stdout).toMatch(/\nResult: BREAKING — .*--allow-breaking\.\n$/);
    expect(allowed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(allowed.stdout)).toMatchObject({ department: 'civil-affairs', breaking: true, passed: true, operations: { count: 2, from: 'examples/portal-client/src' } });
  });
});

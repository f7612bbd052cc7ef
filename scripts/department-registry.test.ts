import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { print } from 'graphql';
import { composeSupergraph, referenceSubgraphs } from './compose-supergraph';
import { readDepartmentRegistry } from './department-registry';

const ROOT = join(__dirname, '..');
const EXAMPLE_SCHEMA = join(ROOT, 'examples', 'housing-fund', 'schema.graphql');
const OWN = ['public-security', 'market-regulation'];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govgraph-registry-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function registry(text: string): string {
  const file = join(dir, 'registry.yaml');
  writeFileSync(file, text);
  return file;
}

/** The problems a registry is refused with, one a line. */
function problems(file: string): string[] {
  try {
    readDepartmentRegistry(file, OWN);
  } catch (error) {
    return (error as Error).message.split('\n').slice(1).map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('the registry was accepted');
}

test('lists remote departments by name, URL and schema file, the schema relative to the registry, with the kit header', () => {
  writeFileSync(join(dir, 'housing-fund.graphql'), 'type Person @key(fields: "idNumber") { idNumber: IdNumber! fund: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL) }');
  const [source, ...rest] = readDepartmentRegistry(registry('departments:\n  - { name: housing-fund, url: "http://10.20.0.7:4100/graphql", schema: housing-fund.graphql }\n'), OWN);
  expect(rest).toEqual([]);
  expect(source).toMatchObject({ name: 'housing-fund', url: 'http://10.20.0.7:4100/graphql' });
  const sdl = print(source!.typeDefs);
  expect(sdl).toContain('directive @sharing(class: SharingClass!, sensitivity: Sensitivity!)');
  expect(sdl).toContain('fund: String @sharing(class: CONDITIONAL, sensitivity: PERSONAL)');
});

test('names every problem of the entries at once, each by its place in the file', () => {
  const file = registry(['departments:', '  - { name: Housing_Fund, url: "ftp://fund.example/graphql", schema: fund.graphql, port: 4100 }', '  - { name: pensions, url: "http://10.20.0.8/graphql" }'].join('\n'));
  expect(problems(file)).toEqual([
    'departments[0].name: must be lower-case words joined by hyphens, e.g. housing-fund',
    'departments[0].url: must be the http:// or https:// URL of the department’s /graphql',
    'departments[0]: Unrecognized key: "port"',
    'departments[1].schema: Invalid input: expected string, received undefined',
  ]);
});

test('refuses a name this repository’s departments or another entry have, a missing schema file and one that does not parse', () => {
  writeFileSync(join(dir, 'broken.graphql'), 'type Person {\n  idNumber: IdNumber!\n  fund String\n}\n');
  writeFileSync(join(dir, 'fine.graphql'), 'type Fund { id: ID! }');
  const file = registry(
    [
      'departments:',
      '  - { name: public-security, url: "http://10.20.0.9/graphql", schema: fine.graphql }',
      '  - { name: pensions, url: "http://10.20.0.8/graphql", schema: missing.graphql }',
      '  - { name: pensions, url: "http://10.20.0.10/graphql", schema: broken.graphql }',
    ].join('\n'),
  );
  expect(problems(file)).toEqual([
    "departments[0].name: public-security is this repository's own department (subgraphs/public-security/): a remote department needs a name of its own",
    `departments[1].schema: there is no file ${join(dir, 'missing.graphql')} (a path relative to the registry file)`,
    'departments[2].name: pensions is listed twice: each department once',
    `departments[2].schema: ${join(dir, 'broken.graphql')}:3:8: Syntax Error: Expected ":", found Name "String".`,
  ]);
});

test.each([
  ['an empty file', '', 'departments: Invalid input: expected array, received undefined'],
  ['no department', 'departments: []\n', 'departments: must list at least one department'],
  ['not YAML', 'departments: [\n', /^not readable YAML: .* at line 2, column 1:$/],
])('refuses %s', (_, text, problem) => {
  expect(problems(registry(text))).toEqual([expect.stringMatching(problem)]);
});

test('a registry file that is not there is named', () => {
  expect(() => readDepartmentRegistry(join(dir, 'nowhere.yaml'), OWN)).toThrow(`Cannot read the department registry ${join(dir, 'nowhere.yaml')}: ENOENT.`);
});

test('the example housing fund composes with this repository’s departments', () => {
  writeFileSync(join(dir, 'registry.yaml'), `departments:\n  - { name: housing-fund, url: "http://127.0.0.1:4100/graphql", schema: ${EXAMPLE_SCHEMA} }\n`);
  const result = composeSupergraph([...referenceSubgraphs(), ...readDepartmentRegistry(join(dir, 'registry.yaml'), OWN)]);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  expect(result.supergraph).toContain('HOUSING_FUND @join__graph(name: "housing-fund", url: "http://127.0.0.1:4100/graphql")');
  expect(result.supergraph).toMatch(/housingFund: HousingFundAccount @join__field\(graph: HOUSING_FUND\) @sharing\(class: CONDITIONAL, sensitivity: PERSONAL\)/);
  expect(result.supergraph).toMatch(/balance: Float! @sharing\(class: NONE, sensitivity: SENSITIVE\)/);
});

test('npm run compose -- --registry refuses a bad registry with its problems, no stack trace, and writes nothing', async () => {
  const out = join(dir, 'supergraph.graphql');
  const file = registry('departments:\n  - { name: housing-fund, url: "http://127.0.0.1:4100/graphql", schema: missing.graphql }\n');
  const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/compose.ts', '--registry', file, '--out', out], { cwd: ROOT }).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toBe(`The department registry ${file} has 1 problem(s):\n  - departments[0].schema: there is no file ${join(dir, 'missing.graphql')} (a path relative to the registry file)\n`);
  expect(existsSync(out)).toBe(false);
}, 30_000);

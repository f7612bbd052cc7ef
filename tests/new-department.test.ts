/**
 * `npm run new-department`, into a scratch root beside the repository (its contracts and platform file
 * copied there): the department it writes typechecks, passes its own test, composes with the shipped
 * departments, and answers through the real gateway the app its generated grant names — and no other.
 * A refused command line leaves the root as it was.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { composeSupergraph, referenceSubgraphs } from '../scripts/compose-supergraph';
import { departments, departmentUrl, type AnyDepartment } from '../scripts/departments';
import { generateDepartment } from '../scripts/generate-department';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import { startGraph, type TestGraph } from './support/graph';

const REPO = resolve(__dirname, '..');
const NAME = 'human-resources';
// The citizen's portal: it names persons by unmasked ID number (its own citizen's), so the generated lookup
// passes the mask-oracle rule; the generated purpose is bound to the operator as its lookups are.
const GRANTED = { app: 'oneservice-portal', purpose: 'HUMAN_RESOURCES' };

/** A root holding what the generator reads and writes (the contracts, the platform file) and the packages. */
function scratchRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'govgraph-new-department-'));
  cpSync(join(REPO, 'contracts', 'apps'), join(root, 'contracts', 'apps'), { recursive: true });
  cpSync(join(REPO, 'contracts', 'platform.yaml'), join(root, 'contracts', 'platform.yaml'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** Every file under a folder with its content, to show that a refusal wrote nothing. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(files.map((entry) => [join(entry.parentPath, entry.name), readFileSync(join(entry.parentPath, entry.name), 'utf8')]));
}

/** Runs node with these arguments, as a command line would. */
async function node(args: readonly string[], cwd = REPO): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const newDepartment = (...args: string[]) => node(['--import', 'tsx', join(REPO, 'scripts', 'new-department.ts'), ...args]);

const root = scratchRoot();
// Generated as the file loads, so that the department's own test can be registered here, as jest would
// register it in the repository.
const generated = generateDepartment({ root, name: NAME, title: '人社 human resources', grantTo: GRANTED.app });
const { department } = require(join(generated.folder, 'index.ts')) as { department: AnyDepartment };
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('the department is written with its test, on port 4001 (the root declares no other), its fields granted to the app', () => {
  expect(generated.files.sort()).toEqual([`${NAME}.test.ts`, 'index.ts', 'loaders.ts', 'resolvers.ts', 'schema.graphql', 'seed.ts', 'store.ts']);
  expect(department).toMatchObject({ name: NAME, title: '人社 human resources', defaultPort: 4001 });
  expect(generated.grant).toMatchObject({ file: join(root, 'contracts', 'apps', `${GRANTED.app}.yaml`), purpose: GRANTED.purpose });
  const contract = readFileSync(generated.grant!.file, 'utf8');
  // The shipped contract is kept as it was, comments included; the purpose is added at its end.
  expect(contract.startsWith(readFileSync(join(REPO, 'contracts', 'apps', `${GRANTED.app}.yaml`), 'utf8'))).toBe(true);
  expect(contract).toMatch(/# Written by npm run new-department -- human-resources\.[^\n]*\n.*\n  - code: HUMAN_RESOURCES\n    description: "REPLACE: [^\n]*\n    legalBasis: "REPLACE: /);
});

test('the department typechecks on its own, importing the kit by its package name', async () => {
  // The root holds no kit: only the package name (mapped to it by the repository's tsconfig) resolves.
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ extends: join(REPO, 'tsconfig.json'), include: [`subgraphs/${NAME}`] }));
  const result = await node([join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(root, 'tsconfig.json')], root);
  expect(result).toMatchObject({ code: 0, stdout: '' });
}, 180_000);

describe("the department's own test", () => {
  require(join(generated.folder, `${NAME}.test.ts`));
});

describe('composed with the shipped departments, behind the gateway', () => {
  const supergraphFile = join(root, 'supergraph.graphql');
  const QUERY = 'query ($id: IdNumber!) { person(idNumber: $id) { humanResources { since entries { number recordedOn kind amount regionCode } } } }';
  let graph: TestGraph;
  /** A person the department holds entries on, and those entries as its database has them. */
  let id: string;
  let entries: Array<Record<string, unknown>>;

  beforeAll(async () => {
    const composed = composeSupergraph([...referenceSubgraphs(), { name: NAME, url: departmentUrl(department), typeDefs: loadSubgraphTypeDefs(department.schemaFile) }]);
    if (!composed.ok) throw new Error(`the generated department does not compose:\n${composed.problems.join('\n')}`);
    writeFileSync(supergraphFile, composed.supergraph);
    graph = await startGraph({ departments: [...departments(), department], supergraphFile, appContracts: join(root, 'contracts', 'apps') });
    const db = openDatabase<{ entry: { number: string; idNumber: string; recordedOn: string; kind: string; amount: number; regionCode: string } }>({ location: { kind: 'sqlite', file: sqliteFileFor(graph.dataDir, NAME) }, readOnly: true });
    try {
      id = (await db.selectFrom('entry').select('idNumber').orderBy('number').limit(1).executeTakeFirstOrThrow()).idNumber;
      entries = await db.selectFrom('entry').select(['number', 'recordedOn', 'kind', 'amount', 'regionCode']).where('idNumber', '=', id).orderBy('recordedOn').orderBy('number').execute();
    } finally {
      await db.destroy();
    }
  }, 120_000);
  afterAll(() => graph?.stop());

  test('the contracts, the generated grant among them, pass npm run contracts -- check', async () => {
    const contracts = join(root, 'contracts');
    const result = await node(['--import', 'tsx', join(REPO, 'contracts', 'cli.ts'), 'check', '--dir', join(contracts, 'apps'), '--platform', join(contracts, 'platform.yaml'), '--supergraph', supergraphFile]);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/contracts checked .*: no problems/) });
  });

  test('the granted app reads the new field under the generated purpose, as the department holds it', async () => {
    const { body } = await graph.queryAs({ ...GRANTED, operator: id }, QUERY, { id });
    expect(body.errors).toBeUndefined();
    expect(body.data.person.humanResources).toEqual({ since: entries[0]!['recordedOn'], entries });
  });

  test('another app is refused the new fields, the granted app needs the generated purpose, and the clerk notes go to none', async () => {
    const other = await graph.queryAs({ app: 'city-ops-center', purpose: 'CITY_OPERATIONS' }, QUERY, { id });
    expect(other.body.data ?? null).toBeNull();
    expect(other.body.errors).toContainEqual(expect.objectContaining({ extensions: { code: 'FORBIDDEN', coordinate: 'Person.humanResources' } }));
    const otherPurpose = await graph.queryAs({ app: GRANTED.app, purpose: 'CERTIFICATE_CHECK', operator: id }, QUERY, { id });
    // The portal's other purposes reach no person: the new field names the generated purpose alone.
    expect(otherPurpose.body.errors).toContainEqual(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'PURPOSE_REQUIRED', coordinates: expect.arrayContaining(['Person.humanResources']), purposes: [GRANTED.purpose] }) }),
    );
    const notes = await graph.queryAs({ ...GRANTED, operator: id }, 'query ($id: IdNumber!) { person(idNumber: $id) { humanResources { entries { notes } } } }', { id });
    expect(notes.body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('HumanResourcesEntry.notes is not shared by its department'), extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
  });
});

describe('refusals, each leaving the root as it was', () => {
  /** A root whose subgraphs/ declares the shipped departments' ports, as the repository's does. */
  const shipped = scratchRoot();
  const shippedDepartments = departments();
  for (const d of shippedDepartments) {
    mkdirSync(join(shipped, 'subgraphs', d.name), { recursive: true });
    writeFileSync(join(shipped, 'subgraphs', d.name, 'index.ts'), `export const department = { name: '${d.name}', defaultPort: ${d.defaultPort} };\n`);
  }
  afterAll(() => rmSync(shipped, { recursive: true, force: true }));
  const highest = Math.max(...shippedDepartments.map((d) => d.defaultPort));
  const civilAffairs = shippedDepartments.find((d) => d.name === 'civil-affairs')!;

  test.each([
    [{ name: 'HumanResources' }, /HumanResources is not a department name: write it in kebab-case/],
    [{ name: 'human_resources' }, /kebab-case/],
    [{ name: 'kit' }, /kit is the kit's folder/],
    [{ name: 'civil-affairs' }, /subgraphs\/civil-affairs exists already/],
    [{ name: 'pensions', port: civilAffairs.defaultPort }, new RegExp(`port ${civilAffairs.defaultPort} is the port of civil-affairs .*the first free one, ${highest + 1}`)],
    [{ name: 'pensions', port: 80 }, /--port is a whole number from 1024 to 65535/],
    [{ name: 'pensions', title: 'it\'s "quoted"' }, /--title is one line of text without quotes/],
    [{ name: 'pensions', grantTo: 'nobody' }, /nobody has no valid contract in .*; --grant-to takes one of: auditor, city-ops-center/],
    [{ name: 'market-inspection', grantTo: 'market-supervision' }, /market-supervision.yaml already has a purpose MARKET_INSPECTION/],
  ])('%p is refused', (options, problem) => {
    const before = snapshot(shipped);
    expect(() => generateDepartment({ root: shipped, ...options })).toThrow(problem);
    expect(snapshot(shipped)).toEqual(before);
  });

  test('without --port the department takes the first port above every declared one', () => {
    const made = generateDepartment({ root: shipped, name: 'pensions' });
    expect(made.port).toBe(highest + 1);
    expect(readFileSync(join(made.folder, 'index.ts'), 'utf8')).toContain(`defaultPort: ${highest + 1},`);
    expect(made.grant).toBeUndefined();
    rmSync(made.folder, { recursive: true });
  });
});

describe('the command line', () => {
  test('--help prints the usage on stdout', async () => {
    expect(await newDepartment('--help')).toEqual({ code: 0, stdout: expect.stringMatching(/^usage: npm run new-department -- <name>[\s\S]*--grant-to <app>[\s\S]*--root <folder>/), stderr: '' });
  });

  test('a wrong name says what is wrong above the usage (exit 2); a refusal is one line (exit 1)', async () => {
    const wrong = await newDepartment('Human', '--root', root);
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toMatch(/^Human is not a department name: write it in kebab-case[^\n]*\n\nusage: npm run new-department/);
    const refused = await newDepartment(NAME, '--root', root);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: `subgraphs/${NAME} exists already: choose another name, or remove the folder to generate it again\n` });
  });

  test('what it wrote, then the next steps: compose, check the contracts, render the Kubernetes manifests, test', async () => {
    const made = await newDepartment('pensions', '--root', root);
    expect(made).toMatchObject({ code: 0, stderr: '' });
    expect(made.stdout).toMatch(/^wrote .*subgraphs\/pensions\/ \(.*\), default port \d+\n/);
    expect(made.stdout).toMatch(/\nnext: npm run compose, npm run contracts -- check, npm run manifests \(its Kubernetes manifests\), npx jest .*subgraphs\/pensions\n$/);
    rmSync(join(root, 'subgraphs', 'pensions'), { recursive: true });
  });
});

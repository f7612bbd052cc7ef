/**
 * A department from outside this repository joins the graph (docs/departments.md, "Joining from your own
 * repository"): the example housing fund (examples/housing-fund) is copied into a temporary folder outside
 * the repository, gets the kit as the packed package, type-checks against the package's declarations,
 * runs compiled as its own process over its own database, and is composed in from a registry file; the
 * real gateway then serves it beside this repository's departments under a contract.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { satisfies } from 'semver';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { DEFAULT_WORLD_SIZE } from '../subgraphs/kit/synthetic/world';
import { stringify } from 'yaml';
import { DEMO_CONTRACTS, PLATFORM_FILE, reservePort, startGraph, type TestGraph } from './support/graph';
import { waitUntil } from './support/wait-until';

const ROOT = join(__dirname, '..');
const KIT = '@govgraph/department-kit';
const KIT_BUILD = join(ROOT, 'subgraphs', 'kit', 'dist', 'subgraphs', 'kit', 'index.js');
const run = promisify(execFile);

const APP = 'housing-loan-desk';
const PURPOSE = 'HOUSING_LOAN_CHECK';
/** The desk's contract: the housing fund's fields beside public security's and market regulation's, with purpose and legal basis. */
const CONTRACT = {
  app: APP,
  name: '公积金贷款受理窗口',
  owner: '住房公积金中心',
  contact: { name: 'CI' },
  validFrom: '2020-01-01',
  validUntil: '2099-12-31',
  approvedBy: 'GovGraph developers',
  approvedOn: '2020-01-01',
  purposes: [
    {
      code: PURPOSE,
      description: '核验公积金贷款申请人的身份、缴存状态和缴存单位',
      legalBasis: '《住房公积金管理条例》第二十六条',
      grants: [
        'Query.person',
        'Query.person(idNumber:)',
        'Person.idNumber',
        'Person.name',
        'Person.housingFund',
        'HousingFundAccount.account',
        'HousingFundAccount.status',
        'HousingFundAccount.openedOn',
        'HousingFundAccount.employer',
        'Enterprise.creditCode',
        'Enterprise.name',
      ],
    },
  ],
};

/** The folder outside the repository: the department's own checkout, its data, the kit's tarball. */
let outside: string;
let extract: string;
let packed: { filename: string; size: number; files: Array<{ path: string }> };
let graph: TestGraph;
let department: ChildProcess;
let departmentUrl: string;
let departmentLog = '';
/** A depositor whose employer pays in, as the department's own database has them. */
let depositor: { idNumber: string; account: string; employer: string };

/**
 * `npm pack` of the kit as `npm run build:server` built it (npm test builds it before jest): its prepack,
 * a clean build, would delete the build that other test files' compiled departments run from meanwhile.
 */
async function packKit(into: string): Promise<typeof packed> {
  if (!existsSync(KIT_BUILD)) throw new Error(`${KIT_BUILD} is missing: npm test builds it (npm run build:server)`);
  const { stdout } = await run('npm', ['pack', '-w', KIT, '--ignore-scripts', '--offline', '--json', '--pack-destination', into], { cwd: ROOT });
  return (JSON.parse(stdout) as Array<typeof packed>)[0]!;
}

/**
 * Installs the tarball as npm would, without the network. `npm install --offline <tarball>` cannot: npm
 * needs the registry's package documents to resolve the kit's dependencies, and `npm ci` caches only the
 * tarballs (ENOTCACHED); better-sqlite3's install script would fetch a prebuilt binary besides. So the
 * tarball's contents go where npm puts them, and every package the kit and the department declare is
 * linked from this repository's node_modules (`npm ci` installed and built them there), once its installed
 * version is checked against the declared one.
 */
async function installKit(tarball: string, project: string): Promise<void> {
  const staging = join(outside, 'unpacked');
  mkdirSync(staging);
  await run('tar', ['-xzf', tarball, '-C', staging]);
  const installed = join(project, 'node_modules', KIT);
  mkdirSync(dirname(installed), { recursive: true });
  renameSync(join(staging, 'package'), installed);
  const declared = (file: string): Record<string, string> => {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    return { ...manifest.dependencies, ...manifest.devDependencies };
  };
  const wanted = { ...declared(join(installed, 'package.json')), ...declared(join(project, 'package.json')) };
  delete wanted[KIT];
  for (const [name, range] of Object.entries(wanted)) {
    const version = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    if (!satisfies(version, range)) throw new Error(`${name} ${range} is declared, but this repository has ${version}`);
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(project, 'node_modules', name), 'dir');
  }
}

beforeAll(async () => {
  outside = mkdtempSync(join(tmpdir(), 'govgraph-outside-'));
  const project = join(outside, 'housing-fund');
  cpSync(join(ROOT, 'examples', 'housing-fund'), project, { recursive: true, filter: (source) => !/[/\\](node_modules|dist|data)$/.test(source) });
  packed = await packKit(outside);
  await installKit(join(outside, packed.filename), project);
  // The repository's tsc over the department alone: it type-checks against the package's .d.ts and compiles.
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project]);

  const port = await reservePort();
  departmentUrl = `http://127.0.0.1:${port.port}/graphql`;
  const registry = join(outside, 'registry.yaml');
  writeFileSync(registry, `departments:\n  - name: housing-fund\n    url: ${departmentUrl}\n    schema: housing-fund/schema.graphql\n`);
  const supergraphFile = join(outside, 'supergraph.graphql');
  await run(process.execPath, ['--import', 'tsx', 'scripts/compose.ts', '--registry', registry, '--out', supergraphFile], { cwd: ROOT });

  const appContracts = join(outside, 'contracts');
  cpSync(DEMO_CONTRACTS, appContracts, { recursive: true });
  writeFileSync(join(appContracts, `${APP}.yaml`), stringify(CONTRACT));
  // The department seeds the world npm start seeds (runDepartment); the graph's departments seed the same.
  graph = await startGraph({ size: DEFAULT_WORLD_SIZE, supergraphFile, appContracts });
  // The department is handed its extract of the contracts, never every app's (docs/departments.md).
  extract = join(outside, 'extract');
  await run(process.execPath, ['--import', 'tsx', 'contracts/cli.ts', 'extract', '--department', 'housing-fund', '--out', extract, '--dir', graph.contractsDir, '--supergraph', supergraphFile], { cwd: ROOT });
  await port.release();
  department = spawn(process.execPath, ['dist/index.js'], {
    cwd: project,
    // What the platform hands the department: the gateway's public keys, its extract of the contracts and the platform file, the audit HMAC key.
    env: {
      PATH: process.env['PATH'],
      PORT: String(port.port),
      DATA_DIR: join(outside, 'data'),
      GATEWAY_JWKS_FILE: graph.keys.gatewayJwks,
      CONTRACTS_DIR: extract,
      PLATFORM_FILE,
      AUDIT_HMAC_KEY_FILE: graph.keys.auditHmacKey,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  department.stdout!.on('data', (chunk: Buffer) => (departmentLog += chunk.toString()));
  department.stderr!.on('data', (chunk: Buffer) => (departmentLog += chunk.toString()));
  await waitUntil(
    'the housing fund to be ready',
    () => fetch(new URL('/readyz', departmentUrl)).then((r) => r.ok, () => false),
    60_000,
    () => (department.exitCode === null ? undefined : `it exited (${department.exitCode}):\n${departmentLog.slice(-2000)}`),
  );

  const database = new BetterSqlite3(join(outside, 'data', 'db', 'housing-fund.sqlite'), { readonly: true });
  try {
    depositor = database.prepare(`SELECT idNumber, account, employer FROM housingFundAccount WHERE status = 'PAYING' AND employer IS NOT NULL ORDER BY idNumber LIMIT 1`).get() as typeof depositor;
  } finally {
    database.close();
  }
}, 240_000);

afterAll(async () => {
  if (department && department.exitCode === null) {
    const exited = new Promise((resolve) => department.once('exit', resolve));
    department.kill('SIGTERM');
    await exited;
  }
  await graph?.stop();
  rmSync(outside, { recursive: true, force: true });
});

const asDesk = (query: string, variables?: Record<string, unknown>) => graph.queryAs({ app: APP, purpose: PURPOSE }, query, variables);

test('the packed kit holds its build, README and changelog, and it installs outside the repository', () => {
  expect(relative(ROOT, outside).startsWith('..')).toBe(true);
  const paths = packed.files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'dist/subgraphs/kit/index.js', 'dist/subgraphs/kit/index.d.ts']));
  expect(paths.filter((p) => !/^dist\/.+\.(js|d\.ts)$/.test(p)).sort()).toEqual(['CHANGELOG.md', 'README.md', 'package.json']);
});

test('the department holds its extract of the contracts alone: grants of its own fields, no other department’s', () => {
  const held = JSON.parse(readFileSync(join(extract, 'contracts-extract.json'), 'utf8')) as { department: string; contracts: Array<{ app: string; purposes: Array<{ grants: Array<string | { field: string }> }> }> };
  expect(held.department).toBe('housing-fund');
  const coordinates = held.contracts.flatMap((c) => c.purposes.flatMap((p) => p.grants.map((g) => (typeof g === 'string' ? g : g.field))));
  expect(coordinates).toContain('Person.housingFund');
  expect(coordinates.filter((c) => !c.startsWith('HousingFundAccount.') && c !== 'Person.housingFund')).toEqual([]);
  expect(held.contracts.map((c) => c.app)).toContain(APP);
});

test('an app reads the outside department’s fields joined with public security’s and market regulation’s, through the gateway', async () => {
  const response = await asDesk(
    'query($id: IdNumber!) { person(idNumber: $id) { idNumber name housingFund { account status openedOn employer { creditCode name } } } }',
    { id: depositor.idNumber },
  );
  expect(response.body.errors).toBeUndefined();
  const person = response.body.data.person;
  expect(person.idNumber).toBe(depositor.idNumber);
  expect(person.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/);
  expect(person.housingFund).toMatchObject({ account: depositor.account, status: 'PAYING', openedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  expect(person.housingFund.employer).toEqual({ creditCode: depositor.employer, name: expect.stringMatching(/[\u4e00-\u9fa5]/) });
});

test.each([
  ['monthlyDeposit', /not granted/],
  ['balance', /not shared by its department/],
])('the gateway refuses a field the contract does not grant: HousingFundAccount.%s', async (field, reason) => {
  const response = await asDesk(`query($id: IdNumber!) { person(idNumber: $id) { name housingFund { account ${field} } } }`, { id: depositor.idNumber });
  expect(response.status).toBe(403);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(reason), extensions: expect.objectContaining({ code: 'FORBIDDEN', coordinate: `HousingFundAccount.${field}` }) })]);
});

describe('the department itself', () => {
  const entityQuery = (fields: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { housingFund { ${fields} } } } }`;
  let requests = 0;
  /** Asks the department directly, as the gateway would with its token for the desk (`signed`), or with no token. */
  async function direct(fields: string, signed = true) {
    const requestId = `outside-${++requests}`;
    const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 15 });
    const token = signed ? await sign({ app: APP, purpose: PURPOSE, requestId }, 'housing-fund') : undefined;
    const response = await fetch(departmentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...(token !== undefined && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query: entityQuery(fields), variables: { r: [{ __typename: 'Person', idNumber: depositor.idNumber }] } }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> } };
  }

  test('refuses a call without the gateway’s token', async () => {
    const response = await direct('account', false);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] });
  });

  test('answers the gateway’s token for a granted field, and refuses one the contract does not grant', async () => {
    const granted = await direct('account');
    expect(granted.body.errors).toBeUndefined();
    expect(granted.body.data._entities).toEqual([{ housingFund: { account: depositor.account } }]);

    const refused = await direct('account monthlyDeposit');
    expect(refused.body.errors!.length).toBeGreaterThan(0);
    expect(refused.body.errors!.every((e) => e.extensions?.['code'] === 'FORBIDDEN')).toBe(true);
    expect(JSON.stringify(refused.body.data ?? null)).not.toContain(depositor.account);
  });
});

/**
 * `npm run contracts`, `npm run token`, `npm run seed`, `npm run start:department` and `npm run licence` as a newcomer meets
 * them: --help prints the usage (exit 0), a wrong command line says what is wrong above the usage (exit 2),
 * never a stack trace; `token` signs only for an app the gateway would accept, and otherwise lists the apps
 * it would; `start:department` lists the departments found under subgraphs/.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { departments } from '../scripts/departments';

const ROOT = join(__dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runWith(env: NodeJS.ProcessEnv, script: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const run = (script: string, ...args: string[]) => runWith({}, script, ...args);
/** The sources of each command line (`start:department` runs its build, the same program). */
const SOURCES = { contracts: 'contracts/cli.ts', token: 'scripts/token.ts', seed: 'scripts/seed.ts', 'start:department': 'scripts/start-department.ts', licence: 'scripts/licence.ts' };
type Command = keyof typeof SOURCES;
const contracts = (...args: string[]) => run(SOURCES.contracts, ...args);
const token = (...args: string[]) => run(SOURCES.token, ...args);
const NAMES = departments().map((d) => d.name).join(', ');

/** A stack trace's frames, as node prints them. */
const STACK = /^\s+at /m;

test.each([
  ['contracts', ['--help'], /^usage: npm run contracts -- <command> \[options\]\n[\s\S]*schema --app <id>[\s\S]*exit codes/],
  ['contracts', ['check', '-h'], /^usage: npm run contracts/],
  ['token', ['--help'], /^usage: npm run -s token -- --app <appId>[\s\S]*--ttl <duration>/],
  ['seed', ['--help'], /^usage: npm run seed -- \[--persons N\][\s\S]*exit codes/],
  ['start:department', ['-h'], /^usage: npm run start:department -- <name>\n[\s\S]*defaultPort/],
  ['licence', ['--help'], /^usage: npm run licence -- verify <certificate\.json> \[--keys <file>\] \[--status <status-list\.json>\][\s\S]*rotate/],
] as Array<[Command, string[], RegExp]>)('%s %p prints the usage on stdout and exits 0', async (command, args, usage) => {
  const result = await run(SOURCES[command], ...args);
  expect(result).toEqual({ code: 0, stdout: expect.stringMatching(usage), stderr: '' });
});

test.each([
  ['contracts', [], 'a command is required'],
  ['contracts', ['verify'], 'unknown command verify'],
  ['contracts', ['check', '--strict'], 'unknown option --strict'],
  ['contracts', ['schema'], 'schema needs --app <id>'],
  ['token', [], '--app is required'],
  ['token', ['--app', 'auditor', '--lifetime', '1h'], 'unknown option --lifetime'],
  ['token', ['--app', 'auditor', '--ttl', 'forever'], '--ttl takes a duration such as 15m, 1h or 7d'],
  ['seed', ['--persons', '50'], '--persons must be at least 100 (enterprises need adult legal representatives)'],
  ['seed', ['--people', '500'], 'unknown option --people'],
  ['start:department', [], `a department name is required: one of ${NAMES}`],
  ['start:department', ['civil'], `unknown department "civil": one of ${NAMES}`],
  ['start:department', ['civil-affairs', 'audit'], 'unexpected argument audit'],
  ['licence', [], 'give a command'],
  ['licence', ['sign'], 'unknown command sign'],
  ['licence', ['verify'], 'give the certificate file'],
  ['licence', ['verify', 'a.json', '--today', 'tomorrow'], '--today must be a date such as 2026-12-31'],
  ['licence', ['rotate', 'TAX'], 'unknown signer TAX: one of PUBLIC_SECURITY, CIVIL_AFFAIRS, MARKET_REGULATION, DATA_BUREAU'],
] as Array<[Command, string[], string]>)('%s %p says what is wrong, then the usage, on stderr, and exits 2', async (command, args, problem) => {
  const result = await run(SOURCES[command], ...args);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n\nusage: npm run `));
  expect(result.stderr).not.toMatch(STACK);
});

test('token refuses an app id that has no contract, listing the apps it signs for', async () => {
  const result = await token('--app', 'oneservice-portl');
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')[0]).toBe(
    'oneservice-portl has no contract in contracts/apps, so the gateway would refuse everything it asks. Apps with a contract: auditor, city-ops-center, crossprovince-desk, market-supervision, oneservice-portal.',
  );
});

test("token refuses the platform's own apps, whose tokens the gateway takes only from the platform issuer or not at all", async () => {
  expect((await token('--app', 'service-hall')).stderr.split('\n')[0]).toBe('service-hall is internal to the platform: the gateway accepts its tokens only from the platform issuer.');
  expect((await token('--app', 'govgraph-case-check')).stderr.split('\n')[0]).toBe("govgraph-case-check is the gateway's own app: the gateway accepts no token for it.");
});

test('token signs for an app with a contract, printing the token alone', async () => {
  const result = await token('--app', 'oneservice-portal', '--operator', '11010519491231002X', '--ttl', '15m');
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  const claims = decodeJwt(result.stdout.trim());
  expect(claims).toMatchObject({ sub: 'oneservice-portal', operator: '11010519491231002X', iss: 'govgraph-dev-idp', aud: 'govgraph' });
  expect(claims.exp! - claims.iat!).toBe(15 * 60);
});

test('token refuses an operator the gateway would refuse: only a Person\'s ID number is an operator', async () => {
  for (const [operator, problem] of [
    ['91330108MA0G0U3H12', 'must be 17 digits followed by a digit or X'],
    ['110105194912310021', 'has a wrong check character'],
  ]) {
    const result = await token('--app', 'oneservice-portal', '--operator', operator!);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.split('\n')[0]).toBe(`--operator is refused by the gateway: its operator must be a Person's idNumber, a valid ID number (GB 11643), but it ${problem}`);
  }
});

test('a failure while running is one line on stderr (exit 1), not a stack trace', async () => {
  const result = await contracts('check', '--supergraph', join(dataDir, 'missing.graphql'));
  expect(result).toEqual({ code: 1, stdout: '', stderr: `Cannot read the supergraph at ${join(dataDir, 'missing.graphql')}: run npm run compose, or name it with --supergraph.\n` });
});

test("contracts reads the gateway's variables for what it checks, so a check beside the gateway checks what it enforces", async () => {
  const missing = join(dataDir, 'elsewhere.graphql');
  expect(await runWith({ SUPERGRAPH_FILE: missing }, SOURCES.contracts, 'check')).toMatchObject({ code: 1, stderr: `Cannot read the supergraph at ${missing}: run npm run compose, or name it with --supergraph.\n` });
  const empty = join(dataDir, 'no-contracts');
  mkdirSync(empty, { recursive: true });
  const checked = await runWith({ CONTRACTS_DIR: empty }, SOURCES.contracts, 'check');
  expect(checked).toMatchObject({ code: 0, stdout: '0 contracts checked against supergraph.graphql: no problems\n' });
});

test('licence says in one line what it cannot find: the published keys, the library database (exit 1)', async () => {
  expect(await run(SOURCES.licence, 'verify', join(dataDir, 'missing.json'), '--keys', join(dataDir, 'keys.json'))).toEqual({ code: 1, stdout: '', stderr: `no published keys at ${join(dataDir, 'keys.json')}\n` });
  expect(await run(SOURCES.licence, 'export', 'YZ440106202600000001')).toEqual({
    code: 1,
    stdout: '',
    stderr: `licence-library has no database at ${join(dataDir, 'db', 'licence-library.sqlite')}: start it first (npm start)\n`,
  });
});

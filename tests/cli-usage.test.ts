/**
 * `npm run contracts` and `npm run token` as a newcomer meets them: --help prints the usage (exit 0), a
 * wrong command line says what is wrong above the usage (exit 2), never a stack trace; `token` signs only
 * for an app the gateway would accept, and otherwise lists the apps it would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';

const ROOT = join(__dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(script: string, ...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const contracts = (...args: string[]) => run('contracts/cli.ts', ...args);
const token = (...args: string[]) => run('scripts/token.ts', ...args);

/** A stack trace's frames, as node prints them. */
const STACK = /^\s+at /m;

test.each([
  ['contracts', ['--help'], /^usage: npm run contracts -- <command> \[options\]\n[\s\S]*schema --app <id>[\s\S]*exit codes/],
  ['contracts', ['check', '-h'], /^usage: npm run contracts/],
  ['token', ['--help'], /^usage: npm run -s token -- --app <appId>[\s\S]*--ttl <duration>/],
])('%s %p prints the usage on stdout and exits 0', async (command, args, usage) => {
  const result = await (command === 'contracts' ? contracts : token)(...args);
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
])('%s %p says what is wrong, then the usage, on stderr, and exits 2', async (command, args, problem) => {
  const result = await (command === 'contracts' ? contracts : token)(...args);
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

test('a failure while running is one line on stderr (exit 1), not a stack trace', async () => {
  const result = await contracts('check', '--supergraph', join(dataDir, 'missing.graphql'));
  expect(result).toEqual({ code: 1, stdout: '', stderr: `Cannot read the supergraph at ${join(dataDir, 'missing.graphql')}: run npm run compose, or name it with --supergraph.\n` });
});

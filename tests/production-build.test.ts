/**
 * The build `npm start` runs (`npm run build:server`, which `npm test` runs before jest): the launcher,
 * the six departments and the gateway as compiled JavaScript from dist/, with the departments' schemas
 * beside their code, answer through the gateway and stop together on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPARTMENTS } from '../scripts/departments';
import { devKeyFiles } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';

const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'dist', 'scripts', 'start.js');
let dataDir: string;
let launcher: ChildProcess;
let output = '';
let gatewayPort: number;

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` consecutive free loopback ports, for the launcher's gateway port and departments' base port. */
async function freeRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

beforeAll(async () => {
  if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: npm test builds it (npm run build:server)`);
  dataDir = mkdtempSync(join(tmpdir(), 'govgraph-build-'));
  gatewayPort = await freeRun(7);
  launcher = spawn(process.execPath, [LAUNCHER], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, GATEWAY_PORT: String(gatewayPort), SUBGRAPH_BASE_PORT: String(gatewayPort + 1), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 150_000;
  while (!output.includes('GovGraph is up')) {
    if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`npm start's build did not come up:\n${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 180_000);

afterAll(async () => {
  if (launcher.exitCode === null) {
    const exited = new Promise((r) => launcher.once('exit', r));
    launcher.kill('SIGINT');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** The pids of the launcher's children, each with the program it runs. */
function children(): Array<{ pid: number; program: string }> {
  const pids = readdirSync(`/proc/${launcher.pid}/task`).flatMap((task) => readFileSync(`/proc/${launcher.pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  return pids.map((pid) => ({ pid, program: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1).join(' ') }));
}

test('every service runs from dist/, without tsx', () => {
  const programs = children().map((c) => c.program.replace(ROOT, '').trim()).sort();
  expect(programs).toEqual(['/dist/gateway/index.js', ...DEPARTMENTS.map((d) => `/dist/subgraphs/${d.name}/index.js`)].sort());
});

test('the compiled graph answers an app across departments, and stops whole on Ctrl-C', async () => {
  const token = await mintAppToken(devKeyFiles(dataDir).appIssuerPrivate, { app: 'market-supervision' });
  const response = await fetch(`http://127.0.0.1:${gatewayPort}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-purpose': 'LEGAL_REPRESENTATIVE_CHECK', 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ enterprises(first: 2) { nodes { name legalRepresentative { name } } } }' }),
  });
  const body = (await response.json()) as { data?: { enterprises: { nodes: Array<{ name: string; legalRepresentative: { name: string } | null }> } }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data!.enterprises.nodes).toHaveLength(2);
  expect(body.data!.enterprises.nodes[0]!.legalRepresentative!.name).toMatch(/\S/);

  const pids = children().map((c) => c.pid);
  const exited = new Promise<number | null>((r) => launcher.once('exit', (code) => r(code)));
  launcher.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(pids.filter((pid) => existsSync(`/proc/${pid}`))).toEqual([]);
});

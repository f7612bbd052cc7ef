/**
 * The build `npm start` runs (`npm run build:server`, which `npm test` runs before jest): the launcher,
 * which finds the departments in dist/subgraphs/, the departments and the gateway as compiled JavaScript
 * from dist/, with the departments' schemas beside their code, answer through the gateway and stop
 * together on Ctrl-C. The built services stop gracefully (http/graceful-stop.ts): on SIGTERM not ready at
 * once, serving through the shutdown delay, the requests in flight finished — or cut and named past the
 * deadline — and the gateway under NODE_ENV=production (where Apollo would handle signals itself) signs the
 * audit trail's head as it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AuditStore } from '../audit/audit-store';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { verifyChain } from '../audit/verify-chain';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { departmentPorts, departments, departmentUrl } from '../scripts/departments';
import { devKeyFiles } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';

const ROOT = join(__dirname, '..');
const LAUNCHER = join(ROOT, 'dist', 'scripts', 'start.js');
let dataDir: string;
let launcher: ChildProcess;
let output = '';
let gatewayPort: number;
/** The departments' ports under the launcher, SUBGRAPH_BASE_PORT just above the gateway's. */
let ports: Map<string, number>;

function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free loopback ports, for the launcher's gateway port and, above it, the departments'
 * (SUBGRAPH_BASE_PORT shifts their declared ports alike).
 * Chosen below Linux's ephemeral range (32768 and up): a port found free there can be taken by another
 * test's outgoing connection before the launcher binds it.
 */
async function freeRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (32_768 - 20_000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

beforeAll(async () => {
  if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: npm test builds it (npm run build:server)`);
  dataDir = mkdtempSync(join(tmpdir(), 'govgraph-build-'));
  const declared = departments().map((d) => d.defaultPort);
  gatewayPort = await freeRun(1 + Math.max(...declared) - Math.min(...declared) + 1);
  ports = departmentPorts(departments(), gatewayPort + 1);
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

const status = (url: string) => fetch(url).then((r) => r.status);

test('every department found runs from dist/, without tsx, on its declared port shifted by SUBGRAPH_BASE_PORT', async () => {
  const programs = children().map((c) => c.program.replace(ROOT, '').trim()).sort();
  expect(programs).toEqual(['/dist/gateway/index.js', ...departments().map((d) => `/dist/subgraphs/${d.name}/index.js`)].sort());
  for (const [name, port] of ports) expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toMatchObject({ service: name });
});

test('npm run start:department -- <name> runs that department alone from dist/, and stops on SIGTERM, out of readiness first', async () => {
  const port = await freeRun(1);
  const department = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'start-department.js'), 'civil-affairs'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn', SHUTDOWN_DELAY_SECONDS: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => department.once('exit', (code) => r(code)));
  const deadline = Date.now() + 60_000;
  let health: unknown;
  while (!(health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json(), () => undefined))) {
    if (department.exitCode !== null || Date.now() > deadline) throw new Error('start:department did not come up');
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(health).toEqual({ status: 'ok', service: 'civil-affairs' });
  expect(await status(`http://127.0.0.1:${port}/readyz`)).toBe(200);
  department.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // Through SHUTDOWN_DELAY_SECONDS: out of a load balancer, still alive.
  expect(await status(`http://127.0.0.1:${port}/readyz`)).toBe(503);
  expect(await status(`http://127.0.0.1:${port}/healthz`)).toBe(200);
  expect(await exited).toBe(0);
}, 90_000);

/** The rows of civil-affairs' tables in a data folder's SQLite database. */
function civilAffairsRows(dir: string): Record<string, number> {
  const db = new BetterSqlite3(sqliteFileFor(dir, 'civil-affairs'), { readonly: true });
  try {
    return Object.fromEntries(['marriage', 'allowance'].map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

test('a department sent SIGTERM while it seeds an empty database finishes the seeding, then stops and exits 0', async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'govgraph-seeding-'));
  try {
    cpSync(join(dataDir, 'keys'), join(emptyDir, 'keys'), { recursive: true });
    const department = spawn(process.execPath, [join(ROOT, 'dist', 'scripts', 'start-department.js'), 'civil-affairs'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(await freeRun(1)), DATA_DIR: emptyDir, LOG_LEVEL: 'info', SHUTDOWN_DELAY_SECONDS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    let stderr = '';
    department.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    department.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => department.once('exit', (code, signal) => r({ code, signal })));
    const deadline = Date.now() + 60_000;
    while (!log.includes('seeding an empty database')) {
      if (department.exitCode !== null || Date.now() > deadline) throw new Error(`civil-affairs never began seeding:\n${log.slice(-2000)}${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    department.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');
    expect(log).not.toContain('"level":50');
    // Seeded whole: the same rows as the launcher's department, seeded from the same world.
    expect(civilAffairsRows(emptyDir)).toEqual(civilAffairsRows(dataDir));
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
}, 90_000);

/** Asks as market-supervision for two enterprises and their representatives. */
function askEnterprises(port: number, token: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-purpose': 'LEGAL_REPRESENTATIVE_CHECK', 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ enterprises(first: 2) { nodes { name legalRepresentative { name } } } }' }),
  });
}

/** The built gateway under NODE_ENV=production (where Apollo would handle signals itself), with its own SQLite trail. */
async function startBuiltGateway(name: string, env: Record<string, string> = {}) {
  const port = await freeRun(1);
  const auditFile = join(dataDir, 'db', `audit-${name}.sqlite`);
  const gateway = spawn(process.execPath, [join(ROOT, 'dist', 'gateway', 'index.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATA_DIR: dataDir,
      AUDIT_SQLITE_FILE: auditFile,
      SUBGRAPH_URLS: departments().map((d) => `${d.name}=${departmentUrl(d, '127.0.0.1', ports.get(d.name))}`).join(','),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  gateway.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((r) => gateway.once('exit', (code, by) => r({ code, signal: by, stderr })));
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
    if (gateway.exitCode !== null || Date.now() > deadline) throw new Error('the built gateway did not come up');
    await new Promise((r) => setTimeout(r, 250));
  }
  const token = await mintAppToken(devKeyFiles(dataDir).appIssuerPrivate, { app: 'market-supervision' });
  return { gateway, port, auditFile, exited, token };
}

async function verifyTrail(auditFile: string) {
  const keys = devKeyFiles(dataDir);
  const store = await AuditStore.open({ kind: 'sqlite', file: auditFile });
  try {
    return await verifyChain(store, { chainKey: readChainKey(keys.auditChainKey, false), checkpointKeys: readCheckpointKeys(keys.auditCheckpointKey, false), checkpointEvery: 100 });
  } finally {
    await store.close();
  }
}

test('sent SIGTERM, the built gateway is not ready at once but serves through SHUTDOWN_DELAY_SECONDS, drains, signs the audit head and exits 0', async () => {
  const { gateway, port, auditFile, exited, token } = await startBuiltGateway('sigterm', { SHUTDOWN_DELAY_SECONDS: '1.5' });
  expect((await askEnterprises(port, token)).status).toBe(200);
  expect(await status(`http://127.0.0.1:${port}/readyz`)).toBe(200);
  // A second request is in flight when the signal arrives: it is answered, and its record is under the head.
  const inFlight = askEnterprises(port, token);
  await new Promise((r) => setTimeout(r, 30));
  gateway.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // The delay: out of a load balancer (readiness 503), alive, and still answering what the balancer sends.
  const readiness = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect([readiness.status, await readiness.json()]).toEqual([503, { status: 'stopping' }]);
  expect(await status(`http://127.0.0.1:${port}/healthz`)).toBe(200);
  expect((await askEnterprises(port, token)).status).toBe(200);
  expect((await inFlight).status).toBe(200);
  expect(await exited).toEqual({ code: 0, signal: null, stderr: '' });
  expect(await verifyTrail(auditFile)).toEqual({ ok: true, records: 3, checkpoints: 1, lastCheckpoint: { seq: 3, time: expect.any(String) }, lastSeq: 3, unsignedRecords: 0 });
}, 90_000);

test('sent SIGINT (Ctrl-C), the built gateway skips the delay, drains and signs the audit head over its last record before it exits', async () => {
  const { gateway, port, auditFile, exited, token } = await startBuiltGateway('sigint', { SHUTDOWN_DELAY_SECONDS: '30' });
  expect((await askEnterprises(port, token)).status).toBe(200);
  const inFlight = askEnterprises(port, token);
  await new Promise((r) => setTimeout(r, 30));
  gateway.kill('SIGINT');
  expect((await inFlight).status).toBe(200);
  expect(await exited).toEqual({ code: 0, signal: null, stderr: '' });
  expect(await verifyTrail(auditFile)).toEqual({ ok: true, records: 2, checkpoints: 1, lastCheckpoint: { seq: 2, time: expect.any(String) }, lastSeq: 2, unsignedRecords: 0 });
}, 90_000);

test('a request still running SHUTDOWN_TIMEOUT_SECONDS after the gateway stopped accepting is cut: it exits 1 naming the request, with the head signed', async () => {
  const { gateway, port, auditFile, exited, token } = await startBuiltGateway('cut', { SHUTDOWN_DELAY_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '1' });
  expect((await askEnterprises(port, token)).status).toBe(200);
  // A body announced longer than what is sent: the request stays in flight, reading it, until it is cut.
  const socket = connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":`);
  const closed = new Promise((r) => socket.once('close', r));
  await new Promise((r) => setTimeout(r, 200));
  gateway.kill('SIGTERM');
  const { code, stderr } = await exited;
  await closed;
  expect(code).toBe(1);
  expect(stderr).toMatch(/^The gateway stopped with 1 request cut, still running 1 s after it stopped accepting \(SHUTDOWN_TIMEOUT_SECONDS\): POST \/graphql \(request [0-9a-f-]{36}, running 1\.\d s\)\n$/);
  // The cut request may still have been recorded (as the refusal of a body it never got whole): the chain holds either way.
  expect(await verifyTrail(auditFile)).toMatchObject({ ok: true, lastCheckpoint: { seq: expect.any(Number) } });
}, 90_000);

test('the compiled graph answers an app across departments, and stops whole on Ctrl-C', async () => {
  const token = await mintAppToken(devKeyFiles(dataDir).appIssuerPrivate, { app: 'market-supervision' });
  const response = await askEnterprises(gatewayPort, token);
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

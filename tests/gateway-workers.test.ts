/**
 * GATEWAY_WORKERS: the gateway as several processes on one port (node:cluster) — the real entry point,
 * compiled and started as `npm run start:gateway` runs it (dist/, which `npm test` builds before jest),
 * over real departments. The workers answer concurrently and still write one audit chain that verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuditStore } from '../audit/audit-store';
import type { Checkpoint } from '../audit/checkpoint-signer';
import { readHeadFile } from '../audit/head-file';
import { verifyChain } from '../audit/verify-chain';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, freePort, startGraph, trailKeys, type TestGraph } from './support/graph';
import { waitUntil } from './support/wait-until';

let graph: TestGraph;
let gateway: ReturnType<typeof spawnGateway>;
let url: string;
const auditFile = (name = 'audit-workers') => join(graph.dataDir, 'db', `${name}.sqlite`);

/** The built gateway with two workers on `port`, its audit chain in `audit`; what it writes to stderr is kept. */
function spawnGateway(port: number, audit: string): ChildProcess & { stderrText: () => string } {
  const child = spawn(process.execPath, [resolve(__dirname, '..', 'dist', 'gateway', 'index.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      GATEWAY_WORKERS: '2',
      DATA_DIR: graph.dataDir,
      CONTRACTS_DIR: graph.contractsDir,
      AUDIT_SQLITE_FILE: audit,
      AUDIT_CHECKPOINT_EVERY: '10',
      SHUTDOWN_DELAY_SECONDS: '1',
      SUBGRAPH_URLS: graph.subgraphs.map((s) => `${s.name}=${s.url}`).join(','),
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return Object.assign(child, { stderrText: () => stderr });
}

/** The processes a gateway's primary has forked. */
const workersOf = (primary: ChildProcess): string[] => readFileSync(`/proc/${primary.pid}/task/${primary.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);

/** Started on a free port; again on another when something else took that port first (the suite runs in parallel). */
async function startGatewayOnFreePort(attempts = 3): Promise<void> {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  gateway = spawnGateway(port, auditFile());
  // The primary says so once every worker is up: the first to listen already answers /healthz.
  let output = '';
  gateway.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await waitUntil('the gateway with two workers', () => output.includes('gateway ready with 2 workers'), 60_000, () => (stopped() ? `it exited (${gateway.exitCode ?? gateway.signalCode}): ${gateway.stderrText()}` : undefined));
  } catch (error) {
    if (attempts > 1 && stopped() && gateway.stderrText().includes('EADDRINUSE')) return startGatewayOnFreePort(attempts - 1);
    throw error;
  }
}

beforeAll(async () => {
  graph = await startGraph();
  await startGatewayOnFreePort();
}, 90_000);

async function verifyTrail(file = auditFile(), expectHeads: Checkpoint[] = []) {
  const store = await AuditStore.open({ kind: 'sqlite', file });
  try {
    return await verifyChain(store, trailKeys(graph.keys), { expectHeads });
  } finally {
    await store.close();
  }
}

const stopped = () => gateway.exitCode !== null || gateway.signalCode !== null;

afterAll(async () => {
  if (!stopped()) {
    const exited = new Promise((r) => gateway.once('exit', r));
    gateway.kill('SIGTERM');
    await exited;
  }
  await graph.stop();
});

test('two workers answer concurrent requests and append to one chain that verifies', async () => {
  expect(workersOf(gateway)).toHaveLength(2);
  const responses = await Promise.all(
    Array.from({ length: 30 }, () => graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url }, '{ enterprises(first: 3) { nodes { name legalRepresentative { name } } } }')),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(30).fill(200));
  expect(responses.every((r) => r.body.data?.enterprises.nodes.length === 3)).toBe(true);
  expect(await verifyTrail()).toMatchObject({ ok: true, records: 30, checkpoints: 3 });
}, 60_000);

test('stopped with SIGTERM, the workers answer not ready but serve through the delay, drain, sign the head over the last record, and the primary exits 0', async () => {
  await graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url }, '{ serviceItems { code } }');
  const exited = new Promise<number | null>((r) => gateway.once('exit', (code) => r(code)));
  gateway.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  // Whichever worker answers: out of a load balancer, alive, still serving.
  for (let i = 0; i < 4; i++) expect((await fetch(new URL('/readyz', url))).status).toBe(503);
  expect((await fetch(new URL('/healthz', url))).status).toBe(200);
  expect((await graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url }, '{ serviceItems { code } }')).status).toBe(200);
  expect(await exited).toBe(0);
  expect(await verifyTrail()).toMatchObject({ ok: true, lastSeq: 32, unsignedRecords: 0 });
  // Each worker kept its own head (the last record it appended, or the head it signed at stop): both are in the trail.
  const heads = ['audit-workers-head.json', 'audit-workers-head.worker-2.json'].map((name) => readHeadFile(join(graph.keys.dir, name)));
  expect(heads.map((head) => head?.seq)).toEqual([expect.any(Number), expect.any(Number)]);
  expect(await verifyTrail(auditFile(), heads.filter((head) => head !== undefined))).toMatchObject({ ok: true, lastSeq: 32 });
}, 60_000);

test('a SIGTERM while the workers are still starting lets them start, then stops them: exit 0, nothing on stderr, nothing half-written', async () => {
  const audit = auditFile('audit-stopped-starting');
  const starting = spawnGateway(await freePort(), audit);
  const exited = new Promise<number | null>((r) => starting.once('exit', (code) => r(code)));
  let ready = false;
  starting.stdout!.on('data', (chunk: Buffer) => (ready ||= chunk.toString().includes('gateway ready')));
  // As soon as both workers exist: they are still loading the server's modules, seconds from serving.
  await waitUntil('two forked workers', () => workersOf(starting).length === 2, 30_000, () => (starting.exitCode !== null ? `it exited (${starting.exitCode})` : undefined));
  starting.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(starting.signalCode).toBeNull();
  expect(ready).toBe(false);
  expect(starting.stderrText()).toBe('');
  // The workers opened the chain before stopping, and closed it whole.
  expect(await verifyTrail(audit)).toMatchObject({ ok: true, records: 0, unsignedRecords: 0 });
}, 60_000);

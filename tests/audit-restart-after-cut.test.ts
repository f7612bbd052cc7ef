/**
 * THREATS F10, TRUST "whoever holds the audit database", across restarts: whoever holds the database,
 * while a gateway is stopped (or one replica is scaled down), deletes the newest records, the signed head
 * over them and their subject index. The gateway keeps the last head it signed in its head file, outside
 * the database: started again, it refuses to chain onto the cut, and `verify` given the head files names
 * it. The oldest records, however young, deleted as a "prune" that needs no key: verify holds the trail
 * to its retention period. The head file holds the last record the gateway appended (after every group),
 * so a cut made while it runs, or after it crashed, is refused too — by the built gateway as it runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { Pool } from 'pg';
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys, type Checkpoint } from '../audit/checkpoint-signer';
import { readHeadFile } from '../audit/head-file';
import { readHmacKey } from '../audit/subject-hasher';
import { verifyChain } from '../audit/verify-chain';
import { openAuditTrail, type AuditTrail } from '../gateway/audit-trail';
import type { GatewayConfig } from '../gateway/config';
import type { AuditLocation } from '../audit/audit-database';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, freePort, startGraph, type TestGraph } from './support/graph';
import { waitUntil } from './support/wait-until';

let dir: string;
let config: GatewayConfig['audit'];
let cutsHeard: string[];
const CHECKPOINT_EVERY = 10;

/** A gateway's trail, with its own head file when `headFile` names one. */
const openTrail = (headFile = config.headFile, audit = config): Promise<AuditTrail> =>
  openAuditTrail({ ...audit, headFile }, () => undefined, (problem) => cutsHeard.push(problem));

const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 5, 1, 8, 0, i)).toISOString(), requestId: `r${i}`, app: 'crossprovince-desk', operator: null, region: null,
  purpose: 'CROSS_PROVINCE_CASE', caseId: 'c1', operationName: null, operationHash: 'h', fields: ['Person.name'], subjects: [`s${i}`],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-restart-cut-'));
  cutsHeard = [];
  config = {
    location: { kind: 'sqlite', file: join(dir, 'audit.sqlite'), busyTimeoutMs: 500 },
    hmacKeyFile: join(dir, 'hmac.key'),
    chainKeyFile: join(dir, 'chain.key'),
    checkpointKeyFile: join(dir, 'checkpoint.pem'),
    checkpointEvery: CHECKPOINT_EVERY,
    headFile: join(dir, 'audit-head.json'),
  };
  readHmacKey(config.hmacKeyFile, true);
  readChainKey(config.chainKeyFile, true);
  readCheckpointKeys(config.checkpointKeyFile, true);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `audit verify`, given the heads kept in these head files as expected heads. */
async function verifyTrail(headFiles: readonly string[] = [], location = config.location) {
  const expectHeads = headFiles.map((file) => readHeadFile(file)).filter((head): head is Checkpoint => head !== undefined);
  const store = await AuditStore.open(location);
  try {
    return await verifyChain(store, { chainKey: readChainKey(config.chainKeyFile, false), checkpointKeys: readCheckpointKeys(config.checkpointKeyFile, false), checkpointEvery: CHECKPOINT_EVERY }, { expectHeads });
  } finally {
    await store.close();
  }
}

const CUT_AT_25 = 'the audit trail ends at record 20, before record 25 this process appended: its newest records were removed';

/** Whoever holds the database removes records after 20 (e.g. the reads of one citizen's data), the signed heads over them, and their index. */
async function cutAfter20(location: AuditLocation = config.location): Promise<void> {
  const attacker = await AuditStore.open(location);
  for (const table of ['auditRecord', 'auditSubjectRun', 'auditCheckpoint']) await sql.raw(`DROP TRIGGER IF EXISTS "${table}_no_delete"`).execute(attacker.db);
  await attacker.db.deleteFrom('auditCheckpoint').where('seq', '>', 20).execute();
  await attacker.db.deleteFrom('auditRecord').where('seq', '>', 20).execute();
  // The subject index is outside the chain: its mark goes back with the records.
  await attacker.db.deleteFrom('auditSubjectRun').where('fromSeq', '>', 20).execute();
  await attacker.db.updateTable('auditSubjectRunProgress').set({ indexedTo: 20 }).execute();
  await attacker.close();
}

/** Appends records `from`–`to`; whether the trail refused them. */
async function appendsRefused(trail: AuditTrail, from: number, to: number): Promise<boolean> {
  try {
    for (let i = from; i <= to; i++) await trail.append(entry(i));
    await trail.close();
    return false;
  } catch {
    // Closing signs no head over the cut, but lets the store go.
    await trail.close().catch(() => undefined);
    return true;
  }
}

test('records cut while the gateway is stopped are detected after it starts again and writes on', async () => {
  // A gateway runs, writes 25 records (checkpoints at 10 and 20), stops: the head at 25 is signed, and kept in its head file.
  const first = await openTrail();
  for (let i = 1; i <= 25; i++) await first.append(entry(i));
  await first.close();
  expect(await verifyTrail()).toMatchObject({ ok: true, lastSeq: 25, unsignedRecords: 0 });
  expect(readHeadFile(config.headFile)).toMatchObject({ seq: 25 });

  await cutAfter20();

  // The gateway starts again and serves requests.
  const second = await openTrail();
  expect(cutsHeard).toEqual([`the audit trail no longer holds record 25 of the head kept in ${config.headFile}: ${CUT_AT_25}`]);
  await expect(second.probeWrite(100)).rejects.toThrow(/no longer holds record 25/);
  const refused = await appendsRefused(second, 26, 35);
  const verification = await verifyTrail();
  // Safe: the restarted gateway refused to write onto the cut, or verify still shows the cut.
  expect({ refused, verifiesClean: verification.ok && verification.unsignedRecords === 0 }).not.toEqual({ refused: false, verifiesClean: true });
  expect(refused).toBe(true);
  // Its head file still holds the head the trail lost; verify given it names the cut.
  expect(await verifyTrail([config.headFile])).toEqual({ ok: false, seq: 21, problem: 'the trail ends at record 20, before the expected head at record 25: records from 21 were removed' });
});

test('a gateway that crashed keeps the last record it appended: records cut after its last checkpoint are refused at start', async () => {
  const first = await openTrail();
  for (let i = 1; i <= 25; i++) await first.append(entry(i));
  // No close: the head file holds the last group (record 25), not the checkpoint at 20.
  expect(readHeadFile(config.headFile)).toMatchObject({ seq: 25 });
  await cutAfter20();
  const restarted = await openTrail();
  expect(cutsHeard).toEqual([`the audit trail no longer holds record 25 of the head kept in ${config.headFile}: ${CUT_AT_25}`]);
  expect(await appendsRefused(restarted, 26, 26)).toBe(true);
});

test('records cut while the gateway runs: it hears of it once, is not ready, signs nothing over the cut, and its head file keeps the record before it', async () => {
  const trail = await openTrail();
  for (let i = 1; i <= 25; i++) await trail.append(entry(i));
  await cutAfter20();
  await expect(trail.append(entry(26))).rejects.toThrow(CUT_AT_25);
  await expect(trail.probeWrite(100)).rejects.toThrow(CUT_AT_25);
  await expect(trail.close()).rejects.toThrow(CUT_AT_25);
  expect(cutsHeard).toEqual([CUT_AT_25]);
  expect(readHeadFile(config.headFile)).toMatchObject({ seq: 25 });
  const restarted = await openTrail();
  expect(await appendsRefused(restarted, 26, 30)).toBe(true);
});

test('the write probe finds a cut before any request does', async () => {
  const trail = await openTrail();
  for (let i = 1; i <= 25; i++) await trail.append(entry(i));
  await cutAfter20();
  await expect(trail.probeWrite(100)).rejects.toThrow(CUT_AT_25);
  expect(cutsHeard).toEqual([CUT_AT_25]);
  await expect(trail.append(entry(26))).rejects.toThrow(CUT_AT_25);
  await trail.close().catch(() => undefined);
  expect(readHeadFile(config.headFile)).toMatchObject({ seq: 25 });
});

test('started again after another writer moved on and after a prune, the gateway writes on: those are not cuts', async () => {
  const first = await openTrail();
  for (let i = 1; i <= 25; i++) await first.append({ ...entry(i), time: new Date(Date.UTC(2025, 0, 1, 8, 0, i)).toISOString() });
  await first.close();
  const other = await openTrail(join(dir, 'other-head.json'));
  for (let i = 26; i <= 30; i++) await other.append(entry(i));
  await other.close();
  const holder = await AuditStore.open(config.location);
  // Older than any retention period: the records of January 2025.
  expect(await holder.prune('2025-02-01T00:00:00.000Z')).toMatchObject({ removed: 25 });
  await holder.close();
  const restarted = await openTrail();
  expect(await appendsRefused(restarted, 31, 32)).toBe(false);
  expect(cutsHeard).toEqual([]);
  expect(await verifyTrail([config.headFile, join(dir, 'other-head.json')])).toMatchObject({ ok: true, lastSeq: 32, unsignedRecords: 0 });
});

test('a gateway started for the first time has no head file, and writes one', async () => {
  expect(existsSync(config.headFile)).toBe(false);
  const trail = await openTrail();
  for (let i = 1; i <= 3; i++) await trail.append(entry(i));
  await trail.close();
  expect(readHeadFile(config.headFile)).toMatchObject({ seq: 3 });
});

test("yesterday's records deleted as a 'prune' fail verification: the trail starts inside the retention period", async () => {
  const gateway = await openTrail();
  const now = Date.now();
  // A day of requests (checkpoints at 10 and 20), the newest one minute ago.
  for (let i = 1; i <= 25; i++) await gateway.append({ ...entry(i), time: new Date(now - (26 - i) * 3_456_000).toISOString() });
  await gateway.close();

  // Whoever holds the database (no key needed) removes everything up to the newest checkpoint (the head signed at shutdown).
  const holder = await AuditStore.open(config.location);
  const { removed } = await holder.prune(new Date(now).toISOString());
  await holder.close();
  expect(removed).toBe(25);
  // The gateway serves on.
  const restarted = await openTrail();
  await restarted.append(entry(26));
  await restarted.close();

  // Safe: records younger than any retention period (MLPS level 3: six months) gone is a problem verify names.
  expect(await verifyTrail()).toMatchObject({ ok: false });
  expect(await verifyTrail()).toEqual({ ok: false, seq: 25, problem: expect.stringMatching(/^the trail starts after the checkpoint at record 25, signed .*: records younger than the retention period \(since .*\) were removed$/) });
});

test("on PostgreSQL with one role, the guard yields to the owner's session that says it is pruning: the cut is still refused at restart and named by verify", async () => {
  const database = `audit_restart_cut_${process.pid}`;
  const admin = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.query(`CREATE DATABASE ${database}`);
  const location = { kind: 'postgres' as const, url: `postgres://postgres@127.0.0.1:5432/${database}` };
  const pgConfig = { ...config, location };
  try {
    const first = await openTrail(config.headFile, pgConfig);
    for (let i = 1; i <= 25; i++) await first.append(entry(i));
    await first.close();

    // The gateway's role owns the trail (one role, as in development): the triggers, left in place, yield to its
    // session's "pruning" setting. With a separate owner they would not (tests/audit-roles).
    const session = new Pool({ connectionString: location.url, max: 1 });
    await session.query("SET govgraph.audit_pruning = 'on'");
    await session.query('DELETE FROM "auditCheckpoint" WHERE seq > 20');
    await session.query('DELETE FROM "auditRecord" WHERE seq > 20');
    await session.query('DELETE FROM "auditSubjectRun" WHERE "fromSeq" > 20');
    await session.query('UPDATE "auditSubjectRunProgress" SET "indexedTo" = 20');
    await session.end();

    const second = await openTrail(config.headFile, pgConfig);
    expect(await appendsRefused(second, 26, 35)).toBe(true);
    expect(cutsHeard).toEqual([`the audit trail no longer holds record 25 of the head kept in ${config.headFile}: ${CUT_AT_25}`]);
    const verification = await verifyTrail([config.headFile], location);
    // Safe: the deletes are refused without a key-holding prune, or verify shows the cut.
    expect(verification).toMatchObject({ ok: false });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
});

test('a replica scaled down, then its records cut: the replica still running writes on over the cut, and verify given every head file names it', async () => {
  const headOfA = join(dir, 'replica-a-head.json');
  const headOfB = join(dir, 'replica-b-head.json');
  const replicaA = await openTrail(headOfA);
  const replicaB = await openTrail(headOfB);
  for (let i = 1; i <= 20; i++) await replicaA.append(entry(i));
  for (let i = 21; i <= 25; i++) await replicaB.append(entry(i));
  // B stops (signs the head at 25, keeps it in its head file); A keeps serving.
  await replicaB.close();

  await cutAfter20();

  const refused = await appendsRefused(replicaA, 26, 35);
  const verification = await verifyTrail([headOfA, headOfB]);
  expect({ refused, verifiesClean: verification.ok && verification.unsignedRecords === 0 }).not.toEqual({ refused: false, verifiesClean: true });
  expect(verification).toEqual({ ok: false, seq: 25, problem: 'record 25 is not the record of the expected head: the chain was rewritten up to here' });
  // B, started again, refuses to write on.
  const restartedB = await openTrail(headOfB);
  expect(await appendsRefused(restartedB, 36, 36)).toBe(true);
});

describe('the built gateway (dist/gateway/index.js), its newest records cut while it runs', () => {
  let graph: TestGraph;
  let trailDir: string;
  beforeAll(async () => {
    graph = await startGraph();
  }, 90_000);
  afterAll(() => graph.stop());
  beforeEach(() => {
    trailDir = mkdtempSync(join(tmpdir(), 'audit-running-cut-'));
  });
  afterEach(() => rmSync(trailDir, { recursive: true, force: true }));

  const trailFile = () => join(trailDir, 'audit.sqlite');
  const headFile = () => join(trailDir, 'head.json');
  const trailEnvironment = () => ({
    ...process.env,
    DATA_DIR: graph.dataDir,
    AUDIT_SQLITE_FILE: trailFile(),
    AUDIT_HEAD_FILE: headFile(),
    AUDIT_CHAIN_KEY_FILE: graph.keys.auditChainKey,
    AUDIT_CHECKPOINT_KEY_FILE: graph.keys.auditCheckpointKey,
    AUDIT_HMAC_KEY_FILE: graph.keys.auditHmacKey,
    AUDIT_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
  });

  /** The built gateway on a free port over the trail in `trailDir`; what it says (stdout and stderr) is kept. */
  async function startGateway(): Promise<{ child: ChildProcess; url: string; said: () => string; exited: Promise<number | null> }> {
    const port = await freePort();
    const child = spawn(process.execPath, [resolve(__dirname, '..', 'dist', 'gateway', 'index.js')], {
      env: { ...trailEnvironment(), PORT: String(port), CONTRACTS_DIR: graph.contractsDir, SHUTDOWN_DELAY_SECONDS: '0', CONSOLE: 'off', LOG_LEVEL: 'error', SUBGRAPH_URLS: graph.subgraphs.map((s) => `${s.name}=${s.url}`).join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    child.stdout!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const url = `http://127.0.0.1:${port}`;
    const healthy = () => fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    await waitUntil('the built gateway', healthy, 60_000, () => (child.exitCode !== null ? `it exited (${child.exitCode}): ${said}` : undefined));
    return { child, url, said: () => said, exited };
  }

  const read = (url: string) => graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url: `${url}/graphql` }, '{ serviceItems { code } }');
  const readiness = (url: string) => fetch(`${url}/readyz`).then(async (r) => ({ status: r.status, audit: ((await r.json()) as { audit: string }).audit }));

  /** `npm run audit -- verify --expect-head <head file>`: its exit code and what it printed. */
  function verifyWithHeadFile(): Promise<{ code: number | null; output: string }> {
    const child = spawn('npm', ['run', '-s', 'audit', '--', 'verify', '--expect-head', headFile()], { cwd: resolve(__dirname, '..'), env: trailEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((r) => child.once('exit', (code) => r({ code, output })));
  }

  test('it refuses and is not ready; stopped, it signs nothing and its head file keeps the record before the cut; started again it refuses, and verify given the head file fails', async () => {
    const first = await startGateway();
    for (let i = 1; i <= 25; i++) expect((await read(first.url)).status).toBe(200);
    // Each group's head is kept as it is written: records 21–25 are after the last checkpoint (20), fewer than an interval.
    expect(readHeadFile(headFile())).toMatchObject({ seq: 25 });

    await cutAfter20({ kind: 'sqlite', file: trailFile(), busyTimeoutMs: 500 });

    const refused = await read(first.url);
    expect([refused.status, refused.body.errors?.[0]?.extensions?.['code']]).toEqual([503, 'AUDIT_UNAVAILABLE']);
    expect(await readiness(first.url)).toEqual({ status: 503, audit: 'unavailable' });
    expect(first.said()).toContain(CUT_AT_25);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(1);
    expect(first.said()).toMatch(/did not stop cleanly: the audit trail's head was not signed: .*its newest records were removed/);
    expect(readHeadFile(headFile())).toMatchObject({ seq: 25 });

    const second = await startGateway();
    expect(await readiness(second.url)).toEqual({ status: 503, audit: 'unavailable' });
    const refusedAgain = await read(second.url);
    expect([refusedAgain.status, refusedAgain.body.errors?.[0]?.extensions?.['code']]).toEqual([503, 'AUDIT_UNAVAILABLE']);
    expect(second.said()).toContain(`the audit trail no longer holds record 25 of the head kept in ${headFile()}: ${CUT_AT_25}`);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(1);
    expect(readHeadFile(headFile())).toMatchObject({ seq: 25 });

    const verification = await verifyWithHeadFile();
    expect(verification.code).toBe(1);
    expect(verification.output).toContain('the trail ends at record 20, before the expected head at record 25: records from 21 were removed');
  }, 120_000);

  test('killed (SIGKILL) after fewer records than a checkpoint interval, its head file holds the last group, which verify expects', async () => {
    const gateway = await startGateway();
    for (let i = 1; i <= 7; i++) expect((await read(gateway.url)).status).toBe(200);
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    expect(readHeadFile(headFile())).toMatchObject({ seq: 7 });
    expect(await verifyWithHeadFile()).toMatchObject({ code: 0, output: expect.stringContaining('the expected head (record 7) is in the trail') });
  }, 120_000);
});

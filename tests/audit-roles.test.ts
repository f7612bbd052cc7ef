/**
 * The audit trail on PostgreSQL with two roles: a maintenance role owns the schema (`npm run audit --
 * migrate`) and alone may prune; the gateway's role appends and reads, and can neither change nor remove
 * a record by any statement, nor undo the guard. Real PostgreSQL (127.0.0.1:5432, trust), a private
 * database and two roles made for this file and dropped after it; the gateway's refusal to start is the
 * build's (`npm run build:server`, which `npm test` runs first).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openAuditDatabase } from '../audit/audit-database';
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readChainKey, type ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { readHmacKey } from '../audit/subject-hasher';
import { verifyChain } from '../audit/verify-chain';
import { openAuditTrail } from '../gateway/audit-trail';
import type { GatewayConfig } from '../gateway/config';
import { ensureDevKeys } from '../scripts/dev-keys';
import { recordContractRevision } from '../subgraphs/audit/contract-revisions';
import type { AuditDepartmentDatabase } from '../subgraphs/audit/department-database';
import { freePort } from './support/graph';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const suffix = `${process.pid}_${randomBytes(3).toString('hex')}`;
const database = `audit_roles_${suffix}`;
const owner = `audit_owner_${suffix}`;
const writer = `audit_writer_${suffix}`;
const ownerUrl = `postgres://${owner}@127.0.0.1:5432/${database}`;
const writerUrl = `postgres://${writer}@127.0.0.1:5432/${database}`;
const CHECKPOINT_EVERY = 10;

let admin: Client;
let dir: string;
let audit: GatewayConfig['audit'];
let keys: ChainKeys;

const entry = (i: number): AuditEntry => ({
  // A year before the tests' time: old enough to prune past any retention period.
  time: new Date(Date.UTC(2025, 0, 1, 8, 0, i)).toISOString(), requestId: `r${i}`, app: 'crossprovince-desk', operator: null, region: null,
  purpose: 'CROSS_PROVINCE_CASE', caseId: 'c1', operationName: null, operationHash: 'h', fields: ['Person.name'], subjects: [i % 2 === 0 ? 'aa' : 'bb'],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

const auditCli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'scripts', 'audit.ts'), ...args], {
    env: {
      ...process.env,
      DATA_DIR: dir,
      AUDIT_ADMIN_DATABASE_URL: ownerUrl,
      AUDIT_DATABASE_URL: writerUrl,
      AUDIT_CHAIN_KEY_FILE: audit.chainKeyFile,
      AUDIT_CHECKPOINT_KEY_FILE: audit.checkpointKeyFile,
      AUDIT_CHECKPOINT_EVERY: String(CHECKPOINT_EVERY),
    },
    encoding: 'utf8',
  });

/** Runs one statement as the gateway's role, in a session of its own; resolves with the error's message, or 'done'. */
async function asWriter(...statements: string[]): Promise<string> {
  const session = new Client({ connectionString: writerUrl });
  await session.connect();
  try {
    for (const statement of statements) await session.query(statement);
    return 'done';
  } catch (error) {
    return (error as Error).message;
  } finally {
    await session.end();
  }
}

beforeAll(async () => {
  admin = new Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`CREATE ROLE ${owner} LOGIN`);
  await admin.query(`CREATE ROLE ${writer} LOGIN`);
  await admin.query(`CREATE DATABASE ${database} OWNER ${owner}`);
  dir = mkdtempSync(join(tmpdir(), 'audit-roles-'));
  audit = {
    location: { kind: 'postgres', url: writerUrl },
    hmacKeyFile: join(dir, 'hmac.key'),
    chainKeyFile: join(dir, 'chain.key'),
    checkpointKeyFile: join(dir, 'checkpoint.pem'),
    checkpointEvery: CHECKPOINT_EVERY,
    headFile: join(dir, 'audit-head.json'),
  };
  readHmacKey(audit.hmacKeyFile, true);
  keys = { chainKey: readChainKey(audit.chainKeyFile, true), checkpointKeys: readCheckpointKeys(audit.checkpointKeyFile, true), checkpointEvery: CHECKPOINT_EVERY };
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${writer}`);
  await admin.query(`DROP ROLE IF EXISTS ${owner}`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

const NOT_MIGRATED = "The audit database holds no audit trail this role may use: run `npm run audit -- migrate` with the owner's AUDIT_ADMIN_DATABASE_URL and this role's AUDIT_DATABASE_URL.";

test('a gateway whose role does not own the trail refuses to start on an unmigrated database, naming the command', async () => {
  await expect(openAuditTrail(audit, () => undefined, () => undefined)).rejects.toThrow(NOT_MIGRATED);
  // The built gateway, as the writer role: one sentence, exit 1.
  const dataDir = join(dir, 'gateway');
  await ensureDevKeys(dataDir, []);
  const gateway = spawnSync(process.execPath, [join(__dirname, '..', 'dist', 'gateway', 'index.js')], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, DATA_DIR: dataDir, GATEWAY_PORT: String(await freePort()), AUDIT_DATABASE_URL: writerUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect([gateway.status, gateway.stderr]).toEqual([1, `The gateway did not start: ${NOT_MIGRATED}\n`]);
  // It created nothing: the owner's migration finds an empty database.
  expect((await admin.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname = '${database}'`)).rows[0].n).toBe(1);
  const owned = new Client({ connectionString: ownerUrl });
  await owned.connect();
  expect((await owned.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0].n).toBe(0);
  await owned.end();
});

describe('after npm run audit -- migrate as the owner', () => {
  beforeAll(() => {
    const migrated = auditCli('migrate');
    expect([migrated.status, migrated.stderr]).toEqual([0, '']);
    expect(migrated.stdout).toBe(`audit trail migrated as ${owner}; ${writer} may append and read, not change, delete or prune\n`);
  });

  test('the gateway role appends, indexes, finds, verifies, passes the readiness probe and signs the head', async () => {
    const trail = await openAuditTrail(audit, (error) => { throw error; }, (problem) => { throw new Error(problem); });
    for (let i = 1; i <= 25; i++) await trail.append(entry(i));
    await trail.probeWrite(2000);
    await trail.close();
    const store = await AuditStore.open(audit.location);
    try {
      while ((await store.indexSubjects()) > 0);
      expect(await store.subjectIndexedTo()).toBe(25);
      expect((await store.find({ subject: 'aa' }, undefined, 100)).map((r) => r.seq)).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2]);
      expect(await store.count({ app: 'crossprovince-desk' })).toBe(25);
      await store.probeWrite(2000);
      expect((await store.checkpointHead(keys.checkpointKeys))?.seq).toBe(25);
      expect(await verifyChain(store, keys, { retentionDays: 3650 })).toMatchObject({ ok: true, records: 25 });
    } finally {
      await store.close();
    }
    // The audit service shares the role: it records the contracts' history beside the trail.
    const { db } = openAuditDatabase({ kind: 'postgres', url: writerUrl });
    await expect(recordContractRevision(db.withTables<Pick<AuditDepartmentDatabase, 'contractRevision'>>(), [], new Date().toISOString())).resolves.toBe(1);
    await db.destroy();
  });

  test('the gateway role can neither remove nor change a record, nor undo the guard, by any statement', async () => {
    const refusals = {
      delete: await asWriter('DELETE FROM "auditRecord" WHERE seq > 20'),
      update: await asWriter(`UPDATE "auditRecord" SET "app" = 'someone-else' WHERE seq = 5`),
      truncate: await asWriter('TRUNCATE "auditRecord" CASCADE'),
      dropTrigger: await asWriter('DROP TRIGGER "auditRecord_append_only" ON "auditRecord"'),
      alterTable: await asWriter('ALTER TABLE "auditRecord" DISABLE TRIGGER ALL'),
      prune: await asWriter(`SELECT * FROM govgraph_audit_prune('2030-01-01')`),
      pruningSetting: await asWriter("SET govgraph.audit_pruning = 'on'", 'DELETE FROM "auditCheckpoint" WHERE seq > 20'),
      pruningSettingLocal: await asWriter('BEGIN', "SELECT set_config('govgraph.audit_pruning', 'on', true)", 'DELETE FROM "auditRecord" WHERE seq = 25'),
      ownFunction: await asWriter('CREATE FUNCTION own_prune() RETURNS void LANGUAGE sql AS $$ DELETE FROM "auditRecord" $$'),
      dropTable: await asWriter('DROP TABLE "auditCheckpoint"'),
      deleteRevision: await asWriter('DELETE FROM "contractRevision"'),
    };
    expect(refusals).toEqual({
      delete: 'permission denied for table auditRecord',
      update: 'permission denied for table auditRecord',
      truncate: 'permission denied for table auditRecord',
      dropTrigger: 'must be owner of relation auditRecord',
      alterTable: 'must be owner of table auditRecord',
      prune: 'permission denied for function govgraph_audit_prune',
      pruningSetting: 'permission denied for table auditCheckpoint',
      pruningSettingLocal: 'permission denied for table auditRecord',
      ownFunction: 'permission denied for schema public',
      dropTable: 'must be owner of table auditCheckpoint',
      deleteRevision: 'permission denied for table contractRevision',
    });
    // Granted deletes by mistake, the role still finds the triggers yield to the owner alone.
    const owned = new Client({ connectionString: ownerUrl });
    await owned.connect();
    await owned.query(`GRANT DELETE ON "auditRecord" TO ${writer}`);
    expect(await asWriter("SET govgraph.audit_pruning = 'on'", 'DELETE FROM "auditRecord" WHERE seq > 20')).toBe('the audit trail is append-only');
    await owned.query(`REVOKE DELETE ON "auditRecord" FROM ${writer}`);
    await owned.end();
    // The index's progress row moves, as indexing needs; nothing else of it.
    expect(await asWriter('UPDATE "auditSubjectRunProgress" SET "id" = 2')).toBe('permission denied for table auditSubjectRunProgress');
    const store = await AuditStore.open(audit.location);
    expect(await verifyChain(store, keys, { retentionDays: 3650 })).toMatchObject({ ok: true, records: 25 });
    await store.close();
  });

  test('the owner prunes through npm run audit -- prune, and the trail verifies from its new anchor', async () => {
    const pruned = auditCli('prune', '--before', '2025-01-01T08:00:22Z');
    expect([pruned.status, pruned.stderr]).toEqual([0, '']);
    expect(pruned.stdout).toBe('pruned 20 records older than 2025-01-01T08:00:22.000Z; the trail now starts after the checkpoint at record 20\n');
    const store = await AuditStore.open(audit.location);
    try {
      // Pruned past the retention period (180 days by default): what verify expects of a prune.
      expect(await verifyChain(store, keys)).toMatchObject({ ok: true, records: 5 });
      expect((await store.checkpoints()).map((c) => c.seq)).toEqual([20, 25]);
    } finally {
      await store.close();
    }
    // Outside the function, the owner's own delete is refused too unless it says it is pruning.
    const owned = new Client({ connectionString: ownerUrl });
    await owned.connect();
    await expect(owned.query('DELETE FROM "auditRecord"')).rejects.toThrow('the audit trail is append-only');
    await owned.end();
  });

  test('a gateway whose role does not own the trail refuses to start on a schema older than it needs', async () => {
    const owned = new Client({ connectionString: ownerUrl });
    await owned.connect();
    await owned.query('UPDATE "auditSchema" SET "version" = 1');
    try {
      await expect(AuditStore.open(audit.location)).rejects.toThrow(
        "The audit trail's schema is at version 1 and this GovGraph needs 2: run `npm run audit -- migrate` with the owner's AUDIT_ADMIN_DATABASE_URL and this role's AUDIT_DATABASE_URL.",
      );
    } finally {
      await owned.query('UPDATE "auditSchema" SET "version" = 2');
      await owned.end();
    }
  });
});

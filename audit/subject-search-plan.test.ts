/**
 * A search by subject looks its candidate records up by seq: it never walks the trail. With the index's
 * runs and the unindexed tail joined by OR, both databases walked every record newest first (a second at
 * a million records, bench/results/scale.md); the plan is checked here on SQLite, whose planner is fixed
 * by the query's shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import type { AuditEntry } from './audit-record';
import { migrateAuditDatabase, openAuditDatabase, type AuditDatabase } from './audit-database';
import { AuditStore } from './audit-store';
import { readCheckpointKeys } from './checkpoint-signer';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-plan-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hmac = (n: number) => n.toString(16).padStart(64, '0');
const entry = (i: number): AuditEntry => ({
  time: new Date(Date.UTC(2026, 5, 1, 8, 0, i)).toISOString(), requestId: `r${i}`, app: 'market-supervision', operator: null, region: null,
  purpose: 'MARKET_INSPECTION', caseId: null, operationName: null, operationHash: 'h', fields: ['Enterprise.name'], subjects: [hmac(i % 50)],
  decision: 'PERMIT', rule: 'contract', outcome: 'ok', errorCodes: [], latencyMs: 1,
});

test('a search by subject finds its records through the index and the unindexed tail without scanning the trail', async () => {
  const { db: migrating, sqlite } = openAuditDatabase({ kind: 'sqlite', file: join(dir, 'audit.sqlite') });
  await migrateAuditDatabase(migrating, 'sqlite');
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = [];
  const db = new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database: sqlite! }), log: (event) => void statements.push({ sql: event.query.sql, parameters: event.query.parameters }) });
  const store = AuditStore.over(db, 'sqlite');
  const chain = { chainKey: Buffer.alloc(32, 1), checkpointKeys: readCheckpointKeys(join(dir, 'checkpoint.pem'), true), checkpointEvery: 100 };
  for (let i = 1; i <= 400; i++) await store.appendAll([entry(i)], chain);
  await store.indexSubjects(300);

  statements.length = 0;
  // Subject 7 is in records 7, 57, …, 357, all indexed (up to 300) but 357.
  expect((await store.find({ subject: hmac(7) }, undefined, 3)).map((r) => r.seq)).toEqual([357, 307, 257]);
  // Subject 20 is in record 370, after the index's progress mark (300).
  expect((await store.find({ subject: hmac(20) }, undefined, 2)).map((r) => r.seq)).toEqual([370, 320]);
  const search = statements.find((s) => s.sql.includes('"auditSubjectRun"'))!;
  const plan = sqlite!.prepare(`EXPLAIN QUERY PLAN ${search.sql}`).all(...(search.parameters as unknown[])) as Array<{ detail: string }>;
  const steps = plan.map((row) => row.detail);
  expect(steps.some((step) => /^SEARCH "?auditRecord"? USING (COVERING )?INDEX sqlite_autoindex_auditRecord_1 \(seq=\?\)/.test(step))).toBe(true);
  expect(steps.filter((step) => /^SCAN "?auditRecord"?( |$)/.test(step))).toEqual([]);
  await db.destroy();
});

/**
 * The audit trail's own database: a SQLite file next to the departments' by default (one gateway), or a
 * PostgreSQL database shared by several gateway replicas. The database itself refuses updates and deletes
 * (triggers), except deletes during an explicit prune.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { AuditRecord } from './audit-record';

export type AuditLocation = { kind: 'sqlite'; file: string; busyTimeoutMs?: number } | { kind: 'postgres'; url: string };

/** A record as stored: its lists as JSON text, the rest as it is. */
export type AuditRecordRow = Omit<AuditRecord, 'parentRequestId' | 'fields' | 'subjects' | 'errorCodes' | 'decision' | 'outcome' | 'masked' | 'refused' | 'client'> & {
  parentRequestId: string | null;
  /** JSON text; null on records written before the gateway recorded masks and refusals. */
  masked: string | null;
  refused: string | null;
  client: string | null;
  fields: string;
  subjects: string;
  errorCodes: string;
  decision: string;
  outcome: string;
};

export interface AuditDatabase {
  auditRecord: AuditRecordRow;
  /** The subject index: each row says the subject occurs in records from `fromSeq` to `toSeq`, no more than a short gap apart. */
  auditSubjectRun: { subject: string; fromSeq: number; toSeq: number };
  auditCheckpoint: { seq: number; hash: string; time: string; signature: string };
  auditMaintenance: { id: number; pruning: number };
  /** How far (by seq) the subject index has been built from the records' own subject lists. */
  auditSubjectRunProgress: { id: number; indexedTo: number };
}

export interface OpenedAuditDatabase {
  db: Kysely<AuditDatabase>;
  /** The SQLite connection itself, for the append path's prepared statements (kysely prepares on every call). */
  sqlite?: BetterSqlite3.Database;
}

export function openAuditDatabase(location: AuditLocation): OpenedAuditDatabase {
  if (location.kind === 'postgres') {
    // JIT off: the trail's queries are short lookups, and a search's cost estimate (a range join over the
    // subject index) passes the JIT threshold, whose compilation then took 90 of a search's 100 ms.
    return { db: new Kysely<AuditDatabase>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: location.url, max: 5, options: '-c jit=off' }) }) }) };
  }
  mkdirSync(dirname(location.file), { recursive: true });
  const database = new BetterSqlite3(location.file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${location.busyTimeoutMs ?? 2000}`);
  return { db: new Kysely<AuditDatabase>({ dialect: new SqliteDialect({ database }) }), sqlite: database };
}

const APPEND_ONLY = 'the audit trail is append-only';

/**
 * Columns added to records since the first trails: older trails gain them empty (null), which their
 * records read as "not recorded" and hash without, as they were written.
 */
const LATER_COLUMNS = [
  ['parentRequestId', 'varchar(128)'],
  ['masked', 'text'],
  ['refused', 'text'],
  ['client', 'varchar(64)'],
] as const;

async function addLaterColumns(db: Kysely<AuditDatabase>): Promise<void> {
  const table = (await db.introspection.getTables()).find((t) => t.name === 'auditRecord');
  for (const [name, type] of LATER_COLUMNS) {
    if (table && !table.columns.some((c) => c.name === name)) await db.schema.alterTable('auditRecord').addColumn(name, type).execute();
  }
}

async function createTables(db: Kysely<AuditDatabase>): Promise<void> {
  await db.schema
    .createTable('auditRecord')
    .ifNotExists()
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('time', 'varchar(32)', (c) => c.notNull())
    .addColumn('requestId', 'varchar(128)', (c) => c.notNull())
    .addColumn('parentRequestId', 'varchar(128)')
    .addColumn('app', 'varchar(64)')
    .addColumn('operator', 'varchar(64)')
    .addColumn('region', 'varchar(16)')
    .addColumn('purpose', 'varchar(64)')
    .addColumn('caseId', 'varchar(64)')
    .addColumn('operationName', 'varchar(128)')
    .addColumn('operationHash', 'varchar(64)')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('outcome', 'varchar(8)', (c) => c.notNull())
    .addColumn('errorCodes', 'text', (c) => c.notNull())
    .addColumn('latencyMs', 'double precision', (c) => c.notNull())
    .addColumn('prevHash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
  await addLaterColumns(db);
  await db.schema.createIndex('audit_record_time').ifNotExists().on('auditRecord').column('time').execute();
  await db.schema.createIndex('audit_record_app').ifNotExists().on('auditRecord').columns(['app', 'seq']).execute();
  // The index of one row per record and subject is replaced by runs: it is derived data, rebuilt from the records.
  await db.schema.dropTable('auditSubject').ifExists().execute();
  await db.schema.dropTable('auditSubjectProgress').ifExists().execute();
  await db.schema
    .createTable('auditSubjectRun')
    .ifNotExists()
    .addColumn('subject', 'varchar(64)', (c) => c.notNull())
    .addColumn('fromSeq', 'bigint', (c) => c.notNull())
    .addColumn('toSeq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_subject_run_subject').ifNotExists().on('auditSubjectRun').columns(['subject', 'fromSeq']).execute();
  // `audit verify` reads the runs in chain order, beside the records they lead to.
  await db.schema.createIndex('audit_subject_run_from').ifNotExists().on('auditSubjectRun').column('fromSeq').execute();
  await db.schema.createTable('auditSubjectRunProgress').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('indexedTo', 'bigint', (c) => c.notNull()).execute();
  await sql`INSERT INTO "auditSubjectRunProgress" ("id", "indexedTo") VALUES (1, 0) ON CONFLICT DO NOTHING`.execute(db);
  await db.schema
    .createTable('auditCheckpoint')
    .ifNotExists()
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('time', 'varchar(32)', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

async function protectSqlite(db: Kysely<AuditDatabase>): Promise<void> {
  await db.schema.createTable('auditMaintenance').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('pruning', 'integer', (c) => c.notNull()).execute();
  await sql`INSERT OR IGNORE INTO "auditMaintenance" ("id", "pruning") VALUES (1, 0)`.execute(db);
  for (const table of ['auditRecord', 'auditSubjectRun', 'auditCheckpoint']) {
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS "${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`).execute(db);
    await sql
      .raw(`CREATE TRIGGER IF NOT EXISTS "${table}_no_delete" BEFORE DELETE ON "${table}" WHEN (SELECT "pruning" FROM "auditMaintenance" WHERE "id" = 1) = 0 BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`)
      .execute(db);
  }
}

async function protectPostgres(db: Kysely<AuditDatabase>): Promise<void> {
  await sql
    .raw(`CREATE OR REPLACE FUNCTION govgraph_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('govgraph.audit_pruning', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION '${APPEND_ONLY}';
END $$ LANGUAGE plpgsql`)
    .execute(db);
  for (const table of ['auditRecord', 'auditSubjectRun', 'auditCheckpoint']) {
    await sql.raw(`DROP TRIGGER IF EXISTS "${table}_append_only" ON "${table}"`).execute(db);
    await sql.raw(`CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION govgraph_audit_append_only()`).execute(db);
  }
}

/** A fixed key for PostgreSQL advisory locks: serialises appends and migrations across gateway replicas. */
export const AUDIT_LOCK = 74_110_716;

/** Creates the tables and the append-only triggers; safe to run from several processes at once. */
export async function migrateAuditDatabase(db: Kysely<AuditDatabase>, kind: AuditLocation['kind']): Promise<void> {
  if (kind === 'sqlite') {
    await createTables(db);
    await protectSqlite(db);
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
    await createTables(trx);
    await protectPostgres(trx);
  });
}

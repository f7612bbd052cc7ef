/**
 * The audit trail's own database: a SQLite file next to the departments' by default (one gateway), or a
 * PostgreSQL database shared by several gateway replicas. The database itself refuses updates and deletes
 * (triggers), except deletes during an explicit prune.
 *
 * On PostgreSQL the schema may belong to a maintenance role apart from the gateway's: that role creates and
 * upgrades it (`npm run audit -- migrate`), grants the gateway's role what appending and reading need and no
 * more, and alone may call the prune function, the only place the triggers yield. A gateway whose role does
 * not own the trail only checks that the schema is at the version it needs.
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
  /** PostgreSQL only: the version of the schema, written by the migration that made it. */
  auditSchema: { id: number; version: number };
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
  // The wait first: two gateway workers opening a new trail at once both switch it to WAL, which needs the
  // lock; without a wait, the second stopped at start with "database is locked".
  database.pragma(`busy_timeout = ${location.busyTimeoutMs ?? 2000}`);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
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

/** The tables the triggers keep append-only. */
const CHAINED_TABLES = ['auditRecord', 'auditSubjectRun', 'auditCheckpoint'] as const;

async function protectSqlite(db: Kysely<AuditDatabase>): Promise<void> {
  await db.schema.createTable('auditMaintenance').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('pruning', 'integer', (c) => c.notNull()).execute();
  await sql`INSERT OR IGNORE INTO "auditMaintenance" ("id", "pruning") VALUES (1, 0)`.execute(db);
  for (const table of CHAINED_TABLES) {
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS "${table}_no_update" BEFORE UPDATE ON "${table}" BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`).execute(db);
    await sql
      .raw(`CREATE TRIGGER IF NOT EXISTS "${table}_no_delete" BEFORE DELETE ON "${table}" WHEN (SELECT "pruning" FROM "auditMaintenance" WHERE "id" = 1) = 0 BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`)
      .execute(db);
  }
}

/**
 * The version of the PostgreSQL schema this code writes: 2 added the owner-only prune function. A gateway
 * whose role cannot migrate refuses to start on an older one.
 */
export const AUDIT_SCHEMA_VERSION = 2;

/** A fixed key for PostgreSQL advisory locks: serialises appends and migrations across gateway replicas. */
export const AUDIT_LOCK = 74_110_716;

/** The function that prunes on PostgreSQL: it runs as its owner, the trail's, whom alone the triggers let delete. */
export const PRUNE_FUNCTION = 'govgraph_audit_prune';

/**
 * The triggers yield to a delete only when the session is the tables' owner (or a role it is a member of:
 * a superuser) and says it is pruning; the prune function, SECURITY DEFINER, runs as that owner. A role
 * the owner granted rows to can set the setting, not become the owner.
 */
async function protectPostgres(db: Kysely<AuditDatabase>): Promise<void> {
  await sql
    .raw(`CREATE OR REPLACE FUNCTION govgraph_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('govgraph.audit_pruning', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID), 'USAGE') THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '${APPEND_ONLY}';
END $$ LANGUAGE plpgsql`)
    .execute(db);
  for (const table of CHAINED_TABLES) {
    await sql.raw(`DROP TRIGGER IF EXISTS "${table}_append_only" ON "${table}"`).execute(db);
    await sql.raw(`CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION govgraph_audit_append_only()`).execute(db);
  }
}

/** The schema the trail's tables are in: the session's first on its search_path. */
async function currentSchema(db: Kysely<AuditDatabase>): Promise<string> {
  return (await sql<{ schema: string }>`SELECT current_schema() AS "schema"`.execute(db)).rows[0]!.schema;
}

/**
 * Deletes the records up to the newest checkpoint older than `before`, and the index and checkpoints
 * before it. Its search_path is fixed to the trail's schema (a caller's own objects cannot stand in for
 * the tables), and only the owner may execute it unless the owner grants it on.
 */
async function createPruneFunction(db: Kysely<AuditDatabase>): Promise<void> {
  const schema = await currentSchema(db);
  const searchPath = `"${schema.replaceAll('"', '""')}", pg_temp`;
  await sql
    .raw(`CREATE OR REPLACE FUNCTION ${PRUNE_FUNCTION}(before varchar)
RETURNS TABLE (removed bigint, anchor_seq bigint, anchor_hash varchar, anchor_time varchar, anchor_signature text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${searchPath} AS $$
DECLARE
  anchor "auditCheckpoint"%ROWTYPE;
  gone bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(${AUDIT_LOCK});
  SELECT * INTO anchor FROM "auditCheckpoint" c WHERE c."time" < before ORDER BY c."seq" DESC LIMIT 1;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 0::bigint, NULL::bigint, NULL::varchar, NULL::varchar, NULL::text;
    RETURN;
  END IF;
  PERFORM set_config('govgraph.audit_pruning', 'on', true);
  DELETE FROM "auditSubjectRun" r WHERE r."toSeq" <= anchor."seq";
  DELETE FROM "auditRecord" r WHERE r."seq" <= anchor."seq";
  GET DIAGNOSTICS gone = ROW_COUNT;
  DELETE FROM "auditCheckpoint" c WHERE c."seq" < anchor."seq";
  PERFORM set_config('govgraph.audit_pruning', 'off', true);
  RETURN QUERY SELECT gone, anchor."seq", anchor."hash", anchor."time", anchor."signature";
END $$`)
    .execute(db);
  await sql.raw(`REVOKE ALL ON FUNCTION ${PRUNE_FUNCTION}(varchar) FROM PUBLIC`).execute(db);
}

async function recordSchemaVersion(db: Kysely<AuditDatabase>): Promise<void> {
  await db.schema.createTable('auditSchema').ifNotExists().addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('version', 'integer', (c) => c.notNull()).execute();
  await sql`INSERT INTO "auditSchema" ("id", "version") VALUES (1, ${AUDIT_SCHEMA_VERSION}) ON CONFLICT ("id") DO UPDATE SET "version" = GREATEST("auditSchema"."version", EXCLUDED."version")`.execute(db);
}

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
    await createPruneFunction(trx);
    await recordSchemaVersion(trx);
  });
}

/**
 * Gives a gateway's role what appending, indexing, searching, the readiness probe and signing the head
 * need, and takes back anything more: rows to read and add, and on the index's progress row its one
 * column to move. No delete, no truncate, no prune, no ownership.
 */
export async function grantAuditWriter(db: Kysely<AuditDatabase>, role: string): Promise<void> {
  const grantee = sql.id(role);
  const tables = ['auditRecord', 'auditSubjectRun', 'auditCheckpoint', 'auditSubjectRunProgress', 'auditSchema'].map((t) => sql.id(t));
  await sql`REVOKE ALL ON ${sql.join(tables)} FROM ${grantee}`.execute(db);
  await sql`GRANT SELECT, INSERT ON ${sql.join(CHAINED_TABLES.map((t) => sql.id(t)))} TO ${grantee}`.execute(db);
  await sql`GRANT SELECT, UPDATE ("indexedTo") ON "auditSubjectRunProgress" TO ${grantee}`.execute(db);
  await sql`GRANT SELECT ON "auditSchema" TO ${grantee}`.execute(db);
  await sql`GRANT USAGE ON SCHEMA ${sql.id(await currentSchema(db))} TO ${grantee}`.execute(db);
}

/** The role's name in a postgres:// URL (its user), decoded. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** Why a PostgreSQL session that does not own the trail cannot use it as it is, or undefined when it can. */
async function schemaProblem(db: Kysely<AuditDatabase>): Promise<string | undefined> {
  const migrate = "run `npm run audit -- migrate` with the owner's AUDIT_ADMIN_DATABASE_URL and this role's AUDIT_DATABASE_URL";
  const { rows } = await sql<{ readable: boolean | null }>`SELECT has_table_privilege(to_regclass('"auditSchema"'), 'SELECT') AS "readable"`.execute(db);
  if (rows[0]?.readable !== true) return `The audit database holds no audit trail this role may use: ${migrate}.`;
  const row = await db.selectFrom('auditSchema').select('version').where('id', '=', 1).executeTakeFirst();
  const version = row?.version ?? 0;
  if (version < AUDIT_SCHEMA_VERSION) return `The audit trail's schema is at version ${version} and this GovGraph needs ${AUDIT_SCHEMA_VERSION}: ${migrate}.`;
  return undefined;
}

/**
 * Makes the database ready for the trail: SQLite and a PostgreSQL session that owns the trail (or may
 * create it) migrate it as before; any other role checks the version instead and throws one sentence
 * naming the command that migrates it. Returns whether it migrated.
 */
export async function prepareAuditDatabase(db: Kysely<AuditDatabase>, kind: AuditLocation['kind']): Promise<boolean> {
  if (kind === 'postgres' && !(await mayMigrate(db))) {
    const problem = await schemaProblem(db);
    if (problem) throw new Error(problem);
    return false;
  }
  await migrateAuditDatabase(db, kind);
  return true;
}

/** Whether this session owns the trail's tables, or, when there are none yet, may create them. */
async function mayMigrate(db: Kysely<AuditDatabase>): Promise<boolean> {
  const { rows } = await sql<{ owns: boolean | null; creates: boolean }>`
    SELECT (SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_catalog.pg_class c WHERE c.oid = to_regclass('"auditRecord"')) AS "owns",
           has_schema_privilege(current_schema(), 'CREATE') AS "creates"`.execute(db);
  const { owns, creates } = rows[0]!;
  return owns ?? creates;
}

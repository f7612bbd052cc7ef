/**
 * A department's own access log: one row per request that reached it — the gateway token it accepted
 * (request id, app, operator as the trail's HMAC, purpose, case), the fields its gate judged and what it
 * decided (PERMIT, WITHHELD rows, DENY fields, ERROR) — or the token it refused (UNAUTHENTICATED, with why:
 * expired, replayed, signed for another request...). It lives in the department's own database, in table
 * `departmentAccessLog`, append-only (triggers), so the department's own record of what it released does
 * not depend on the gateway's trail; the request id joins the two. Appends of requests that finish
 * together share one statement; a request whose row cannot be written is not answered (fail closed).
 */
import { sql, type Generated, type Kysely } from 'kysely';
import type { DatabaseLocation } from './database';

export const ACCESS_LOG_DECISIONS = ['PERMIT', 'WITHHELD', 'DENY', 'ERROR', 'UNAUTHENTICATED'] as const;
export type AccessLogDecision = (typeof ACCESS_LOG_DECISIONS)[number];

export interface AccessLogEntry {
  time: string;
  requestId: string;
  app: string | null;
  /** HMAC of the operator (the audit trail's key), never the raw identifier. */
  operator: string | null;
  purpose: string | null;
  caseId: string | null;
  /** The field coordinates the department's gate judged. */
  fields: string[];
  decision: AccessLogDecision;
  reason: string | null;
}

/** The entry as stored: the fields as JSON. */
type AccessLogTable = {
  departmentAccessLog: Omit<AccessLogEntry, 'fields'> & { seq: Generated<number>; fields: string };
};

const APPEND_ONLY = 'the department access log is append-only';

/** Whether a statement is the access log's own (kept out of the department's statement count). */
export const isAccessLogStatement = (sql: string): boolean => sql.includes('"departmentAccessLog"');

/** Which entries an auditor reads: times are ISO strings, both ends included. */
export interface AccessLogFilter {
  from?: string;
  to?: string;
  decision?: AccessLogDecision;
  requestId?: string;
}

export interface AccessLog {
  /** Resolves once the entry is stored; rejects when it cannot be. */
  append(entry: AccessLogEntry): Promise<void>;
  /** Entries that match, oldest first, after `afterSeq`: a page at a time. */
  read(filter: AccessLogFilter, afterSeq: number, limit: number): Promise<Array<AccessLogEntry & { seq: number }>>;
}

export async function migrateAccessLog(anyDb: Kysely<unknown>, kind: DatabaseLocation['kind']): Promise<void> {
  const db = anyDb.withTables<AccessLogTable>();
  await db.schema
    .createTable('departmentAccessLog')
    .ifNotExists()
    .addColumn('seq', kind === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('time', 'varchar(32)', (c) => c.notNull())
    .addColumn('requestId', 'varchar(128)', (c) => c.notNull())
    .addColumn('app', 'varchar(64)')
    .addColumn('operator', 'varchar(64)')
    .addColumn('purpose', 'varchar(64)')
    .addColumn('caseId', 'varchar(64)')
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('decision', 'varchar(16)', (c) => c.notNull())
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('department_access_log_request').ifNotExists().on('departmentAccessLog').column('requestId').execute();
  if (kind === 'sqlite') {
    for (const operation of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER IF NOT EXISTS "departmentAccessLog_no_${operation.toLowerCase()}" BEFORE ${operation} ON "departmentAccessLog" BEGIN SELECT RAISE(ABORT, '${APPEND_ONLY}'); END`).execute(db);
    }
    return;
  }
  await sql.raw(`CREATE OR REPLACE FUNCTION govgraph_department_access_log_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${APPEND_ONLY}'; END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`DROP TRIGGER IF EXISTS "departmentAccessLog_append_only" ON "departmentAccessLog"`).execute(db);
  await sql
    .raw(`CREATE TRIGGER "departmentAccessLog_append_only" BEFORE UPDATE OR DELETE ON "departmentAccessLog" FOR EACH ROW EXECUTE FUNCTION govgraph_department_access_log_append_only()`)
    .execute(db);
}

const fromRow = (row: Omit<AccessLogEntry, 'fields'> & { seq: number; fields: string }): AccessLogEntry & { seq: number } => ({ ...row, seq: Number(row.seq), fields: JSON.parse(row.fields) as string[] });

export function createAccessLog(anyDb: Kysely<unknown>): AccessLog {
  const db = anyDb.withTables<AccessLogTable>();
  let queue: Array<{ entry: AccessLogEntry; settle: (error?: unknown) => void }> = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      await db
        .insertInto('departmentAccessLog')
        .values(batch.map(({ entry }) => ({ ...entry, fields: JSON.stringify(entry.fields) })))
        .execute();
      for (const { settle } of batch) settle();
    } catch (error) {
      for (const { settle } of batch) settle(error);
    }
  };
  return {
    append(entry) {
      return new Promise<void>((resolve, reject) => {
        if (queue.length === 0) setImmediate(() => void flush());
        queue.push({ entry, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      });
    },
    async read(filter, afterSeq, limit) {
      let query = db.selectFrom('departmentAccessLog').selectAll().where('seq', '>', afterSeq);
      if (filter.from) query = query.where('time', '>=', filter.from);
      if (filter.to) query = query.where('time', '<=', filter.to);
      if (filter.decision) query = query.where('decision', '=', filter.decision);
      if (filter.requestId) query = query.where('requestId', '=', filter.requestId);
      return (await query.orderBy('seq').limit(limit).execute()).map(fromRow);
    },
  };
}

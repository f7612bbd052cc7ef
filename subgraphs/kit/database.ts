/**
 * Opens a department's own database: an embedded SQLite file by default, PostgreSQL when a URL is given.
 * The same kysely queries run on both. Every statement is reported (`onStatement`): counted, so batching
 * can be checked from the outside through /metrics, and traced.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { Pool } from 'pg';

export type DatabaseLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface OpenDatabaseOptions {
  location: DatabaseLocation;
  /** Called once for every SQL statement executed, with its text and how long it took. */
  onStatement?: (sql: string, durationMs: number) => void;
  /** For readers beside the department (an auditor): refuses every write, and opens only a database that exists. */
  readOnly?: boolean;
}

/** Distinct statement texts kept prepared; a department issues a few dozen. */
const MAX_PREPARED = 500;

/**
 * kysely prepares every statement it runs; a department runs the same few texts over and over, so each is
 * prepared once and reused (better-sqlite3 runs one statement at a time, so sharing is safe).
 */
function withPreparedStatements(database: BetterSqlite3.Database): SqliteDatabase {
  const prepared = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = prepared.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (prepared.size >= MAX_PREPARED) prepared.clear();
        prepared.set(sql, statement);
      }
      return statement;
    },
  };
}

function dialectFor(location: DatabaseLocation, readOnly: boolean): Dialect {
  if (location.kind === 'postgres') {
    return new PostgresDialect({ pool: new Pool({ connectionString: location.url, max: 10, ...(readOnly && { options: '-c default_transaction_read_only=on' }) }) });
  }
  if (readOnly) return new SqliteDialect({ database: new BetterSqlite3(location.file, { readonly: true, fileMustExist: true }) });
  mkdirSync(dirname(location.file), { recursive: true });
  const database = new BetterSqlite3(location.file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 2000');
  return new SqliteDialect({ database: withPreparedStatements(database) });
}

export function openDatabase<DB>(options: OpenDatabaseOptions): Kysely<DB> {
  const { onStatement } = options;
  return new Kysely<DB>({
    dialect: dialectFor(options.location, options.readOnly ?? false),
    ...(onStatement && { log: (event) => { if (event.level === 'query') onStatement(event.query.sql, event.queryDurationMillis); } }),
  });
}

/** Inserts rows in chunks inside one transaction: a million rows take seconds, not hours. */
export async function insertInBatches<DB, T extends keyof DB & string>(
  db: Kysely<DB>,
  table: T,
  rows: readonly DB[T][],
  rowsPerStatement = 500,
): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      // kysely cannot type a table chosen at run time; each store passes rows of that table's shape.
      await trx.insertInto(table).values(rows.slice(start, start + rowsPerStatement) as never).execute();
    }
  });
}

/** The lowest and highest codes inside a region prefix, for an index-friendly range condition. */
export function regionRange(prefix: string): [low: string, high: string] {
  return [prefix.padEnd(6, '0'), prefix.padEnd(6, '9')];
}

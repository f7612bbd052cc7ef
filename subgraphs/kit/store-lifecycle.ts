/**
 * The part of a store that is the same in every department — create its tables and indexes, tell whether
 * it is seeded, drop it for a re-seed, answer the readiness probe — made from a declaration of its tables.
 * kysely compiles the same builders for SQLite and PostgreSQL.
 */
import { sql, type CreateIndexBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DepartmentStore } from './department';

export interface TableDeclaration {
  /** The columns and constraints, added to `createTable(<table>).ifNotExists()`. */
  columns(table: CreateTableBuilder<string>): CreateTableBuilder<string, string>;
  /** Each index by its name: what to add to `createIndex(<name>).ifNotExists().on(<table>)`. */
  indexes?: Readonly<Record<string, (index: CreateIndexBuilder) => CreateIndexBuilder<string>>>;
}

export interface StoreTables<DB> {
  /** Every table of the database, in the order they are created (they are dropped in the reverse order). */
  tables: { readonly [T in keyof DB & string]: TableDeclaration };
  /** The table whose first row says the department is seeded; the readiness probe reads it too. */
  seededBy: keyof DB & string;
}

export function storeLifecycle<DB>(db: Kysely<DB>, { tables, seededBy }: StoreTables<DB>): DepartmentStore {
  const names = Object.keys(tables) as Array<keyof DB & string>;
  const firstRow = () => sql`select 1 from ${sql.table(seededBy)} limit 1`.execute(db);
  return {
    async migrate() {
      for (const name of names) {
        const { columns, indexes = {} } = tables[name];
        await columns(db.schema.createTable(name).ifNotExists()).execute();
        for (const [index, build] of Object.entries(indexes)) await build(db.schema.createIndex(index).ifNotExists().on(name)).execute();
      }
    },
    isEmpty: async () => (await firstRow()).rows.length === 0,
    async drop() {
      for (const name of [...names].reverse()) await db.schema.dropTable(name).ifExists().execute();
    },
    async ping() {
      await firstRow();
    },
  };
}

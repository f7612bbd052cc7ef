/**
 * The part of a store that is the same in every department — create its tables and indexes, bring a
 * database of an earlier version up to date, tell whether it is seeded, drop it for a re-seed, answer the
 * readiness probe — made from a declaration of its tables. kysely compiles the same builders for SQLite and
 * PostgreSQL.
 */
import { sql, type ColumnDataType, type ColumnDefinitionBuilderCallback, type CreateIndexBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DepartmentStore } from './department';

export interface TableDeclaration {
  /** The columns and constraints, added to `createTable(<table>).ifNotExists()`. */
  columns(table: CreateTableBuilder<string>): CreateTableBuilder<string, string>;
  /**
   * Columns added after the table was first released, by name: added to a database that lacks them (of an
   * earlier version, or new: the table is made from `columns` first), before the indexes, which may use
   * them. Rows stored before get null or the column's default, so an added column cannot be NOT NULL
   * without a default.
   */
  addedColumns?: Readonly<Record<string, { type: ColumnDataType; build?: ColumnDefinitionBuilderCallback }>>;
  /** Each index by its name: what to add to `createIndex(<name>).ifNotExists().on(<table>)`. */
  indexes?: Readonly<Record<string, (index: CreateIndexBuilder) => CreateIndexBuilder<string>>>;
}

export interface StoreTables<DB> {
  /** Every table of the database, in the order they are created (they are dropped in the reverse order). */
  tables: { readonly [T in keyof DB & string]: TableDeclaration };
  /** The table whose first row says the department is seeded; the readiness probe reads it too. */
  seededBy: keyof DB & string;
  /**
   * What else a database of an earlier version needs once every table, added column and index is there
   * (rows to rewrite, an index no longer wanted). Runs at every start, so it must do nothing the second time.
   */
  upgrade?: (db: Kysely<DB>) => Promise<void>;
}

export function storeLifecycle<DB>(db: Kysely<DB>, { tables, seededBy, upgrade }: StoreTables<DB>): DepartmentStore {
  const names = Object.keys(tables) as Array<keyof DB & string>;
  const firstRow = () => sql`select 1 from ${sql.table(seededBy)} limit 1`.execute(db);
  const addMissingColumns = async (name: string, added: NonNullable<TableDeclaration['addedColumns']>) => {
    const table = (await db.introspection.getTables()).find((t) => t.name === name);
    for (const [column, { type, build }] of Object.entries(added)) {
      if (!table?.columns.some((c) => c.name === column)) await db.schema.alterTable(name).addColumn(column, type, build).execute();
    }
  };
  return {
    async migrate() {
      for (const name of names) {
        const { columns, addedColumns, indexes = {} } = tables[name];
        await columns(db.schema.createTable(name).ifNotExists()).execute();
        if (addedColumns) await addMissingColumns(name, addedColumns);
        for (const [index, build] of Object.entries(indexes)) await build(db.schema.createIndex(index).ifNotExists().on(name)).execute();
      }
      await upgrade?.(db);
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

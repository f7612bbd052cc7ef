/** A store's table lifecycle from its declaration, over an in-memory SQLite database (PostgreSQL: tests/postgres.test.ts). */
import { sql, type Generated, type Kysely } from 'kysely';
import { openDatabase } from './database';
import { storeLifecycle, type StoreTables } from './store-lifecycle';

interface LibraryDatabase {
  shelf: { code: string; room: string };
  book: { isbn: string; shelf: string; title: string };
}

const TABLES: StoreTables<LibraryDatabase> = {
  seededBy: 'book',
  tables: {
    shelf: { columns: (table) => table.addColumn('code', 'varchar(8)', (c) => c.primaryKey()).addColumn('room', 'varchar(16)', (c) => c.notNull()) },
    book: {
      columns: (table) =>
        table
          .addColumn('isbn', 'varchar(13)', (c) => c.primaryKey())
          .addColumn('shelf', 'varchar(8)', (c) => c.notNull().references('shelf.code'))
          .addColumn('title', 'varchar(64)', (c) => c.notNull()),
      indexes: { book_shelf: (index) => index.column('shelf'), book_title: (index) => index.unique().columns(['title', 'shelf']) },
    },
  },
};

let db: Kysely<LibraryDatabase>;
beforeEach(async () => {
  db = openDatabase<LibraryDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  await sql`pragma foreign_keys = on`.execute(db);
});
afterEach(() => db.destroy());

/**
 * A refusal by SQLite, by its message: better-sqlite3's native part keeps the error class of the first
 * test file that loaded it in a jest worker, so `toThrow` may not recognise it as an Error.
 */
const refusal = (message: RegExp) => ({ message: expect.stringMatching(message) });

const schemaObjects = async () =>
  (await sql<{ type: string; name: string }>`select type, name from sqlite_master where name not like 'sqlite_%' order by name`.execute(db)).rows;

test('migrate creates every declared table and index, and running it again keeps the rows', async () => {
  const store = storeLifecycle(db, TABLES);
  await store.migrate();
  expect(await schemaObjects()).toEqual([
    { type: 'table', name: 'book' },
    { type: 'index', name: 'book_shelf' },
    { type: 'index', name: 'book_title' },
    { type: 'table', name: 'shelf' },
  ]);
  await db.insertInto('shelf').values({ code: 'A1', room: '201' }).execute();
  await db.insertInto('book').values({ isbn: '9787020002207', shelf: 'A1', title: '红楼梦' }).execute();
  await store.migrate();
  expect(await db.selectFrom('book').select('title').execute()).toEqual([{ title: '红楼梦' }]);
  await expect(db.insertInto('book').values({ isbn: '9787020008735', shelf: 'A1', title: '红楼梦' }).execute()).rejects.toMatchObject(refusal(/UNIQUE/));
});

test('only the seededBy table says whether the store is seeded', async () => {
  const store = storeLifecycle(db, TABLES);
  await store.migrate();
  await db.insertInto('shelf').values({ code: 'A1', room: '201' }).execute();
  expect(await store.isEmpty()).toBe(true);
  await db.insertInto('book').values({ isbn: '9787020002207', shelf: 'A1', title: '红楼梦' }).execute();
  expect(await store.isEmpty()).toBe(false);
});

test('drop removes the tables in reverse order, so rows that refer to another table go first', async () => {
  const store = storeLifecycle(db, TABLES);
  await store.migrate();
  await db.insertInto('shelf').values({ code: 'A1', room: '201' }).execute();
  await db.insertInto('book').values({ isbn: '9787020002207', shelf: 'A1', title: '红楼梦' }).execute();
  // Dropped first, the shelf table would break the books' foreign key.
  await expect(db.schema.dropTable('shelf').execute()).rejects.toMatchObject(refusal(/FOREIGN KEY/));
  await store.drop();
  expect(await schemaObjects()).toEqual([]);
  await store.drop();
});

test('ping answers while the seededBy table is there, and fails once it is gone', async () => {
  const store = storeLifecycle(db, TABLES);
  await expect(store.ping()).rejects.toMatchObject(refusal(/no such table: book/));
  await store.migrate();
  await expect(store.ping()).resolves.toBeUndefined();
  await store.drop();
  await expect(store.ping()).rejects.toMatchObject(refusal(/no such table: book/));
});

interface LaterLibraryDatabase extends LibraryDatabase {
  book: LibraryDatabase['book'] & { translator: string | null; edition: Generated<number> };
}

/** The library's next version: books record a translator and an edition, indexed by translator; old shelf codes are upper-cased. */
const LATER: StoreTables<LaterLibraryDatabase> = {
  seededBy: 'book',
  tables: {
    shelf: TABLES.tables.shelf,
    book: {
      columns: TABLES.tables.book.columns,
      addedColumns: { translator: { type: 'varchar(32)' }, edition: { type: 'integer', build: (c) => c.notNull().defaultTo(1) } },
      indexes: { ...TABLES.tables.book.indexes, book_translator: (index) => index.column('translator') },
    },
  },
  upgrade: async (later) => {
    await later.updateTable('shelf').set({ room: sql<string>`upper(room)` }).execute();
  },
};

test('migrate brings a database of the earlier version up to date: added columns, their indexes, then the upgrade step', async () => {
  await storeLifecycle(db, TABLES).migrate();
  await db.insertInto('shelf').values({ code: 'A1', room: 'east' }).execute();
  await db.insertInto('book').values({ isbn: '9787020002207', shelf: 'A1', title: '红楼梦' }).execute();
  const later = db as unknown as Kysely<LaterLibraryDatabase>;
  const store = storeLifecycle(later, LATER);
  await store.migrate();
  expect(await later.selectFrom('book').select(['title', 'translator', 'edition']).execute()).toEqual([{ title: '红楼梦', translator: null, edition: 1 }]);
  expect(await later.selectFrom('shelf').select('room').execute()).toEqual([{ room: 'EAST' }]);
  expect((await schemaObjects()).map((o) => o.name)).toContain('book_translator');
  // At every later start it finds nothing to add.
  await later.insertInto('book').values({ isbn: '9787020008735', shelf: 'A1', title: '水浒传', translator: '沙博理', edition: 2 }).execute();
  await store.migrate();
  expect(await later.selectFrom('book').select(['translator', 'edition']).orderBy('isbn').execute()).toEqual([
    { translator: null, edition: 1 },
    { translator: '沙博理', edition: 2 },
  ]);
});

test('a new database gets the added columns too', async () => {
  const later = db as unknown as Kysely<LaterLibraryDatabase>;
  await storeLifecycle(later, LATER).migrate();
  await later.insertInto('shelf').values({ code: 'A1', room: 'EAST' }).execute();
  await later.insertInto('book').values({ isbn: '9787020002207', shelf: 'A1', title: '红楼梦', translator: '杨宪益' }).execute();
  expect(await later.selectFrom('book').select(['translator', 'edition']).execute()).toEqual([{ translator: '杨宪益', edition: 1 }]);
});

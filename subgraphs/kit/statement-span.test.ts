/**
 * A SQL statement's span names its operation and table, from the text kysely sends (here compiled for
 * both dialects, without a database), and carries nothing of the statement's values.
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { statementSpan } from './statement-span';

interface DB {
  person: { idNumber: string; name: string; validFrom: string };
}

const compilers = {
  sqlite: new Kysely<DB>({ dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() } }),
  postgres: new Kysely<DB>({ dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() } }),
};
const ID = '11010119900307663X';

describe.each(['sqlite', 'postgres'] as const)('on %s', (kind) => {
  const db = compilers[kind];
  const system = kind === 'postgres' ? 'postgresql' : 'sqlite';

  test.each([
    ['a lookup', db.selectFrom('person').select(['name', 'validFrom']).where('idNumber', 'in', [ID, '110101199003076631']), 'SELECT person'],
    ['an insert', db.insertInto('person').values({ idNumber: ID, name: '王伟', validFrom: '2020-01-01' }), 'INSERT person'],
    ['an update', db.updateTable('person').set({ name: '王伟' }).where('idNumber', '=', ID), 'UPDATE person'],
    ['a delete', db.deleteFrom('person').where('idNumber', '=', ID), 'DELETE person'],
    ['a schema-qualified table', db.withSchema('civil').selectFrom('person').selectAll().where('idNumber', '=', ID), 'SELECT person'],
  ])('%s: operation and table, no value', (_name, query, name) => {
    const span = statementSpan(query.compile().sql, kind);
    expect(span.name).toBe(name);
    expect(span.attributes).toEqual({ 'db.system.name': system, 'db.operation.name': name.split(' ')[0], 'db.collection.name': 'person' });
    expect(JSON.stringify(span)).not.toContain('110101');
  });
});

test.each([
  ['a table-less statement', 'select 1', 'SELECT', undefined],
  ['a subquery first', 'select * from (select "name" from "person") as "p"', 'SELECT', undefined],
  ['a column named like the keyword', 'select "validFrom" from "person"', 'SELECT', 'person'],
  ['a statement with a literal value written in', "select * from person where idNumber = '11010119900307663X'", 'SELECT', 'person'],
  ['an insert that ignores conflicts (SQLite)', 'insert or ignore into "person" ("idNumber") values (?)', 'INSERT', 'person'],
  ['a trigger', 'CREATE TRIGGER IF NOT EXISTS "t" BEFORE UPDATE ON "person" BEGIN SELECT 1; END', 'CREATE', undefined],
  ['no statement at all', '   ', 'SQL', undefined],
])('%s', (_name, text, operation, table) => {
  const span = statementSpan(text, 'sqlite');
  expect(span.name).toBe(table ? `${operation} ${table}` : operation);
  expect(span.attributes['db.collection.name']).toBe(table);
  expect(JSON.stringify(span)).not.toContain('110101');
});

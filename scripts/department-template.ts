/**
 * The files `npm run new-department` writes: a department that adds one object with one list to the
 * persons of public security, kept in one table, seeded over the synthetic world — small enough to read
 * in a few minutes, and the shape most departments start from. The department then renames and edits it.
 */

export interface DepartmentNames {
  /** The folder and subgraph name, kebab-case: `human-resources`. */
  name: string;
  title: string;
  port: number;
  /** The field it adds to Person: `humanResources`. */
  field: string;
  /** The prefix of its types and functions: `HumanResources`. */
  typePrefix: string;
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function isKebabCase(name: string): boolean {
  return KEBAB_CASE.test(name);
}

export function departmentNames(name: string, title: string, port: number): DepartmentNames {
  const words = name.split('-');
  const typePrefix = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  return { name, title, port, field: typePrefix[0]!.toLowerCase() + typePrefix.slice(1), typePrefix };
}

/** A seed for the department's own random numbers, fixed by its name: the same world at every seed. */
function seedNumber(name: string): number {
  let hash = 2166136261;
  for (const character of name) hash = Math.imul(hash ^ character.charCodeAt(0), 16777619) >>> 0;
  return hash % 100_000;
}

function schema({ title, field, typePrefix }: DepartmentNames): string {
  return `# ${title}: what this department adds to the persons of public security. Rename the types and fields
# to the department's own, and give each one the sharing class and sensitivity its data calls for.

type Person @key(fields: "idNumber") {
  idNumber: IdNumber!
  "What ${title} holds on this person: null when it holds nothing."
  ${field}: ${typePrefix}Record @sharing(class: CONDITIONAL, sensitivity: PERSONAL)
}

type ${typePrefix}Record @sharing(class: CONDITIONAL, sensitivity: PERSONAL) {
  "The day of the first entry."
  since: Date!
  "Every entry, oldest first."
  entries: [${typePrefix}Entry!]!
}

type ${typePrefix}Entry @sharing(class: CONDITIONAL, sensitivity: PERSONAL) {
  "The entry's number in the department's register."
  number: String!
  recordedOn: Date!
  kind: String!
  "In yuan."
  amount: Float!
  "Where it was recorded (GB/T 2260)."
  regionCode: RegionCode!
  "The clerk's notes stay in the department."
  notes: String @sharing(class: NONE, sensitivity: SENSITIVE)
}
`;
}

function store({ title, typePrefix }: DepartmentNames): string {
  return `/** The database of ${title}: the entries it records about persons. */
import { insertInBatches, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';
import type { Kysely } from 'kysely';

export interface EntryRow {
  number: string;
  idNumber: string;
  recordedOn: string;
  kind: string;
  amount: number;
  regionCode: string;
  notes: string;
}

export interface ${typePrefix}Database {
  entry: EntryRow;
}

export interface ${typePrefix}Store extends DepartmentStore {
  entriesOf(idNumbers: readonly string[]): Promise<EntryRow[]>;
  insertEntries(rows: readonly EntryRow[]): Promise<void>;
}

const TABLES: StoreTables<${typePrefix}Database> = {
  seededBy: 'entry',
  tables: {
    entry: {
      columns: (table) =>
        table
          .addColumn('number', 'varchar(24)', (c) => c.primaryKey())
          .addColumn('idNumber', 'varchar(18)', (c) => c.notNull())
          .addColumn('recordedOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('amount', 'double precision', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
          .addColumn('notes', 'varchar(256)', (c) => c.notNull()),
      indexes: { entry_person: (index) => index.column('idNumber') },
    },
  },
};

export function create${typePrefix}Store(db: Kysely<${typePrefix}Database>): ${typePrefix}Store {
  return {
    ...storeLifecycle(db, TABLES),
    entriesOf: (idNumbers) => db.selectFrom('entry').selectAll().where('idNumber', 'in', [...idNumbers]).orderBy('recordedOn').orderBy('number').execute(),
    insertEntries: (rows) => insertInBatches(db, 'entry', rows),
  };
}
`;
}

function loaders({ typePrefix }: DepartmentNames): string {
  return `import { childrenLoader } from '@govgraph/department-kit';
import type { ${typePrefix}Store } from './store';

/** Every person's entries asked for at one level of a request, in one statement. */
export function createLoaders(store: ${typePrefix}Store) {
  return { entries: childrenLoader(store.entriesOf, (row) => row.idNumber) };
}

export type ${typePrefix}Loaders = ReturnType<typeof createLoaders>;
`;
}

function resolvers({ field, typePrefix }: DepartmentNames): string {
  return `import type { DepartmentResolvers } from '@govgraph/department-kit';
import type { ${typePrefix}Loaders } from './loaders';
import type { ${typePrefix}Store } from './store';

export const resolvers: DepartmentResolvers<${typePrefix}Store, ${typePrefix}Loaders> = {
  Person: {
    ${field}: async ({ idNumber }: { idNumber: string }, _, { loaders }) => {
      const entries = await loaders.entries.load(idNumber);
      return entries.length === 0 ? null : { since: entries[0]!.recordedOn, entries };
    },
  },
};
`;
}

function seed({ name, title, typePrefix }: DepartmentNames): string {
  const prefix = name.split('-').map((word) => word[0]!.toUpperCase()).join('');
  return `/** What ${title} holds in the synthetic world: entries for about a third of the adults, the same at every seed. */
import { Random, addDays, ageOnReference, daysBeforeReference, type World } from '@govgraph/department-kit';
import type { EntryRow, ${typePrefix}Store } from './store';

const KINDS = ['登记', '变更', '年度核验', '待遇发放'];
const NOTES = ['材料齐全，当场办结', '经现场核验', '补正材料后办结', '依申请办理'];

export async function seed(store: ${typePrefix}Store, world: World): Promise<void> {
  const random = new Random(${seedNumber(name)});
  const rows: EntryRow[] = [];
  for (const person of world.persons) {
    const age = ageOnReference(person.birthDate);
    if (age < 18 || !random.chance(0.3)) continue;
    let day = addDays(person.birthDate, random.int(18 * 365, age * 365));
    for (let count = random.int(1, 5); count > 0 && daysBeforeReference(day) > 0; count--) {
      rows.push({
        number: \`${prefix}\${String(rows.length + 1).padStart(10, '0')}\`,
        idNumber: person.idNumber,
        recordedOn: day,
        kind: random.pick(KINDS),
        amount: random.int(20, 400) * 10,
        regionCode: person.regionCode,
        notes: random.pick(NOTES),
      });
      day = addDays(day, random.int(30, 3 * 365));
    }
  }
  await store.insertEntries(rows);
}
`;
}

function index({ name, title, port, typePrefix }: DepartmentNames): string {
  return `/** ${title}. \`tsx subgraphs/${name}\` runs it alone. */
import { join } from 'node:path';
import { runDepartment, type Department } from '@govgraph/department-kit';
import { createLoaders, type ${typePrefix}Loaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { create${typePrefix}Store, type ${typePrefix}Database, type ${typePrefix}Store } from './store';

export const department: Department<${typePrefix}Database, ${typePrefix}Store, ${typePrefix}Loaders> = {
  name: '${name}',
  title: '${title}',
  defaultPort: ${port},
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: create${typePrefix}Store,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);
`;
}

function test({ title, field, typePrefix }: DepartmentNames): string {
  return `/** ${title} answers Person.${field} in process, from its store seeded with a small synthetic world. */
import { buildWorld, departmentSchema, openDatabase } from '@govgraph/department-kit';
import { execute, parse } from 'graphql';
import { department } from '.';
import { create${typePrefix}Store, type ${typePrefix}Database } from './store';

const QUERY = parse('query ($persons: [_Any!]!) { _entities(representations: $persons) { ... on Person { ${field} { since entries { recordedOn kind amount } } } } }');
type Answer = Array<{ ${field}: { since: string; entries: Array<{ recordedOn: string }> } | null }>;

test('Person.${field} holds the entries of the persons who have some, oldest first', async () => {
  const world = buildWorld({ persons: 300, enterprises: 0, applications: 0, cityEvents: 0 });
  const db = openDatabase<${typePrefix}Database>({ location: { kind: 'sqlite', file: ':memory:' } });
  const store = create${typePrefix}Store(db);
  await store.migrate();
  await department.seed(store, world);
  const persons = world.persons.map(({ idNumber }) => ({ __typename: 'Person', idNumber }));
  const result = await execute({ schema: departmentSchema(department), document: QUERY, variableValues: { persons }, contextValue: { store, loaders: department.createLoaders(store) } });
  await db.destroy();
  expect(result.errors).toBeUndefined();
  const records = (result.data!['_entities'] as Answer).flatMap((person) => person.${field} ?? []);
  expect(records.length).toBeGreaterThan(0);
  expect(records.length).toBeLessThan(persons.length);
  for (const { since, entries } of records) {
    expect(since).toBe(entries[0]!.recordedOn);
    expect(entries.map((entry) => entry.recordedOn)).toEqual(entries.map((entry) => entry.recordedOn).sort());
  }
});
`;
}

/** Every file of the department, by its name in the department's folder. */
export function departmentFiles(names: DepartmentNames): Record<string, string> {
  return {
    'schema.graphql': schema(names),
    'store.ts': store(names),
    'loaders.ts': loaders(names),
    'resolvers.ts': resolvers(names),
    'seed.ts': seed(names),
    'index.ts': index(names),
    [`${names.name}.test.ts`]: test(names),
  };
}

/**
 * `npm run seed -- [--persons N] [--enterprises N] [--applications N] [--city-events N]`
 * Re-creates every department's database with a synthetic world of that size (stop `npm start` first).
 * The world is built once and each department stores its own part, in batched transactions. A fresh
 * DATA_DIR is enough: the development keys a department's store reads are created first. A department that
 * fails does not stop the others; the failures are listed at the end, and the exit code is 1.
 */
import { statSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { loadSubgraphConfig } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { buildWorld, DEFAULT_WORLD_SIZE, type World, type WorldSize } from '../subgraphs/kit/synthetic/world';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { departmentDatabase } from './department-database';
import { departments, type AnyDepartment } from './departments';
import { ensureDevKeys } from './dev-keys';
import { scriptEnvironment, type ScriptEnvironment } from './script-environment';

const USAGE = `usage: npm run seed -- [--persons N] [--enterprises N] [--applications N] [--city-events N]

Re-creates every department's database under DATA_DIR (or its <DEPARTMENT>_DATABASE_URL) with a synthetic
world of that size; stop npm start first. Defaults: ${DEFAULT_WORLD_SIZE.persons} persons, ${DEFAULT_WORLD_SIZE.enterprises} enterprises,
${DEFAULT_WORLD_SIZE.applications} applications, ${DEFAULT_WORLD_SIZE.cityEvents} city events; at least 100 persons.

exit codes: 0 every department seeded, 1 some did not (each named), 2 a wrong command line`;

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50_000_000) throw new UsageError(`--${flag} must be a whole number up to 50,000,000`);
  return n;
}

function worldSize(args: string[]): WorldSize {
  const { values } = parseCommandLine({
    args,
    options: {
      persons: { type: 'string' },
      enterprises: { type: 'string' },
      applications: { type: 'string' },
      'city-events': { type: 'string' },
    },
  });
  const size: WorldSize = {
    persons: count(values.persons, DEFAULT_WORLD_SIZE.persons, 'persons'),
    enterprises: count(values.enterprises, DEFAULT_WORLD_SIZE.enterprises, 'enterprises'),
    applications: count(values.applications, DEFAULT_WORLD_SIZE.applications, 'applications'),
    cityEvents: count(values['city-events'], DEFAULT_WORLD_SIZE.cityEvents, 'city-events'),
  };
  if (size.persons < 100) throw new UsageError('--persons must be at least 100 (enterprises need adult legal representatives)');
  return size;
}

/** The PostgreSQL database's size; a SQLite file's is read once it is closed (its write-ahead log folded in). */
async function postgresBytes(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ bytes: string }>`select pg_database_size(current_database()) as bytes`.execute(db);
  return Number(rows[0]!.bytes);
}

/** Drops, re-creates and fills one department's database; returns its size on disk. */
async function seedDepartment(env: ScriptEnvironment, department: AnyDepartment, world: World): Promise<number> {
  const location = departmentDatabase(env, department.name);
  const config = loadSubgraphConfig(department.name, department.defaultPort, {
    ...process.env,
    DATA_DIR: env.dataDir,
    DATABASE_URL: location.kind === 'postgres' ? location.url : undefined,
  });
  const db = openDatabase<unknown>({ location: config.database });
  try {
    const store = department.createStore(db, config);
    await store.drop();
    await store.migrate();
    await department.seed(store, world);
    if (config.database.kind === 'postgres') return await postgresBytes(db);
  } finally {
    await db.destroy();
  }
  return statSync(config.database.file).size;
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const onDisk = (bytes: number) => (bytes < 1_000_000 ? `${Math.round(bytes / 1000)} kB` : `${(bytes / 1_000_000).toFixed(1)} MB`);

async function main(args: string[]): Promise<void> {
  const size = worldSize(args);
  const env = scriptEnvironment();
  const list = departments();
  // The audit department's store reads the trail's keys: on a fresh DATA_DIR they are made here.
  await ensureDevKeys(env.dataDir);
  let started = Date.now();
  const world = buildWorld(size);
  process.stdout.write(`built a world of ${JSON.stringify(size)} in ${seconds(started)}\n`);
  const failures: string[] = [];
  for (const department of list) {
    started = Date.now();
    try {
      const bytes = await seedDepartment(env, department, world);
      process.stdout.write(`seeded ${department.name} in ${seconds(started)}, database ${onDisk(bytes)}\n`);
    } catch (error) {
      const location = departmentDatabase(env, department.name);
      const where = location.kind === 'sqlite' ? ` (${location.file})` : ' (its PostgreSQL database)';
      const failure = `${department.name}${where}: ${error instanceof Error ? error.message : String(error)}`;
      process.stdout.write(`did not seed ${failure}\n`);
      failures.push(failure);
    }
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${list.length} departments were not seeded:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  }
}

runCommandLine(USAGE, main);

/**
 * `npm run seed -- [--persons N] [--enterprises N] [--applications N] [--city-events N]`
 * Re-creates every department's database with a synthetic world of that size (stop `npm start` first).
 * The world is built once and each department stores its own part, in batched transactions.
 */
import { parseArgs } from 'node:util';
import { loadSubgraphConfig } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { buildWorld, DEFAULT_WORLD_SIZE, type WorldSize } from '../subgraphs/kit/synthetic/world';
import { departmentDatabase } from './department-database';
import { DEPARTMENTS } from './departments';
import { scriptEnvironment } from './script-environment';

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 50_000_000) throw new Error(`--${flag} must be a whole number up to 50,000,000`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
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
  if (size.persons < 100) throw new Error('--persons must be at least 100 (enterprises need adult legal representatives)');
  const env = scriptEnvironment();
  let started = Date.now();
  const world = buildWorld(size);
  process.stdout.write(`built a world of ${JSON.stringify(size)} in ${Date.now() - started} ms\n`);
  for (const department of DEPARTMENTS) {
    started = Date.now();
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
    } finally {
      await db.destroy();
    }
    process.stdout.write(`seeded ${department.name} in ${Date.now() - started} ms\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * `npm run seed` from nothing: on a fresh DATA_DIR it makes the development keys the departments' stores
 * read and seeds every department found under subgraphs/; a department that fails does not stop the ones
 * after it, and the failures are listed at the end with exit code 1.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { departments } from '../scripts/departments';
import { devKeyFiles } from '../scripts/dev-keys';
import { sqliteFileFor } from '../subgraphs/kit/config';

const ROOT = join(__dirname, '..');
const SMALL_WORLD = ['--persons', '120', '--enterprises', '12', '--applications', '6', '--city-events', '12'];

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'govgraph-seed-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function seed(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'seed.ts'), ...SMALL_WORLD], {
      cwd: ROOT,
      // The launcher's PostgreSQL variables, if the shell has any, would seed elsewhere.
      env: Object.fromEntries(Object.entries({ ...process.env, DATA_DIR: dataDir }).filter(([name]) => !name.endsWith('DATABASE_URL'))),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const SEEDED = (name: string) => new RegExp(`^seeded ${name} in \\d+\\.\\d s, database \\d+(\\.\\d)? [kM]B$`, 'm');

test('a fresh DATA_DIR: the keys are made and every department is seeded', async () => {
  const result = await seed();
  expect(result).toMatchObject({ code: 0, stderr: '' });
  for (const department of departments()) {
    expect(result.stdout).toMatch(SEEDED(department.name));
    expect(existsSync(sqliteFileFor(dataDir, department.name))).toBe(true);
  }
  expect(Object.values(devKeyFiles(dataDir)).every((file) => existsSync(file))).toBe(true);
  const persons = new Database(sqliteFileFor(dataDir, 'public-security'), { readonly: true });
  try {
    expect(persons.prepare('SELECT count(*) AS n FROM person').get()).toEqual({ n: 120 });
  } finally {
    persons.close();
  }
}, 60_000);

test('the first department failing: every other one is still seeded, and the failure is named at the end (exit 1)', async () => {
  const [first, ...others] = departments();
  // A folder where its SQLite file should be: the database cannot be opened.
  mkdirSync(sqliteFileFor(dataDir, first!.name), { recursive: true });
  const result = await seed();
  expect(result.code).toBe(1);
  for (const department of others) expect(result.stdout).toMatch(SEEDED(department.name));
  expect(result.stdout).toContain(`did not seed ${first!.name} (${sqliteFileFor(dataDir, first!.name)}): `);
  expect(result.stderr).toMatch(new RegExp(`^1 of ${departments().length} departments were not seeded:\n {2}- ${first!.name} \\(.*\\): .+\n$`));
  expect(result.stderr).not.toMatch(/^\s+at /m);
}, 60_000);

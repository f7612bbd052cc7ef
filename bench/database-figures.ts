/**
 * The database figures (issue: benchmarks), through GovGraph with all security on, over the departments
 * in their own processes, on two worlds: the default seeded one (10,000 persons) and one of 1,000,000
 * persons (`npm run seed -- --persons 1000000` into a temporary data folder).
 * (a) SQL statements per request for a list of 10, 100 and 1,000 enterprises with their legal
 *     representatives and licences, summed over every department's govgraph_db_statements_total: it must
 *     not grow with the list. A department serves at most 100 items a page (subgraphs/kit/connection.ts),
 *     so 1,000 is ten requests of 100 that follow the cursor.
 * (b) Latency of a person lookup by ID number, one request at a time, through GovGraph and at the
 *     public-security department directly, each lookup a different person drawn at random.
 *
 * Run: npm run build:server && npx tsx bench/database-figures.ts [--persons 1000000] [--lookups 2000]
 * (the gateway and the departments run from the build, as in compare-gateways.ts)
 * Writes bench/results/database.md and database.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { DEFAULT_WORLD_SIZE } from '../subgraphs/kit/synthetic/world';
import type { Target } from './agreement';
import { GOVGRAPH, startContender } from './contenders';
import { APP, PURPOSE, newDataDir, startDepartments, type Departments } from './deployment';
import { ROOT } from './processes';

const { values } = parseArgs({ options: { persons: { type: 'string', default: '1000000' }, lookups: { type: 'string', default: '2000' } } });
const LARGE_WORLD = Number(values.persons);
const LOOKUPS = Number(values.lookups);
const WARM_UP_LOOKUPS = 200;
const PAGE = 100;
const LIST_SIZES = [10, 100, 1000];

interface StatementFigure {
  enterprises: number;
  requests: number;
  statements: number;
  perRequest: number;
}

interface LatencyFigure {
  target: string;
  lookups: number;
  p50: number;
  p99: number;
  mean: number;
}

interface WorldFigures {
  persons: number;
  seedSeconds?: number;
  statements: StatementFigure[];
  latency: LatencyFigure[];
}

async function graphql(target: Target, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await target.headers()) }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  if (response.status !== 200 || body.errors !== undefined) throw new Error(`${target.name}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body.data;
}

const LIST = `query List($first: Int, $after: String) {
  enterprises(first: $first, after: $after) { nodes { creditCode name legalRepresentative { name } licences { kind } } pageInfo { endCursor } }
}`;

/** Reads `size` enterprises in pages of at most 100, following the cursor; returns the statements it cost. */
async function statementsFor(departments: Departments, gateway: Target, size: number): Promise<StatementFigure> {
  const before = await departments.counter('govgraph_db_statements_total');
  let after: string | null = null;
  let read = 0;
  let requests = 0;
  while (read < size) {
    const data = await graphql(gateway, LIST, { first: Math.min(PAGE, size - read), after });
    if (data.enterprises.nodes.length === 0) throw new Error(`the world has fewer than ${size} enterprises`);
    read += data.enterprises.nodes.length;
    after = data.enterprises.pageInfo.endCursor;
    requests++;
  }
  const statements = (await departments.counter('govgraph_db_statements_total')) - before;
  return { enterprises: size, requests, statements, perRequest: statements / requests };
}

const LOOKUP = 'query Lookup($id: IdNumber!) { person(idNumber: $id) { idNumber name gender birthDate } }';

function percentile(sorted: readonly number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

/** One lookup at a time, each a different person; the first ones only warm up. */
async function lookupLatency(target: Target, ids: readonly string[]): Promise<LatencyFigure> {
  const times: number[] = [];
  for (const [i, id] of ids.entries()) {
    const started = performance.now();
    const data = await graphql(target, LOOKUP, { id });
    const elapsed = performance.now() - started;
    if (data.person?.idNumber !== id) throw new Error(`${target.name} did not find ${id}`);
    if (i >= WARM_UP_LOOKUPS) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const mean = Math.round((times.reduce((a, b) => a + b, 0) / times.length) * 100) / 100;
  return { target: target.name, lookups: times.length, p50: percentile(times, 50), p99: percentile(times, 99), mean };
}

/** Persons drawn at random from the public-security database, read-only. */
function randomPersons(dataDir: string, count: number): string[] {
  const db = new Database(sqliteFileFor(dataDir, 'public-security'), { readonly: true });
  try {
    return (db.prepare('SELECT idNumber FROM person ORDER BY random() LIMIT ?').all(count) as Array<{ idNumber: string }>).map((row) => row.idNumber);
  } finally {
    db.close();
  }
}

function seed(dataDir: string, persons: number): Promise<number> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'seed.ts'), '--persons', String(persons)], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, stdio: 'inherit' });
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve((Date.now() - started) / 1000) : reject(new Error(`seeding exited with ${code}`)))));
}

async function measureWorld(persons: number): Promise<WorldFigures> {
  const dataDir = newDataDir();
  let seedSeconds: number | undefined;
  try {
    // The departments seed the default world themselves when their databases are empty.
    if (persons !== DEFAULT_WORLD_SIZE.persons) seedSeconds = await seed(dataDir, persons);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const departments = await startDepartments(dataDir, 4410, 'http://127.0.0.1:4400/graphql');
  try {
    const gateway = await startContender(departments, GOVGRAPH, 1, 4400);
    if ('reason' in gateway) throw new Error(`GovGraph: ${gateway.reason}`);
    const sign = await createSubgraphTokenSigner({ signingKeyFile: departments.keys.gatewayPrivate, ttlSeconds: 600 });
    const direct: Target = {
      name: 'public-security directly',
      url: departments.urls.find((d) => d.name === 'public-security')!.url,
      headers: async () => ({ authorization: `Bearer ${await sign({ app: APP, purpose: PURPOSE, requestId: 'bench' }, 'public-security')}`, 'x-request-id': 'bench' }),
    };

    await statementsFor(departments, gateway, PAGE); // warm-up: plans cached, connections open
    const statements: StatementFigure[] = [];
    for (const size of LIST_SIZES) statements.push(await statementsFor(departments, gateway, size));

    const ids = randomPersons(dataDir, WARM_UP_LOOKUPS + LOOKUPS);
    const latency = [await lookupLatency({ ...gateway, name: 'through GovGraph' }, ids), await lookupLatency(direct, ids)];
    return { persons, ...(seedSeconds !== undefined && { seedSeconds }), statements, latency };
  } finally {
    await departments.stop();
  }
}

function renderReport(worlds: readonly WorldFigures[]): string {
  const people = (n: number) => `${n.toLocaleString('en-US')} persons`;
  const statementRows = worlds.flatMap((w) => w.statements.map((s) => `| ${people(w.persons)} | ${s.enterprises.toLocaleString('en-US')} | ${s.requests} | ${s.statements} | ${s.perRequest} |`));
  const latencyRows = worlds.flatMap((w) => w.latency.map((l) => `| ${people(w.persons)} | ${l.target} | ${l.lookups} | ${l.p50} | ${l.p99} | ${l.mean} |`));
  const seeded = worlds.filter((w) => w.seedSeconds !== undefined).map((w) => `, seeded in ${Math.round(w.seedSeconds!)} s`);
  return `# Database figures

${new Date().toISOString().slice(0, 10)}: \`npm run build:server && npx tsx bench/database-figures.ts\`, GovGraph with all security on (a single process)
over the departments in their own processes on SQLite, all on this 2-core machine shared with other work.
The default world has ${people(DEFAULT_WORLD_SIZE.persons)} and ${DEFAULT_WORLD_SIZE.enterprises.toLocaleString('en-US')} enterprises; the large one the same but ${people(LARGE_WORLD)}${seeded.join('')}.
Each department's seed time and database size at 1,000,000 persons: [seeding.md](seeding.md).

## SQL statements per request as the list grows

\`{ enterprises(first: N) { nodes { creditCode name legalRepresentative { name } licences { kind } } } }\`
through GovGraph, statements summed over every department's \`govgraph_db_statements_total\`. A department
serves at most ${PAGE} items a page, so 1,000 enterprises are ${1000 / PAGE} requests of ${PAGE} following the cursor.
The bar: statements per request do not grow with the list.

| world | enterprises | requests | statements | per request |
|---|---|---|---|---|
${statementRows.join('\n')}

## Person lookup by ID number

\`person(idNumber: $id) { idNumber name gender birthDate }\`, one request at a time, a different person each
time drawn at random from the world, after ${WARM_UP_LOOKUPS} warm-up lookups; milliseconds as the client sees them.

| world | path | lookups | p50 ms | p99 ms | mean ms |
|---|---|---|---|---|---|
${latencyRows.join('\n')}
`;
}

async function main(): Promise<void> {
  const worlds = [await measureWorld(DEFAULT_WORLD_SIZE.persons), await measureWorld(LARGE_WORLD)];
  const report = renderReport(worlds);
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'database.json'), `${JSON.stringify({ date: new Date().toISOString(), lookups: LOOKUPS, warmUpLookups: WARM_UP_LOOKUPS, worlds }, null, 2)}\n`);
  writeFileSync(join(__dirname, 'results', 'database.md'), report);
  process.stdout.write(`\n${report}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

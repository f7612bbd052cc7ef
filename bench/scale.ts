/**
 * GovGraph at provincial scale (issue 24, "Scale"): many contracts, a large audit trail in SQLite and in
 * PostgreSQL, two replicas on one PostgreSQL chain, and a large generated supergraph. Each section's
 * figures are kept in results/scale.json with the command and date that made them, so a section can be
 * run again alone; results/scale.md is rendered from all of them, the targets and verdicts first.
 *
 * Run: npm run bench:scale [-- --only audit|contracts|replicas|graph] [--records N]
 * Generated data goes to data/bench-scale/ (git-ignored); PostgreSQL work happens in a database of its
 * own (--database, default govgraph_scale), created and dropped by the run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './processes';
import { renderScaleReport, type ScaleResults } from './scale/scale-report';
import { measureContracts } from './scale/contract-scale';
import { measureGraphs } from './scale/graph-scale';
import { measureReplicas } from './scale/replica-scale';
import { withPrivateDatabase } from './scale/private-database';
import { measureTrails, type TrailFigures } from './scale/trail-scale';

const SECTIONS = ['audit', 'contracts', 'replicas', 'graph'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    records: { type: 'string', default: '10000000' },
    contracts: { type: 'string', default: '1000' },
    grants: { type: 'string', default: '100' },
    departments: { type: 'string', default: '50' },
    types: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    database: { type: 'string', default: 'govgraph_scale' },
    'postgres-url': { type: 'string', default: process.env['GOVGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
  },
});

const RESULTS_JSON = join(ROOT, 'bench', 'results', 'scale.json');
const RESULTS_MD = join(ROOT, 'bench', 'results', 'scale.md');
const DATA_DIR = join(ROOT, 'data', 'bench-scale');

function sectionsToRun(): Section[] {
  if (values.only === undefined) return [...SECTIONS];
  const only = values.only.split(',');
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only takes ${SECTIONS.join(', ')} (comma-separated), not ${unknown.join(', ')}`);
  return only as Section[];
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a whole number above 0`);
  return n;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function main(): Promise<void> {
  const sections = sectionsToRun();
  const records = positiveInteger(values.records, 'records');
  const rounds = positiveInteger(values.rounds, 'rounds');
  mkdirSync(DATA_DIR, { recursive: true });
  const results: ScaleResults = existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ScaleResults) : {};
  const command = `npm run bench:scale -- ${process.argv.slice(2).join(' ')}`.trim();
  const date = new Date().toISOString().slice(0, 10);
  const save = () => {
    writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(RESULTS_MD, renderScaleReport(results));
  };
  for (const section of sections) {
    log(`section ${section}`);
    if (section === 'audit') {
      const keep = (trails: readonly TrailFigures[]) => {
        results.audit = [...(results.audit ?? []).filter((run) => run.trails[0]?.records !== records), { command, date, trails: [...trails] }];
        save();
      };
      keep(await measureTrails({ records, kinds: ['sqlite', 'postgres'], dataDir: DATA_DIR, postgresAdminUrl: values['postgres-url'], databaseName: values.database, log, onTrail: keep }));
    } else if (section === 'contracts') {
      const figures = await measureContracts({ dataDir: DATA_DIR, count: positiveInteger(values.contracts, 'contracts'), grants: positiveInteger(values.grants, 'grants'), rounds, log });
      results.contracts = { command, date, ...figures };
    } else if (section === 'replicas') {
      const seconds = positiveInteger(values.seconds, 'seconds');
      const connections = 10;
      const measurements = await withPrivateDatabase(values['postgres-url'], `${values.database}_replicas`, (postgresUrl) => measureReplicas({ postgresUrl, seconds, rounds, connections, log }));
      results.replicas = { command, date, seconds, connections, measurements };
    } else {
      const figures = await measureGraphs({ dataDir: DATA_DIR, departments: positiveInteger(values.departments, 'departments'), types: positiveInteger(values.types, 'types'), log });
      results.graph = { command, date, ...figures };
    }
    save();
  }
  process.stdout.write(readFileSync(RESULTS_MD, 'utf8'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

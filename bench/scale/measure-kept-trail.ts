/**
 * Measures again a trail the scale run filled and left (a PostgreSQL database kept after the run was
 * stopped, or its SQLite file), without loading it again: for trying a change to the store against a trail
 * at full size. By default the searches alone — `auditRecords(subject:)`'s `find` by subject, a page of 20,
 * for persons of the synthetic trail drawn at random, as trail-scale.ts runs them. With `--all`, everything
 * trail-scale.ts measures after the load (appends, searches, verify, prune of the older half, verify again,
 * the size), kept in results/scale.json in the run of that size, beside the stores that run measured; the
 * load and index times are the stopped run's, given with --load-seconds and --index-seconds.
 * Usage: tsx bench/scale/measure-kept-trail.ts <sqlite file | postgres URL> <records> [--samples 300]
 *        [--all --key-file <the run's checkpoint.pem> --load-seconds N --index-seconds N]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AuditLocation } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { ROOT } from '../processes';
import { spread } from './percentile';
import { renderScaleReport, type ScaleResults } from './scale-report';
import { BENCH_CHAIN_KEY, syntheticTrail } from './synthetic-trail';
import { CHECKPOINT_EVERY, measure, subjectSearches } from './trail-scale';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    samples: { type: 'string', default: '300' },
    all: { type: 'boolean', default: false },
    'key-file': { type: 'string' },
    'load-seconds': { type: 'string' },
    'index-seconds': { type: 'string' },
  },
});

async function searchesOnly(location: AuditLocation, records: number): Promise<void> {
  const store = await AuditStore.open(location);
  try {
    // The persons are the trail's whatever its end date: only the count of records decides them.
    const trail = syntheticTrail(records, new Date());
    await subjectSearches(store, trail, 20);
    const { times, found } = await subjectSearches(store, trail, Number(values.samples));
    process.stdout.write(`${JSON.stringify({ kind: location.kind, records, ...spread(times), samples: times.length, meanFound: found / times.length })}\n`);
  } finally {
    await store.close();
  }
}

async function everything(location: AuditLocation, records: number): Promise<void> {
  const keyFile = values['key-file'];
  if (!keyFile || values['load-seconds'] === undefined || values['index-seconds'] === undefined) throw new Error('--all needs --key-file, --load-seconds and --index-seconds');
  const chain = { chainKey: BENCH_CHAIN_KEY, checkpointKeys: readCheckpointKeys(keyFile, false), checkpointEvery: CHECKPOINT_EVERY };
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const figures = { ...(await measure(location, syntheticTrail(records, new Date()), { log, records }, chain, keyFile, Number(values['load-seconds']))), indexSeconds: Number(values['index-seconds']) };
  const file = join(ROOT, 'bench', 'results', 'scale.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as ScaleResults;
  const run = results.audit?.find((r) => r.trails[0]?.records === records);
  if (!run) throw new Error(`results/scale.json holds no audit run of ${records} records to add this store to`);
  run.trails = [...run.trails.filter((t) => t.kind !== location.kind), figures];
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results', 'scale.md'), renderScaleReport(results));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function main(): Promise<void> {
  const [where, records] = positionals;
  if (!where || !records) throw new Error('usage: measure-kept-trail.ts <sqlite file | postgres URL> <records> [--samples N] [--all --key-file F --load-seconds N --index-seconds N]');
  const location: AuditLocation = /^postgres(ql)?:/.test(where) ? { kind: 'postgres', url: where } : { kind: 'sqlite', file: where };
  await (values.all ? everything(location, Number(records)) : searchesOnly(location, Number(records)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The audit trail at provincial scale (issue 24, "Audit trail"): a trail of many millions of records in
 * SQLite and in PostgreSQL, filled by the bulk loader, then measured through the store's own code — the
 * append cost per record at that size, `auditRecords(subject:)` (the store's `find` by subject, a page of
 * 20, for persons drawn at random), `audit verify` in a process of its own (throughput and peak memory),
 * `prune` of the older half, and the database's size per million records.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditLocation } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import type { ChainKeys } from '../../audit/chain-keys';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { ROOT } from '../processes';
import { spread } from './percentile';
import { withClient, withPrivateDatabase } from './private-database';
import { BENCH_CHAIN_KEY, seededRandom, syntheticTrail, type SyntheticTrail } from './synthetic-trail';
import { bulkWriter, ChainBuilder, indexAll, type BulkWriter } from './trail-bulk-load';
import type { VerifyFigures } from './verify-trail';

export const CHECKPOINT_EVERY = 100;
const LOAD_BATCH = 5000;

export interface TrailFigures {
  kind: AuditLocation['kind'];
  records: number;
  loadSeconds: number;
  indexSeconds: number;
  sizeMb: number;
  append: { p50: number; p99: number; samples: number };
  bySubject: { p50: number; p99: number; samples: number; meanFound: number };
  verify: VerifyFigures;
  prune: { seconds: number; removed: number };
  /** verify again after the prune, over half the records: a verify that held the chain would need about half the memory. */
  verifyAfterPrune: VerifyFigures;
}

export interface TrailOptions {
  records: number;
  kinds: ReadonlyArray<AuditLocation['kind']>;
  dataDir: string;
  /** A PostgreSQL server's maintenance database, where the benchmark's own database is created and dropped. */
  postgresAdminUrl: string;
  databaseName: string;
  log: (line: string) => void;
  /** Called with the figures so far after each store is measured, so a long run keeps what it finished. */
  onTrail?: (figures: readonly TrailFigures[]) => void;
}

async function sizeMb(location: AuditLocation): Promise<number> {
  if (location.kind === 'sqlite') {
    const files = [location.file, `${location.file}-wal`].filter(existsSync);
    return files.reduce((total, file) => total + statSync(file).size, 0) / 1048576;
  }
  const { rows } = await withClient(location.url, (client) =>
    client.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(c.oid))::text AS bytes FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE 'audit%'`),
  );
  return Number(rows[0]!.bytes) / 1048576;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** Loads the same synthetic chain into every trail at once: each batch is generated and hashed once. */
async function load(trail: SyntheticTrail, records: number, chain: ChainKeys, writers: BulkWriter[], log: TrailOptions['log']): Promise<void> {
  const builder = new ChainBuilder(chain);
  for (let seq = 1; seq <= records; seq += LOAD_BATCH) {
    const entries = Array.from({ length: Math.min(LOAD_BATCH, records - seq + 1) }, (_, i) => trail.entry(seq + i));
    const batch = builder.next(entries);
    for (const writer of writers) await writer.write(batch);
    if ((seq - 1) % (LOAD_BATCH * 40) === 0) log(`  loaded ${seq - 1} records`);
  }
}

async function appendCost(store: AuditStore, trail: SyntheticTrail, chain: ChainKeys, from: number, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const entry = { ...trail.entry(from + i), time: new Date().toISOString() };
    const started = performance.now();
    await store.append(entry, chain);
    times.push(performance.now() - started);
  }
  return times;
}

export async function subjectSearches(store: AuditStore, trail: SyntheticTrail, samples: number): Promise<{ times: number[]; found: number }> {
  const random = seededRandom(4401);
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < samples; i++) {
    const subject = trail.subject(Math.floor(random() * trail.population));
    const started = performance.now();
    const page = await store.find({ subject }, undefined, 21);
    times.push(performance.now() - started);
    found += page.length;
  }
  return { times, found };
}

function verifyInChild(location: AuditLocation, keyFile: string): VerifyFigures {
  const where = location.kind === 'sqlite' ? location.file : location.url;
  const output = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'scale', 'verify-trail.ts'), where, keyFile, String(CHECKPOINT_EVERY)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split('\n').at(-1)!) as VerifyFigures;
}

export async function measure(location: AuditLocation, trail: SyntheticTrail, options: Pick<TrailOptions, 'log' | 'records'>, chain: ChainKeys, keyFile: string, loadSeconds: number): Promise<TrailFigures> {
  const { log, records } = options;
  const store = await AuditStore.open(location);
  try {
    log(`${location.kind}: indexing subjects`);
    const indexed = await timed(() => indexAll(store));
    // A trail that grew over months has statistics (autovacuum's ANALYZE); a bulk load has none yet.
    if (location.kind === 'postgres') await withClient(location.url, (client) => client.query('ANALYZE'));
    const size = await sizeMb(location);
    log(`${location.kind}: ${size.toFixed(0)} MB; appending`);
    await appendCost(store, trail, chain, records + 1, 200);
    const append = await appendCost(store, trail, chain, records + 201, 2000);
    // The gateway indexes behind its appends: searches meet an index that has caught up.
    await indexAll(store);
    log(`${location.kind}: searching by subject`);
    await subjectSearches(store, trail, 20);
    const searches = await subjectSearches(store, trail, 300);
    log(`${location.kind}: verifying`);
    const verify = verifyInChild(location, keyFile);
    if (!verify.ok) throw new Error(`the ${location.kind} trail did not verify: ${verify.problem}`);
    log(`${location.kind}: pruning`);
    const before = trail.entry(Math.floor(records / 2)).time;
    const pruned = await timed(() => store.prune(before));
    log(`${location.kind}: verifying the pruned trail`);
    const verifyAfterPrune = verifyInChild(location, keyFile);
    if (!verifyAfterPrune.ok) throw new Error(`the pruned ${location.kind} trail did not verify: ${verifyAfterPrune.problem}`);
    return {
      kind: location.kind,
      records,
      loadSeconds,
      indexSeconds: indexed.seconds,
      sizeMb: size,
      append: { ...spread(append), samples: append.length },
      bySubject: { ...spread(searches.times), samples: searches.times.length, meanFound: searches.found / searches.times.length },
      verify,
      prune: { seconds: pruned.seconds, removed: pruned.value.removed },
      verifyAfterPrune,
    };
  } finally {
    await store.close();
  }
}

export async function measureTrails(options: TrailOptions): Promise<TrailFigures[]> {
  const dir = join(options.dataDir, 'audit');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'checkpoint.pem');
  const chain: ChainKeys = { chainKey: BENCH_CHAIN_KEY, checkpointKeys: readCheckpointKeys(keyFile, true), checkpointEvery: CHECKPOINT_EVERY };
  return withPrivateDatabase(options.postgresAdminUrl, options.databaseName, async (postgresUrl) => {
    const locations: AuditLocation[] = options.kinds.map((kind) => (kind === 'sqlite' ? { kind, file: join(dir, 'audit.sqlite') } : { kind, url: postgresUrl }));
    for (const location of locations) await (await AuditStore.open(location)).close();
    const writers = await Promise.all(locations.map(bulkWriter));
    const end = new Date();
    options.log(`loading ${options.records} records into ${options.kinds.join(' and ')}`);
    const loaded = await timed(() => load(syntheticTrail(options.records, end), options.records, chain, writers, options.log));
    await Promise.all(writers.map((w) => w.close()));
    const figures: TrailFigures[] = [];
    // A fresh generator per trail: the same seed gives the same persons and the same appended entries.
    for (const location of locations) {
      figures.push(await measure(location, syntheticTrail(options.records, end), options, chain, keyFile, loaded.seconds));
      options.onTrail?.(figures);
    }
    return figures;
  });
}

/**
 * `auditRecords(subject:)`'s search over a trail the scale run filled and left (a PostgreSQL database kept
 * after the run was stopped, or its SQLite file): the same searches as trail-scale.ts — the store's `find`
 * by subject, a page of 20, for persons of the synthetic trail drawn at random — without loading it again.
 * For trying a change to the search against a trail at full size.
 * Usage: tsx bench/scale/search-trail.ts <sqlite file | postgres URL> <records the trail was filled with> [samples]
 */
import type { AuditLocation } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import { spread } from './percentile';
import { syntheticTrail } from './synthetic-trail';
import { subjectSearches } from './trail-scale';

async function main(): Promise<void> {
  const [where, records, samples = '300'] = process.argv.slice(2);
  if (!where || !records) throw new Error('usage: search-trail.ts <sqlite file | postgres URL> <records> [samples]');
  const location: AuditLocation = /^postgres(ql)?:/.test(where) ? { kind: 'postgres', url: where } : { kind: 'sqlite', file: where };
  const store = await AuditStore.open(location);
  try {
    // The persons are the trail's whatever its end date: only the count of records decides them.
    const trail = syntheticTrail(Number(records), new Date());
    await subjectSearches(store, trail, 20);
    const { times, found } = await subjectSearches(store, trail, Number(samples));
    process.stdout.write(`${JSON.stringify({ kind: location.kind, records: Number(records), ...spread(times), samples: times.length, meanFound: found / times.length })}\n`);
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

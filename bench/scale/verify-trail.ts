/**
 * `audit verify` over a benchmark trail, in a process of its own so that its peak memory is its own:
 * prints the time, the records verified and the peak resident memory as JSON. Run by trail-scale.ts.
 * Usage: tsx bench/scale/verify-trail.ts <sqlite file | postgres URL> <checkpoint key file> <checkpoint every>
 */
import type { AuditLocation } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { verifyChain } from '../../audit/verify-chain';
import { BENCH_CHAIN_KEY } from './synthetic-trail';

export interface VerifyFigures {
  ok: boolean;
  problem?: string;
  records: number;
  ms: number;
  /** Resident memory when the trail was open and verification about to start. */
  startRssMb: number;
  peakRssMb: number;
}

async function main(): Promise<void> {
  const [where, keyFile, every] = process.argv.slice(2);
  if (!where || !keyFile || !every) throw new Error('usage: verify-trail.ts <sqlite file | postgres URL> <checkpoint key file> <checkpoint every>');
  const location: AuditLocation = /^postgres(ql)?:/.test(where) ? { kind: 'postgres', url: where } : { kind: 'sqlite', file: where };
  const store = await AuditStore.open(location);
  const startRssMb = process.memoryUsage().rss / 1048576;
  const started = performance.now();
  const result = await verifyChain(store, { chainKey: BENCH_CHAIN_KEY, checkpointKeys: readCheckpointKeys(keyFile, false), checkpointEvery: Number(every) });
  const ms = performance.now() - started;
  await store.close();
  const figures: VerifyFigures = {
    ok: result.ok,
    ...(!result.ok && { problem: result.problem }),
    records: result.ok ? result.records : 0,
    ms,
    startRssMb,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

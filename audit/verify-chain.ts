/**
 * `audit verify`: walks the chain and its signed checkpoints. Stops at the first record that was changed,
 * removed, inserted or moved, and names it (THREATS F9).
 */
import { entryOf, GENESIS_HASH, recordHash } from './audit-record';
import type { AuditStore } from './audit-store';
import { checkpointIsValid, type CheckpointKeys } from './checkpoint-signer';

export type Verification = { ok: true; records: number; checkpoints: number; lastCheckpoint?: { seq: number; time: string } } | { ok: false; seq: number; problem: string };

const PAGE = 1000;

export async function verifyChain(store: AuditStore, keys: CheckpointKeys): Promise<Verification> {
  const checkpoints = await store.checkpoints();
  for (const checkpoint of checkpoints) {
    if (!checkpointIsValid(keys, checkpoint)) return { ok: false, seq: checkpoint.seq, problem: `the checkpoint at record ${checkpoint.seq} has an invalid signature` };
  }
  const bySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  let expectedSeq: number | undefined;
  let expectedPrev = GENESIS_HASH;
  let count = 0;
  let last = 0;
  for (let page = await store.recordsAfter(0, PAGE); page.length > 0; page = await store.recordsAfter(last, PAGE)) {
    for (const record of page) {
      if (expectedSeq === undefined) {
        // A pruned trail starts right after a signed checkpoint whose hash it continues.
        const anchor = bySeq.get(record.seq - 1);
        if (record.seq !== 1 && !anchor) return { ok: false, seq: record.seq, problem: `the trail starts at record ${record.seq} without a checkpoint before it: earlier records were removed` };
        expectedSeq = record.seq;
        expectedPrev = anchor?.hash ?? GENESIS_HASH;
      }
      if (record.seq > expectedSeq) return { ok: false, seq: expectedSeq, problem: `record ${expectedSeq} is missing (removed)` };
      if (record.prevHash !== expectedPrev) {
        return { ok: false, seq: record.seq, problem: `record ${record.seq} does not follow record ${record.seq - 1}: a record was inserted, removed or moved here` };
      }
      if (recordHash(record.seq, record.prevHash, entryOf(record)) !== record.hash) return { ok: false, seq: record.seq, problem: `record ${record.seq} was changed` };
      const checkpoint = bySeq.get(record.seq);
      if (checkpoint && checkpoint.hash !== record.hash) {
        return { ok: false, seq: record.seq, problem: `record ${record.seq} does not match its signed checkpoint: the chain was rewritten up to here` };
      }
      expectedPrev = record.hash;
      expectedSeq = record.seq + 1;
      last = record.seq;
      count += 1;
    }
  }
  const beyond = checkpoints.find((c) => c.seq >= (expectedSeq ?? 1));
  if (beyond) return { ok: false, seq: expectedSeq ?? 1, problem: `records from ${expectedSeq ?? 1} to ${beyond.seq} were removed (a signed checkpoint covers them)` };
  const lastCheckpoint = checkpoints[checkpoints.length - 1];
  return { ok: true, records: count, checkpoints: checkpoints.length, ...(lastCheckpoint && { lastCheckpoint: { seq: lastCheckpoint.seq, time: lastCheckpoint.time } }) };
}

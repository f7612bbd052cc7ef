/**
 * `audit verify`: walks the chain and its signed checkpoints. Stops at the first record that was changed,
 * removed, inserted or moved, and names it (THREATS F9); a signed checkpoint missing where the interval
 * requires one is a removal too. Reports how far the signed head lags the last record: records after it
 * are covered by the chain key alone (the gateway is running, or stopped without signing, or records
 * after a signed head were removed with it — which only a head kept elsewhere, `expectHead`, can tell).
 * The subject index, outside the chain, must still lead to every record it claims to cover.
 */
import { entryOf, GENESIS_HASH, recordHash } from './audit-record';
import type { AuditStore } from './audit-store';
import type { ChainKeys } from './chain-keys';
import { checkpointIsValid, type Checkpoint } from './checkpoint-signer';
import { SubjectIndexCheck } from './verify-subject-index';

export interface VerifiedChain {
  ok: true;
  records: number;
  checkpoints: number;
  lastCheckpoint?: { seq: number; time: string };
  /** The last record's seq (0 when the trail is empty). */
  lastSeq: number;
  /** Records after the last signed checkpoint: 0 when the head is signed. */
  unsignedRecords: number;
}

export type Verification = VerifiedChain | { ok: false; seq: number; problem: string };

const PAGE = 1000;

/**
 * Verifies the trail with the keys it was written with. With `expectHead` (a signed head an auditor kept
 * elsewhere, `audit head`), it also proves that nothing up to that head was removed or rewritten since.
 */
export async function verifyChain(store: AuditStore, keys: ChainKeys, expectHead?: Checkpoint): Promise<Verification> {
  const subjectIndex = await SubjectIndexCheck.start(store);
  const checkpoints = await store.checkpoints();
  for (const checkpoint of checkpoints) {
    if (!checkpointIsValid(keys.checkpointKeys, checkpoint)) return { ok: false, seq: checkpoint.seq, problem: `the checkpoint at record ${checkpoint.seq} has an invalid signature` };
  }
  if (expectHead && !checkpointIsValid(keys.checkpointKeys, expectHead)) {
    return { ok: false, seq: expectHead.seq, problem: `the expected head at record ${expectHead.seq} is not signed by this trail's checkpoint key` };
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
        if (record.seq !== 1 && !anchor) {
          // Records up to a checkpoint that stayed may have been pruned; those after it, or from the first, were removed.
          const removedFrom = (checkpoints.filter((c) => c.seq < record.seq).at(-1)?.seq ?? 0) + 1;
          return { ok: false, seq: removedFrom, problem: `records from ${removedFrom} to ${record.seq - 1} were removed: the trail starts at record ${record.seq} without a checkpoint before it` };
        }
        if (expectHead && expectHead.seq < record.seq) {
          return { ok: false, seq: expectHead.seq, problem: `the trail starts after record ${record.seq - 1}: the expected head at record ${expectHead.seq} was pruned, and cannot be proven` };
        }
        expectedSeq = record.seq;
        expectedPrev = anchor?.hash ?? GENESIS_HASH;
      }
      if (record.seq > expectedSeq) return { ok: false, seq: expectedSeq, problem: `record ${expectedSeq} is missing (removed)` };
      if (record.prevHash !== expectedPrev) {
        return { ok: false, seq: record.seq, problem: `record ${record.seq} does not follow record ${record.seq - 1}: a record was inserted, removed or moved here` };
      }
      if (recordHash(keys.chainKey, record.seq, record.prevHash, entryOf(record)) !== record.hash) return { ok: false, seq: record.seq, problem: `record ${record.seq} was changed` };
      const checkpoint = bySeq.get(record.seq);
      if (checkpoint && checkpoint.hash !== record.hash) {
        return { ok: false, seq: record.seq, problem: `record ${record.seq} does not match its signed checkpoint: the chain was rewritten up to here` };
      }
      if (!checkpoint && record.seq % keys.checkpointEvery === 0) {
        return { ok: false, seq: record.seq, problem: `the signed checkpoint at record ${record.seq} is missing (one is written every ${keys.checkpointEvery} records): it was removed` };
      }
      if (expectHead?.seq === record.seq && expectHead.hash !== record.hash) {
        return { ok: false, seq: record.seq, problem: `record ${record.seq} is not the record of the expected head: the chain was rewritten up to here` };
      }
      expectedPrev = record.hash;
      expectedSeq = record.seq + 1;
      last = record.seq;
      count += 1;
    }
    const lost = await subjectIndex.page(page);
    if (lost) return { ok: false, ...lost };
  }
  const beyond = checkpoints.find((c) => c.seq >= (expectedSeq ?? 1));
  if (beyond) return { ok: false, seq: expectedSeq ?? 1, problem: `records from ${expectedSeq ?? 1} to ${beyond.seq} were removed (a signed checkpoint covers them)` };
  if (expectHead && expectHead.seq > last) {
    return { ok: false, seq: last + 1, problem: `the trail ends at record ${last}, before the expected head at record ${expectHead.seq}: records from ${last + 1} were removed` };
  }
  const overclaimed = subjectIndex.end(last);
  if (overclaimed) return { ok: false, ...overclaimed };
  const lastCheckpoint = checkpoints[checkpoints.length - 1];
  return {
    ok: true,
    records: count,
    checkpoints: checkpoints.length,
    ...(lastCheckpoint && { lastCheckpoint: { seq: lastCheckpoint.seq, time: lastCheckpoint.time } }),
    lastSeq: last,
    unsignedRecords: last - Math.min(last, lastCheckpoint?.seq ?? 0),
  };
}

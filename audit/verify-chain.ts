/**
 * `audit verify`: walks the chain and its signed checkpoints. Stops at the first record that was changed,
 * removed, inserted or moved, and names it (THREATS F9); a signed checkpoint missing where the interval
 * requires one is a removal too. Reports how far the signed head lags the last record: records after it
 * are covered by the chain key alone (the gateway is running, or stopped without signing, or records
 * after a signed head were removed with it — which only a head kept elsewhere, `expectHeads`, can tell:
 * a witness's, or each gateway's head file). A trail pruned from a checkpoint signed within the retention
 * period lost records that were to be kept (THREATS F10): `prune` never goes that far. The subject index,
 * outside the chain, must still lead to every record it claims to cover.
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
const DAY_MS = 86_400_000;

/** How long records are kept unless configured otherwise (AUDIT_RETENTION_DAYS): MLPS level 3 asks six months. */
export const DEFAULT_RETENTION_DAYS = 180;

export interface VerifyOptions {
  /** Signed heads kept elsewhere (`audit head`, gateways' head files): nothing up to each may have been removed or rewritten. */
  expectHeads?: readonly Checkpoint[];
  /** Records younger than this many days may not have been pruned (default DEFAULT_RETENTION_DAYS). */
  retentionDays?: number;
  /** The time the retention period is counted back from (milliseconds since the epoch; default now). */
  now?: number;
}

/** Verifies the trail with the keys it was written with, and that it kept its retention period and every expected head. */
export async function verifyChain(store: AuditStore, keys: ChainKeys, options: VerifyOptions = {}): Promise<Verification> {
  const expectHeads = options.expectHeads ?? [];
  const keptSince = new Date((options.now ?? Date.now()) - (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS).toISOString();
  const subjectIndex = await SubjectIndexCheck.start(store);
  const checkpoints = await store.checkpoints();
  for (const checkpoint of checkpoints) {
    if (!checkpointIsValid(keys.checkpointKeys, checkpoint)) return { ok: false, seq: checkpoint.seq, problem: `the checkpoint at record ${checkpoint.seq} has an invalid signature` };
  }
  for (const head of expectHeads) {
    if (!checkpointIsValid(keys.checkpointKeys, head)) return { ok: false, seq: head.seq, problem: `the expected head at record ${head.seq} is not signed by this trail's checkpoint key` };
  }
  const expectedHashes = new Map<number, Set<string>>();
  for (const head of expectHeads) expectedHashes.set(head.seq, (expectedHashes.get(head.seq) ?? new Set()).add(head.hash));
  const earliestHead = expectHeads.reduce<Checkpoint | undefined>((earliest, head) => (earliest && earliest.seq <= head.seq ? earliest : head), undefined);
  const latestHead = expectHeads.reduce<Checkpoint | undefined>((latest, head) => (latest && latest.seq >= head.seq ? latest : head), undefined);
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
        if (anchor && anchor.time > keptSince) {
          return { ok: false, seq: anchor.seq, problem: `the trail starts after the checkpoint at record ${anchor.seq}, signed ${anchor.time}: records younger than the retention period (since ${keptSince}) were removed` };
        }
        if (earliestHead && earliestHead.seq < record.seq) {
          return { ok: false, seq: earliestHead.seq, problem: `the trail starts after record ${record.seq - 1}: the expected head at record ${earliestHead.seq} was pruned, and cannot be proven` };
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
      const expected = expectedHashes.get(record.seq);
      if (expected && (expected.size > 1 || !expected.has(record.hash))) {
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
  if (latestHead && latestHead.seq > last) {
    return { ok: false, seq: last + 1, problem: `the trail ends at record ${last}, before the expected head at record ${latestHead.seq}: records from ${last + 1} were removed` };
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

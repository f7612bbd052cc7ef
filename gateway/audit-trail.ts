/**
 * Step 6 (ARCHITECTURE.md): the audit trail the gateway writes — one record per request, permitted or
 * denied, chained by keyed hashes, with signed checkpoints at a fixed interval and a signed head when it
 * closes. Subjects and operators are recorded as keyed HMACs. The last record it appended is kept, signed,
 * in its head file too, outside the database, after every group it appends: started again, it appends only
 * onto a trail that still holds that record.
 */
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore, AuditTrailCut } from '../audit/audit-store';
import { readChainKey, type ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys, signCheckpoint, type Checkpoint } from '../audit/checkpoint-signer';
import { openHeadKeeper, readHeadFile } from '../audit/head-file';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../audit/subject-hasher';
import type { GatewayConfig } from './config';

export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
  hashSubject: SubjectHasher;
  /** Resolves when a record could be written now (waiting at most `waitMs` for the store's lock). */
  probeWrite(waitMs: number): Promise<void>;
  /** Brings the subject index up to date, signs the head, and closes the store; rejects when the head could not be signed. */
  close(): Promise<void>;
}

/** At most this many records go into one group commit. */
const MAX_GROUP = 256;

/**
 * Group commit: the records of requests that finish in the same turn of the event loop — and, while one
 * group is being written, all that arrive meanwhile — are appended in one transaction. Each request still
 * waits until its own record is written (fail closed); a group that cannot be written fails every
 * request in it.
 */
export function groupCommit(write: (entries: AuditEntry[]) => Promise<unknown>): (entry: AuditEntry) => Promise<void> {
  let waiting: Array<{ entry: AuditEntry; resolve: () => void; reject: (error: unknown) => void }> = [];
  let writing = false;
  const flush = async () => {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting.slice(0, MAX_GROUP);
      waiting = waiting.slice(group.length);
      try {
        await write(group.map((w) => w.entry));
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    writing = false;
  };
  return (entry) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ entry, resolve, reject });
      if (waiting.length === 1 && !writing) setImmediate(() => void flush());
    });
}

/** How often the subject index catches up with the appended records (searches also scan what it has not reached). */
const SUBJECT_INDEX_INTERVAL_MS = 1000;

/**
 * Opens the trail for appending. When the trail no longer holds the head kept in `config.headFile` (its
 * newest records were cut, or rewritten, while this gateway was stopped), or no longer holds a record this
 * process appended (a cut while it runs), `onTrailCut` hears why once, and every append, write probe and
 * head signing is refused (AuditTrailCut): the gateway answers AUDIT_UNAVAILABLE and is not ready until an
 * operator has looked.
 *
 * The head file holds the last record appended before any cut, never one over it: it is rewritten only
 * after a group was appended onto an uncut trail, and at stop with the head signed over the uncut trail.
 * So a gateway stopped (or crashed) after a cut finds, started again, a head the trail no longer holds.
 */
export async function openAuditTrail(
  config: GatewayConfig['audit'],
  onIndexError: (error: unknown) => void,
  onTrailCut: (problem: string) => void,
): Promise<AuditTrail> {
  const chain: ChainKeys = {
    chainKey: readChainKey(config.chainKeyFile, false),
    checkpointKeys: readCheckpointKeys(config.checkpointKeyFile, false),
    checkpointEvery: config.checkpointEvery,
  };
  const hashSubject = createSubjectHasher(readHmacKey(config.hmacKeyFile, false));
  const keptAtStart = readHeadFile(config.headFile);
  const store = await AuditStore.open(config.location);
  const problem = keptAtStart && (await store.resumeAfter(keptAtStart));
  let cut = problem && `the audit trail no longer holds record ${keptAtStart.seq} of the head kept in ${config.headFile}: ${problem}`;
  if (cut) onTrailCut(cut);
  /** What the head file holds, and the newest record this process appended (always before any cut: the store appends nothing over one). */
  let kept: Checkpoint | undefined = keptAtStart;
  let appended: Pick<Checkpoint, 'seq' | 'hash' | 'time'> | undefined;
  const headFile = openHeadKeeper(config.headFile);
  /** Replaces the kept head; `flush` syncs it to disk (at checkpoints and at stop: see HeadKeeper). */
  const keep = async (head: Checkpoint, flush: boolean) => {
    await headFile.keep(head, { flush });
    kept = head;
  };
  /** Keeps the newest record appended, signed, unless the head file already holds it or a later one. */
  const keepAppended = async (flush: boolean) => {
    if (appended && !(kept && kept.seq >= appended.seq)) await keep(signCheckpoint(chain.checkpointKeys, appended.seq, appended.hash, appended.time), flush);
  };
  /** A cut, first heard of: said once, and the head file left with (or given) the last record appended before it. */
  const heardOf = async (error: unknown): Promise<never> => {
    if (error instanceof AuditTrailCut) {
      if (!cut) onTrailCut((cut = error.message));
      await keepAppended(true);
    }
    throw error;
  };
  const catchUp = async () => {
    while ((await store.indexSubjects()) > 0);
  };
  let indexing: Promise<void> | undefined;
  const timer = setInterval(() => {
    indexing ??= catchUp()
      .catch(onIndexError)
      .finally(() => (indexing = undefined));
  }, SUBJECT_INDEX_INTERVAL_MS).unref();
  return {
    // A group is answered once its head is kept: a crash loses from the head file at most the group being written.
    append: groupCommit(async (entries) => {
      const records = await store.appendAll(entries, chain).catch(heardOf);
      appended = records.at(-1);
      await keepAppended(records.some((record) => record.seq % chain.checkpointEvery === 0));
    }),
    hashSubject,
    probeWrite: (waitMs) => (cut ? Promise.reject(new AuditTrailCut(cut)) : store.probeWrite(waitMs).catch(heardOf)),
    async close() {
      clearInterval(timer);
      await indexing;
      await catchUp().catch(onIndexError);
      try {
        // Signed only while the trail still holds every record this process appended (else AuditTrailCut, and the head file keeps the last record before the cut).
        const head = await store.checkpointHead(chain.checkpointKeys).catch(heardOf);
        if (head) await keep(head, true);
      } finally {
        headFile.close();
        await store.close();
      }
    },
  };
}

/**
 * Step 6 (ARCHITECTURE.md): the audit trail the gateway writes — one record per request, permitted or
 * denied, chained by keyed hashes, with signed checkpoints at a fixed interval and a signed head when it
 * closes. Subjects and operators are recorded as keyed HMACs. The last checkpoint it signed is kept in its
 * head file too, outside the database: started again, it appends only onto a trail that still holds it.
 */
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore, AuditTrailCut } from '../audit/audit-store';
import { readChainKey, type ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys, signCheckpoint } from '../audit/checkpoint-signer';
import { readHeadFile, writeHeadFile } from '../audit/head-file';
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
 * newest records were cut, or rewritten, while this gateway was stopped), `onTrailCut` hears why once, and
 * every append, write probe and head signing is refused (AuditTrailCut): the gateway answers
 * AUDIT_UNAVAILABLE and is not ready until an operator has looked.
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
  const kept = readHeadFile(config.headFile);
  const store = await AuditStore.open(config.location);
  const problem = kept && (await store.resumeAfter(kept));
  const cut = problem && `the audit trail no longer holds record ${kept.seq} of the head kept in ${config.headFile}: ${problem}`;
  if (cut) onTrailCut(cut);
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
    append: groupCommit(async (entries) => {
      const records = await store.appendAll(entries, chain);
      // The store signed a checkpoint at each multiple: the newest is kept (Ed25519 signs it the same again).
      const signed = records.filter((record) => record.seq % chain.checkpointEvery === 0).at(-1);
      if (signed) await writeHeadFile(config.headFile, signCheckpoint(chain.checkpointKeys, signed.seq, signed.hash, signed.time));
    }),
    hashSubject,
    probeWrite: (waitMs) => (cut ? Promise.reject(new AuditTrailCut(cut)) : store.probeWrite(waitMs)),
    async close() {
      clearInterval(timer);
      await indexing;
      await catchUp().catch(onIndexError);
      try {
        const head = await store.checkpointHead(chain.checkpointKeys);
        if (head) await writeHeadFile(config.headFile, head);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * Step 6 (ARCHITECTURE.md): the audit trail the gateway writes — one record per request, permitted or
 * denied, chained by keyed hashes, with signed checkpoints at a fixed interval and a signed head when it
 * closes. Subjects and operators are recorded as keyed HMACs.
 */
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readChainKey, type ChainKeys } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
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

export async function openAuditTrail(config: GatewayConfig['audit'], onIndexError: (error: unknown) => void): Promise<AuditTrail> {
  const chain: ChainKeys = {
    chainKey: readChainKey(config.chainKeyFile, false),
    checkpointKeys: readCheckpointKeys(config.checkpointKeyFile, false),
    checkpointEvery: config.checkpointEvery,
  };
  const hashSubject = createSubjectHasher(readHmacKey(config.hmacKeyFile, false));
  const store = await AuditStore.open(config.location);
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
    append: groupCommit((entries) => store.appendAll(entries, chain)),
    hashSubject,
    probeWrite: (waitMs) => store.probeWrite(waitMs),
    async close() {
      clearInterval(timer);
      await indexing;
      await catchUp().catch(onIndexError);
      try {
        await store.checkpointHead(chain.checkpointKeys);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * Step 6 (ARCHITECTURE.md): the audit trail the gateway writes — one hash-chained record per request,
 * permitted or denied, with signed checkpoints. Subjects and operators are recorded as keyed HMACs.
 */
import type { AuditEntry } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../audit/subject-hasher';
import type { GatewayConfig } from './config';

export interface AuditTrail {
  append(entry: AuditEntry): Promise<void>;
  hashSubject: SubjectHasher;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How often the subject index catches up with the appended records (searches also scan what it has not reached). */
const SUBJECT_INDEX_INTERVAL_MS = 1000;

export async function openAuditTrail(config: GatewayConfig['audit'], onIndexError: (error: unknown) => void): Promise<AuditTrail> {
  const keys = readCheckpointKeys(config.checkpointKeyFile, false);
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
    append: async (entry) => void (await store.append(entry, keys, config.checkpointEvery)),
    hashSubject,
    ping: () => store.ping(),
    async close() {
      clearInterval(timer);
      await indexing;
      await catchUp().catch(onIndexError);
      await store.checkpointHead(keys).catch(() => undefined);
      await store.close();
    },
  };
}

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

export async function openAuditTrail(config: GatewayConfig['audit']): Promise<AuditTrail> {
  const keys = readCheckpointKeys(config.checkpointKeyFile, false);
  const hashSubject = createSubjectHasher(readHmacKey(config.hmacKeyFile, false));
  const store = await AuditStore.open(config.location);
  return {
    append: async (entry) => void (await store.append(entry, keys, config.checkpointEvery)),
    hashSubject,
    ping: () => store.ping(),
    async close() {
      await store.checkpointHead(keys).catch(() => undefined);
      await store.close();
    },
  };
}

/**
 * The audit department reads the gateway's trail (the same SQLite file, or the same PostgreSQL database)
 * through the audit module's store, and the contracts, to name apps and purposes in a person's access log.
 */
import type { Kysely } from 'kysely';
import type { AuditDatabase } from '../../audit/audit-database';
import { migrateAuditDatabase } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../../audit/subject-hasher';
import type { SubgraphConfig } from '../kit/config';
import type { DepartmentStore } from '../kit/department';
import { loadContracts } from '../../contracts/load-contracts';

export interface PurposeInfo {
  appName: string;
  owner: string;
  description: string;
  discloseToSubject: boolean;
}

export interface AuditDepartmentStore extends DepartmentStore {
  trail: AuditStore;
  hashSubject: SubjectHasher;
  /** What a contract says of an app's purpose, for the access log. */
  purpose(app: string | null, purpose: string | null): PurposeInfo | undefined;
}

export function createAuditDepartmentStore(db: Kysely<AuditDatabase>, config: Readonly<SubgraphConfig>): AuditDepartmentStore {
  const kind = config.database.kind;
  const trail = AuditStore.over(db, kind);
  const purposes = new Map<string, PurposeInfo>();
  for (const { contract } of loadContracts(config.contractsDir).contracts) {
    for (const p of contract.purposes) {
      purposes.set(`${contract.app}/${p.code}`, { appName: contract.name, owner: contract.owner, description: p.description, discloseToSubject: p.discloseToSubject });
    }
  }
  return {
    trail,
    hashSubject: createSubjectHasher(readHmacKey(config.auditHmacKeyFile, false)),
    purpose: (app, purpose) => purposes.get(`${app}/${purpose}`),
    migrate: () => migrateAuditDatabase(db, kind),
    // The trail is the gateway's record, not seed data: it is never empty for seeding and never dropped.
    isEmpty: async () => false,
    drop: async () => undefined,
    ping: () => trail.ping(),
  };
}

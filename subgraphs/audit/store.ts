/**
 * The audit department reads the gateway's trail (the same SQLite file, or the same PostgreSQL database)
 * through the audit module's store, and the contracts: to name apps and purposes in a person's access log,
 * and to publish the access matrix and the contracts' history to auditors. It keeps that history in its
 * own table beside the trail.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { AuditDatabase } from '../../audit/audit-database';
import { prepareAuditDatabase } from '../../audit/audit-database';
import { AuditStore } from '../../audit/audit-store';
import { readChainKey, type ChainKeys } from '../../audit/chain-keys';
import type { CheckpointKeys } from '../../audit/checkpoint-signer';
import { createSubjectHasher, readHmacKey, type SubjectHasher } from '../../audit/subject-hasher';
import { accessMatrix, type MatrixRow } from '../../contracts/access-matrix';
import type { ContractDocument } from '../../contracts/contract-schema';
import { loadContracts, loadPlatform } from '../../contracts/load-contracts';
import { buildCatalog } from '../../contracts/supergraph-catalog';
import type { DepartmentStore, SubgraphConfig } from '@govgraph/department-kit';
import { migrateContractRevisions, recordContractRevision } from './contract-revisions';
import type { AuditDepartmentDatabase } from './department-database';

export interface PurposeInfo {
  appName: string;
  owner: string;
  description: string;
  discloseToSubject: boolean;
}

export interface AuditDepartmentStore extends DepartmentStore {
  trail: AuditStore;
  /** The trail's database, for the statistics. */
  trailDb: Kysely<AuditDatabase>;
  revisionsDb: Kysely<AuditDepartmentDatabase>;
  hashSubject: SubjectHasher;
  /** Verifies the chain and its checkpoints' signatures; holds no private key. */
  chain: ChainKeys;
  /** The retention period verification holds the trail to (AUDIT_RETENTION_DAYS). */
  retentionDays: number;
  /** What a contract says of an app's purpose, for the access log. */
  purpose(app: string | null, purpose: string | null): PurposeInfo | undefined;
  contract(app: string): ContractDocument | undefined;
  /** The contracts' apps, in order. */
  apps: readonly ContractDocument[];
  /** Every grant of the contracts in force, described against the supergraph. */
  matrix: readonly MatrixRow[];
}

/** The checkpoint key file may hold the Ed25519 private key (development) or only its public key. */
function readCheckpointVerifier(file: string): CheckpointKeys {
  try {
    return { publicKey: createPublicKey(readFileSync(file)) };
  } catch {
    throw new Error(`Cannot read the audit checkpoint key at ${file}: start the gateway once, or set AUDIT_CHECKPOINT_KEY_FILE.`);
  }
}

/** The supergraph's catalog, and the platform's subject keys (the access matrix describes arguments naming subjects). */
function readCatalog(config: Readonly<SubgraphConfig>) {
  const { platform } = loadPlatform(config.platformFile);
  try {
    return { catalog: buildCatalog(readFileSync(config.supergraphFile, 'utf8'), platform?.undeclaredSharingClass ?? 'CONDITIONAL'), declarations: { subjectKeys: platform?.subjectKeys ?? {}, subjectArguments: platform?.subjectArguments ?? {} } };
  } catch {
    throw new Error(`Cannot read the supergraph at ${config.supergraphFile}: run npm run compose, or set SUPERGRAPH_FILE.`);
  }
}

export function createAuditDepartmentStore(db: Kysely<AuditDatabase>, config: Readonly<SubgraphConfig>): AuditDepartmentStore {
  const kind = config.database.kind;
  const trail = AuditStore.over(db, kind);
  const revisionsDb = db.withTables<Pick<AuditDepartmentDatabase, 'contractRevision'>>();
  const contracts = loadContracts(config.contractsDir).contracts.map((c) => c.contract);
  const byApp = new Map(contracts.map((c) => [c.app, c]));
  const purposes = new Map<string, PurposeInfo>();
  for (const contract of contracts) {
    for (const p of contract.purposes) {
      purposes.set(`${contract.app}/${p.code}`, { appName: contract.name, owner: contract.owner, description: p.description, discloseToSubject: p.discloseToSubject });
    }
  }
  return {
    trail,
    trailDb: db,
    revisionsDb,
    hashSubject: createSubjectHasher(readHmacKey(config.auditHmacKeyFile, false)),
    chain: {
      chainKey: readChainKey(config.auditChainKeyFile, false),
      checkpointKeys: readCheckpointVerifier(config.auditCheckpointKeyFile),
      checkpointEvery: config.auditCheckpointEvery,
    },
    retentionDays: config.auditRetentionDays,
    purpose: (app, purpose) => purposes.get(`${app}/${purpose}`),
    contract: (app) => byApp.get(app),
    apps: [...contracts].sort((a, b) => (a.app < b.app ? -1 : 1)),
    matrix: (({ catalog, declarations }) => accessMatrix(contracts, catalog, declarations))(readCatalog(config)),
    migrate: async () => {
      // A role that does not own the trail finds the revisions' table made by `npm run audit -- migrate`.
      if (await prepareAuditDatabase(db, kind)) await migrateContractRevisions(revisionsDb);
      await recordContractRevision(revisionsDb, contracts, new Date().toISOString());
    },
    // The trail is the gateway's record, not seed data: it is never empty for seeding and never dropped.
    isEmpty: async () => false,
    drop: async () => undefined,
    ping: () => trail.ping(),
  };
}

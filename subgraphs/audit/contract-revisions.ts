/**
 * The history of the contract set the platform enforces. The contracts live in git, but a deployment's
 * auditors need what was in force, not what a branch says: at start-up the audit department records a
 * revision — content hash, time, the parsed contracts as JSON — in its own database whenever the set it
 * loads differs from the last one recorded. Comments and formatting do not make a revision.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { canonicalJson } from '../../audit/canonical-json';
import type { ContractDocument } from '../../contracts/contract-schema';
import { revisedContracts, type RevisedContract } from '../../contracts/revised-contracts';
import type { AuditDepartmentDatabase } from './department-database';

export interface ContractRevision {
  id: number;
  hash: string;
  recordedAt: string;
  apps: string[];
  /** What this revision did to each contract, against the revision before it. */
  contracts: RevisedContract[];
}

export async function migrateContractRevisions(db: Kysely<AuditDepartmentDatabase>): Promise<void> {
  await db.schema
    .createTable('contractRevision')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('recordedAt', 'varchar(32)', (c) => c.notNull())
    .addColumn('contracts', 'text', (c) => c.notNull())
    .execute();
}

/** Lets the gateway's role, which the audit service shares, read and add revisions: never change or remove one. */
export async function grantContractRevisions(db: Kysely<AuditDepartmentDatabase>, role: string): Promise<void> {
  await sql`REVOKE ALL ON "contractRevision" FROM ${sql.id(role)}`.execute(db);
  await sql`GRANT SELECT, INSERT ON "contractRevision" TO ${sql.id(role)}`.execute(db);
}

function sortedByApp(contracts: readonly ContractDocument[]): ContractDocument[] {
  return [...contracts].sort((a, b) => a.app.localeCompare(b.app));
}

export function contractSetHash(contracts: readonly ContractDocument[]): string {
  return createHash('sha256').update(canonicalJson(sortedByApp(contracts))).digest('hex');
}

/** Records the set as a new revision unless it is the latest one already. Returns the latest revision's id. */
export async function recordContractRevision(db: Kysely<AuditDepartmentDatabase>, contracts: readonly ContractDocument[], now: string): Promise<number> {
  const hash = contractSetHash(contracts);
  const latest = await db.selectFrom('contractRevision').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (latest?.hash === hash) return Number(latest.id);
  const id = Number(latest?.id ?? 0) + 1;
  // Two audit replicas starting together may both try: the first one's row stands.
  await db
    .insertInto('contractRevision')
    .values({ id, hash, recordedAt: now, contracts: JSON.stringify(sortedByApp(contracts)) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return id;
}

/** Newest first; one row more is read than listed, the one the oldest listed revision is compared with. */
export async function listContractRevisions(db: Kysely<AuditDepartmentDatabase>, limit: number): Promise<ContractRevision[]> {
  const rows = await db.selectFrom('contractRevision').selectAll().orderBy('id', 'desc').limit(limit + 1).execute();
  const sets = rows.map((row) => JSON.parse(row.contracts) as ContractDocument[]);
  return rows.slice(0, limit).map((row, index) => ({
    id: Number(row.id),
    hash: row.hash,
    recordedAt: row.recordedAt,
    apps: sets[index]!.map((c) => c.app),
    contracts: revisedContracts(sets[index + 1] ?? [], sets[index]!),
  }));
}

export async function contractsAtRevision(db: Kysely<AuditDepartmentDatabase>, id: number): Promise<ContractDocument[] | undefined> {
  const row = await db.selectFrom('contractRevision').select('contracts').where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.contracts) as ContractDocument[]) : undefined;
}

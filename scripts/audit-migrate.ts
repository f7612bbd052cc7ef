/**
 * `npm run audit -- migrate`: creates or upgrades the audit trail's schema as its owner, and on PostgreSQL
 * grants the gateway's role — the user of AUDIT_DATABASE_URL, when it is not the owner — what appending and
 * reading need: no deletes, no changes, no prune (docs/operations.md, "The audit database's roles").
 */
import { sql, type Kysely } from 'kysely';
import { grantAuditWriter, migrateAuditDatabase, openAuditDatabase, roleOf } from '../audit/audit-database';
import { grantContractRevisions, migrateContractRevisions } from '../subgraphs/audit/contract-revisions';
import type { AuditDepartmentDatabase } from '../subgraphs/audit/department-database';

/** Migrates the PostgreSQL trail at `ownerUrl`; returns what it did, in one line. */
export async function migratePostgresTrail(ownerUrl: string, writerUrl: string | undefined): Promise<string> {
  const { db } = openAuditDatabase({ kind: 'postgres', url: ownerUrl });
  try {
    await migrateAuditDatabase(db, 'postgres');
    // The audit service's history of the contracts lives beside the trail and shares the gateway's role.
    const revisions: Kysely<AuditDepartmentDatabase> = db.withTables<Pick<AuditDepartmentDatabase, 'contractRevision'>>();
    await migrateContractRevisions(revisions);
    const { owner } = (await sql<{ owner: string }>`SELECT current_user AS "owner"`.execute(db)).rows[0]!;
    const writer = writerUrl === undefined ? owner : roleOf(writerUrl);
    if (writer === owner) return `audit trail migrated; its owner ${owner} is the gateway's role too, so the append-only guard yields to it`;
    await grantAuditWriter(db, writer);
    await grantContractRevisions(revisions, writer);
    return `audit trail migrated as ${owner}; ${writer} may append and read, not change, delete or prune`;
  } finally {
    await db.destroy();
  }
}

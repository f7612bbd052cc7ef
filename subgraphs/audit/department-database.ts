/** The audit department's view of its database: the gateway's trail, and the contract revisions it records beside it. */
import type { AuditDatabase } from '../../audit/audit-database';

export type AuditDepartmentDatabase = AuditDatabase & {
  contractRevision: { id: number; hash: string; recordedAt: string; contracts: string };
};

import type DataLoader from 'dataloader';
import type { AuditRecord } from '../../audit/audit-record';
import { childrenLoader } from '@govgraph/department-kit';
import type { AuditDepartmentStore } from './store';

/** How many log entries a person's access log holds at most per request. */
export const ACCESS_LOG_LIMIT = 100;

export interface AuditLoaders {
  /** Records about a subject, by the subject's HMAC. */
  recordsAbout: DataLoader<string, Array<AuditRecord & { subject: string }>>;
}

export function createLoaders(store: AuditDepartmentStore): AuditLoaders {
  return { recordsAbout: childrenLoader((hmacs) => store.trail.recordsAbout(hmacs, ACCESS_LOG_LIMIT), (row) => row.subject) };
}

/** The audit trail is written by the gateway as the graph is used; there is nothing to seed. */
import type { World } from '@govgraph/department-kit';
import type { AuditDepartmentStore } from './store';

export async function seed(_store: AuditDepartmentStore, _world: World): Promise<void> {}

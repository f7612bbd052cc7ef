/** 审计 audit: the trail, served to auditors and to citizens. `tsx subgraphs/audit` runs it alone. */
import { join } from 'node:path';
import type { AuditDatabase } from '../../audit/audit-database';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { contractResolvers } from './contract-resolvers';
import { createLoaders, type AuditLoaders } from './loaders';
import { seed } from './seed';
import { createAuditDepartmentStore, type AuditDepartmentStore } from './store';
import { trailResolvers } from './trail-resolvers';

export const department: Department<AuditDatabase, AuditDepartmentStore, AuditLoaders> = {
  name: 'audit',
  title: '审计 audit',
  defaultPort: 4006,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers: { ...trailResolvers, Query: { ...trailResolvers.Query, ...contractResolvers.Query } },
  createStore: createAuditDepartmentStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

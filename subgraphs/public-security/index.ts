/** 公安 public security: persons and household registration. `tsx subgraphs/public-security` runs it alone. */
import { join } from 'node:path';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { createLoaders, type PublicSecurityLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createPublicSecurityStore, type PublicSecurityDatabase, type PublicSecurityStore } from './store';

export const department: Department<PublicSecurityDatabase, PublicSecurityStore, PublicSecurityLoaders> = {
  name: 'public-security',
  title: '公安 public security',
  defaultPort: 4001,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createPublicSecurityStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

/** 政务服务 service hall: the catalogue and applications. `tsx subgraphs/service-hall` runs it alone. */
import { join } from 'node:path';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { createLoaders, type ServiceHallLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createServiceHallStore, type ServiceHallDatabase, type ServiceHallStore } from './store';

export const department: Department<ServiceHallDatabase, ServiceHallStore, ServiceHallLoaders> = {
  name: 'service-hall',
  title: '政务服务 service hall',
  defaultPort: 4004,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createServiceHallStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

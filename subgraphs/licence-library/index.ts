/** 电子证照库 the electronic certificate library (政务服务数据管理局). `tsx subgraphs/licence-library` runs it alone. */
import { join } from 'node:path';
import { runDepartment, type Department } from '@govgraph/department-kit';
import { createLoaders, type LicenceLibraryLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createLicenceLibraryStore, type LicenceLibraryDatabase, type LicenceLibraryStore } from './store';

export const department: Department<LicenceLibraryDatabase, LicenceLibraryStore, LicenceLibraryLoaders> = {
  name: 'licence-library',
  title: '电子证照库 electronic certificate library',
  defaultPort: 4007,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createLicenceLibraryStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

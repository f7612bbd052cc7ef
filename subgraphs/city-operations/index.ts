/** 城市运行 city operations: events, dispatches and grids. `tsx subgraphs/city-operations` runs it alone. */
import { join } from 'node:path';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { createLoaders, type CityOperationsLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createCityOperationsStore, type CityOperationsDatabase, type CityOperationsStore } from './store';

export const department: Department<CityOperationsDatabase, CityOperationsStore, CityOperationsLoaders> = {
  name: 'city-operations',
  title: '城市运行 city operations',
  defaultPort: 4005,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createCityOperationsStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

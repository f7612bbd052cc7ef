/** 民政 civil affairs: marriages and subsistence allowance. `tsx subgraphs/civil-affairs` runs it alone. */
import { join } from 'node:path';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { createLoaders, type CivilAffairsLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createCivilAffairsStore, type CivilAffairsDatabase, type CivilAffairsStore } from './store';

export const department: Department<CivilAffairsDatabase, CivilAffairsStore, CivilAffairsLoaders> = {
  name: 'civil-affairs',
  title: '民政 civil affairs',
  defaultPort: 4003,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createCivilAffairsStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

/** 住房公积金中心 the housing provident fund centre, a department outside the GovGraph repository. `npm start` runs it. */
import { join } from 'node:path';
import { runDepartment, type Department } from '@govgraph/department-kit';
import { createLoaders, type HousingFundLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createHousingFundStore, type HousingFundDatabase, type HousingFundStore } from './store';

export const department: Department<HousingFundDatabase, HousingFundStore, HousingFundLoaders> = {
  name: 'housing-fund',
  title: '住房公积金中心 housing provident fund',
  defaultPort: 4100,
  schemaFile: join(__dirname, '..', 'schema.graphql'),
  resolvers,
  createStore: createHousingFundStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

/** 市场监管 market regulation: enterprises, licences, penalties. `tsx subgraphs/market-regulation` runs it alone. */
import { join } from 'node:path';
import type { Department } from '../kit/department';
import { runDepartment } from '../kit/run';
import { createLoaders, type MarketRegulationLoaders } from './loaders';
import { resolvers } from './resolvers';
import { seed } from './seed';
import { createMarketRegulationStore, type MarketRegulationDatabase, type MarketRegulationStore } from './store';

export const department: Department<MarketRegulationDatabase, MarketRegulationStore, MarketRegulationLoaders> = {
  name: 'market-regulation',
  title: '市场监管 market regulation',
  defaultPort: 4002,
  schemaFile: join(__dirname, 'schema.graphql'),
  resolvers,
  createStore: createMarketRegulationStore,
  createLoaders,
  seed,
};

if (require.main === module) runDepartment(department);

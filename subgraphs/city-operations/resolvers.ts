import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { readPage, toConnection, type PageArguments } from '../kit/connection';
import type { DepartmentContext } from '../kit/department';
import { regionPrefix } from '../kit/identifiers/region-code';
import type { CityOperationsLoaders } from './loaders';
import type { CityEventFilter, CityEventRow, CityEventStatus, CityOperationsStore } from './store';

type Context = DepartmentContext<CityOperationsStore, CityOperationsLoaders>;

interface CityEventsArguments extends PageArguments {
  regionCode?: string | null;
  status?: CityEventStatus | null;
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    cityEvents: async (_: unknown, args: CityEventsArguments, { store, loaders }: Context) => {
      const page = readPage(args);
      const filter: CityEventFilter = {
        ...(args.regionCode && { regionPrefix: regionPrefix(args.regionCode) }),
        ...(args.status && { status: args.status }),
      };
      const rows = await store.eventPage(filter, page.afterKey, page.fetch);
      for (const row of rows) loaders.event.prime(row.id, row);
      return toConnection(rows, page, (row) => row.id, () => store.countEvents(filter));
    },
    cityEvent: (_: unknown, args: { id: string }, { loaders }: Context) => loaders.event.load(args.id),
    grids: (_: unknown, args: { regionCode: string }, { store }: Context) => store.gridsInRegion(regionPrefix(args.regionCode)),
  },
  CityEvent: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.event.load(reference.id),
    grid: (event: CityEventRow, _: unknown, { loaders }: Context) => loaders.grid.load(event.gridCode),
    enterprise: (event: CityEventRow) => (event.enterprise ? { creditCode: event.enterprise } : null),
    dispatches: (event: CityEventRow, _: unknown, { loaders }: Context) => loaders.dispatches.load(event.id),
  },
  Grid: {
    __resolveReference: (reference: { code: string }, { loaders }: Context) => loaders.grid.load(reference.code),
  },
  Enterprise: {
    cityEvents: (enterprise: { creditCode: string }, _: unknown, { loaders }: Context) => loaders.eventsOfEnterprise.load(enterprise.creditCode),
  },
};

import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { emptyConnection, readPage, toConnection, type PageArguments } from '../kit/connection';
import { narrowRegion } from '../kit/region-restriction';
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
    cityEvents: async (_: unknown, args: CityEventsArguments, { store, loaders, caller }: Context) => {
      const page = readPage(args);
      // The caller's region restriction (its contract's, its token's) limits the rows at the source.
      const region = narrowRegion(args.regionCode ? regionPrefix(args.regionCode) : undefined, caller.regions);
      if (region === null) return emptyConnection();
      const filter: CityEventFilter = {
        ...(region && { regionPrefix: region }),
        ...(args.status && { status: args.status }),
      };
      const rows = await store.eventPage(filter, page.afterKey, page.fetch);
      for (const row of rows) loaders.event.prime(row.id, row);
      return toConnection(rows, page, (row) => row.id, () => store.countEvents(filter));
    },
    cityEvent: (_: unknown, args: { id: string }, { loaders }: Context) => loaders.event.load(args.id),
    grids: (_: unknown, args: { regionCode: string }, { store, caller }: Context) => {
      const region = narrowRegion(regionPrefix(args.regionCode), caller.regions);
      return region ? store.gridsInRegion(region) : [];
    },
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

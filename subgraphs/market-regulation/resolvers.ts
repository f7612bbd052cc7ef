import { emptyConnection, narrowRegion, readPage, regionPrefix, toConnection, type DepartmentContext, type DepartmentResolvers, type PageArguments } from '@govgraph/department-kit';
import type { MarketRegulationLoaders } from './loaders';
import type { EnterpriseFilter, EnterpriseRow, EnterpriseStatus, MarketRegulationStore } from './store';

type Context = DepartmentContext<MarketRegulationStore, MarketRegulationLoaders>;

interface EnterprisesArguments extends PageArguments {
  regionCode?: string | null;
  status?: EnterpriseStatus | null;
}

export const resolvers: DepartmentResolvers<MarketRegulationStore, MarketRegulationLoaders> = {
  Query: {
    enterprise: (_: unknown, args: { creditCode: string }, { loaders }: Context) => loaders.enterprise.load(args.creditCode),
    enterpriseByName: async (_: unknown, args: { name: string }, { store }: Context) => (await store.enterpriseByName(args.name.trim())) ?? null,
    enterprises: async (_: unknown, args: EnterprisesArguments, { store, loaders, caller }: Context) => {
      const page = readPage(args);
      // The caller's region restriction (its contract's, its token's) limits the rows at the source.
      const region = narrowRegion(args.regionCode ? regionPrefix(args.regionCode) : undefined, caller.regions);
      if (region === null) return emptyConnection();
      const filter: EnterpriseFilter = {
        ...(region && { regionPrefix: region }),
        ...(args.status && { status: args.status }),
      };
      const rows = await store.enterprisePage(filter, page.afterKey, page.fetch);
      for (const row of rows) loaders.enterprise.prime(row.creditCode, row);
      return toConnection(rows, page, (row) => row.creditCode, () => store.countEnterprises(filter));
    },
  },
  Enterprise: {
    __resolveReference: (reference: { creditCode: string }, { loaders }: Context) => loaders.enterprise.load(reference.creditCode),
    legalRepresentative: (enterprise: EnterpriseRow) => ({ idNumber: enterprise.legalRepresentative }),
    licences: (enterprise: EnterpriseRow, _: unknown, { loaders }: Context) => loaders.licences.load(enterprise.creditCode),
    penalties: (enterprise: EnterpriseRow, _: unknown, { loaders }: Context) => loaders.penalties.load(enterprise.creditCode),
  },
  Person: {
    enterprises: (person: { idNumber: string }, _: unknown, { loaders }: Context) => loaders.enterprisesOfRepresentative.load(person.idNumber),
  },
};

import type { DepartmentContext, DepartmentResolvers } from '@govgraph/department-kit';
import type { HousingFundLoaders } from './loaders';
import type { AccountRow, HousingFundStore } from './store';

type Context = DepartmentContext<HousingFundStore, HousingFundLoaders>;

export const resolvers: DepartmentResolvers<HousingFundStore, HousingFundLoaders> = {
  Person: {
    housingFund: (person: { idNumber: string }, _: unknown, { loaders }: Context) => loaders.account.load(person.idNumber),
  },
  HousingFundAccount: {
    // A reference the gateway resolves at market regulation.
    employer: (account: AccountRow) => (account.employer === null ? null : { creditCode: account.employer }),
  },
};

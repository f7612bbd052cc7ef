import type { DepartmentContext, DepartmentResolvers } from '@govgraph/department-kit';
import type { PublicSecurityLoaders } from './loaders';
import type { PersonRow, PublicSecurityStore } from './store';

type Context = DepartmentContext<PublicSecurityStore, PublicSecurityLoaders>;

export const resolvers: DepartmentResolvers<PublicSecurityStore, PublicSecurityLoaders> = {
  Query: {
    person: (_: unknown, args: { idNumber: string }, { loaders }: Context) => loaders.person.load(args.idNumber),
  },
  Person: {
    __resolveReference: (reference: { idNumber: string }, { loaders }: Context) => loaders.person.load(reference.idNumber),
    household: (person: PersonRow) => ({
      number: person.householdNumber,
      address: person.address,
      regionCode: person.regionCode,
      head: person.householdHead,
      relation: person.relation,
      policeStation: person.policeStation,
    }),
  },
  Household: {
    head: (household: { head: string }, _: unknown, { loaders }: Context) => loaders.person.load(household.head),
  },
};

import type { DepartmentContext, DepartmentResolvers } from '@govgraph/department-kit';
import type { CivilAffairsLoaders } from './loaders';
import type { CivilAffairsStore, MarriageRow } from './store';

type Context = DepartmentContext<CivilAffairsStore, CivilAffairsLoaders>;
type PersonReference = { idNumber: string };

/** The registry's view: the latest registration decides; no registration means single. */
function maritalStatus(marriages: readonly MarriageRow[]): 'SINGLE' | 'MARRIED' | 'DIVORCED' {
  const latest = marriages[marriages.length - 1];
  if (!latest) return 'SINGLE';
  return latest.kind === 'MARRIAGE' ? 'MARRIED' : 'DIVORCED';
}

export const resolvers: DepartmentResolvers<CivilAffairsStore, CivilAffairsLoaders> = {
  Person: {
    maritalStatus: async (person: PersonReference, _: unknown, { loaders }: Context) =>
      maritalStatus(await loaders.marriages.load(person.idNumber)),
    marriages: async (person: PersonReference, _: unknown, { loaders }: Context) =>
      (await loaders.marriages.load(person.idNumber)).map((row) => ({
        kind: row.kind,
        registeredOn: row.registeredOn,
        spouse: { idNumber: row.husband === person.idNumber ? row.wife : row.husband },
        office: row.office,
        certificateNumber: row.certificateNumber,
      })),
    subsistenceAllowance: (person: PersonReference, _: unknown, { loaders }: Context) => loaders.allowance.load(person.idNumber),
  },
};

/** The contracts, for auditors (the access matrix, revisions and their changes) and for each app itself (its own contract). */
import type { DepartmentContext, DepartmentResolvers } from '@govgraph/department-kit';
import { grantCoordinate } from '../../contracts/contract-schema';
import { diffContracts } from '../../contracts/diff-contracts';
import { SHARING_CLASSES } from '../../contracts/sharing-class';
import { badInput } from './bad-input';
import { contractsAtRevision, listContractRevisions } from './contract-revisions';
import type { AuditLoaders } from './loaders';
import type { AuditDepartmentStore } from './store';

type Context = DepartmentContext<AuditDepartmentStore, AuditLoaders>;

const REVISIONS_LIMIT = 100;

export const contractResolvers = {
  Query: {
    callerContract: (_: unknown, __: unknown, { store, caller }: Context) => {
      const contract = store.contract(caller.app);
      if (!contract) return null;
      return {
        app: contract.app,
        name: contract.name,
        owner: contract.owner,
        region: contract.region ?? null,
        validUntil: contract.validUntil,
        purposes: contract.purposes.map((p) => ({ code: p.code, description: p.description, caseRequired: p.caseRequired, fields: p.grants.map(grantCoordinate) })),
      };
    },
    accessMatrix: (_: unknown, args: { app?: string | null; department?: string | null; sharingClass?: string | null }, { store }: Context) => {
      if (args.sharingClass && !(SHARING_CLASSES as readonly string[]).includes(args.sharingClass)) {
        throw badInput('sharingClass', `Argument "sharingClass" must be one of ${SHARING_CLASSES.join(', ')}.`);
      }
      return store.matrix
        .map((row) => ({ ...row, field: row.coordinate }))
        .filter((row) => (!args.app || row.app === args.app) && (!args.sharingClass || row.sharingClass === args.sharingClass))
        .filter((row) => !args.department || row.departments.includes(args.department));
    },
    contractRevisions: (_: unknown, args: { first?: number | null }, { store }: Context) => {
      const first = args.first ?? 50;
      if (first < 1 || first > REVISIONS_LIMIT) throw badInput('first', `Argument "first" must be between 1 and ${REVISIONS_LIMIT}.`);
      return listContractRevisions(store.revisionsDb, first);
    },
    contractChanges: async (_: unknown, args: { from: number; to: number }, { store }: Context) => {
      const [before, after] = await Promise.all([contractsAtRevision(store.revisionsDb, args.from), contractsAtRevision(store.revisionsDb, args.to)]);
      if (!before) throw badInput('from', `There is no contract revision ${args.from}.`);
      if (!after) throw badInput('to', `There is no contract revision ${args.to}.`);
      return diffContracts(before, after).map((change) => ({ ...change, kind: change.kind.toUpperCase(), field: change.coordinate }));
    },
  },
} satisfies DepartmentResolvers<AuditDepartmentStore, AuditLoaders>;

import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { GraphQLError } from 'graphql';
import type { AuditDecision } from '../../audit/audit-record';
import type { AuditFilter } from '../../audit/audit-store';
import { verifyChain } from '../../audit/verify-chain';
import { diffContracts } from '../../contracts/diff-contracts';
import { SHARING_CLASSES } from '../../contracts/sharing-class';
import { readPage, toConnection, type PageArguments } from '../kit/connection';
import type { DepartmentContext } from '../kit/department';
import { isCreditCode } from '../kit/identifiers/credit-code';
import { isIdNumber } from '../kit/identifiers/id-number';
import { contractsAtRevision, listContractRevisions } from './contract-revisions';
import { ACCESS_LOG_LIMIT, type AuditLoaders } from './loaders';
import type { AuditDepartmentStore } from './store';
import { trailStatistics } from './trail-statistics';

type Context = DepartmentContext<AuditDepartmentStore, AuditLoaders>;

interface AuditRecordsArguments extends PageArguments {
  app?: string | null;
  purpose?: string | null;
  subject?: string | null;
  from?: string | null;
  to?: string | null;
  decision?: AuditDecision | null;
}

function subjectFilter(subject: string, store: AuditDepartmentStore): string {
  if (!isIdNumber(subject) && !isCreditCode(subject)) {
    throw new GraphQLError('Argument "subject" must be a valid ID number or unified social credit code.', { extensions: { code: 'BAD_USER_INPUT', argument: 'subject' } });
  }
  return store.hashSubject(subject);
}

function badInput(argument: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

const STATISTICS_DEFAULT_DAYS = 30;
const REVISIONS_LIMIT = 100;

function statisticsRange(args: { from?: string | null; to?: string | null }): { from: string; to: string } {
  const to = args.to ? new Date(args.to) : new Date();
  const from = args.from ? new Date(args.from) : new Date(to.getTime() - STATISTICS_DEFAULT_DAYS * 86_400_000);
  if (from > to) throw badInput('from', 'Argument "from" must not be later than "to".');
  return { from: from.toISOString(), to: to.toISOString() };
}

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    auditRecords: async (_: unknown, args: AuditRecordsArguments, { store }: Context) => {
      const page = readPage(args);
      const filter: AuditFilter = {
        ...(args.app && { app: args.app }),
        ...(args.purpose && { purpose: args.purpose }),
        ...(args.decision && { decision: args.decision }),
        ...(args.from && { from: new Date(args.from).toISOString() }),
        ...(args.to && { to: new Date(args.to).toISOString() }),
        ...(args.subject && { subject: subjectFilter(args.subject, store) }),
      };
      const before = page.afterKey === undefined ? undefined : Number(page.afterKey);
      const rows = await store.trail.find(filter, before, page.fetch);
      return toConnection(rows, page, (row) => String(row.seq), () => store.trail.count(filter));
    },
    callerContract: (_: unknown, __: unknown, { store, caller }: Context) => {
      const contract = store.contract(caller.app);
      if (!contract) return null;
      return {
        app: contract.app,
        name: contract.name,
        owner: contract.owner,
        region: contract.region ?? null,
        validUntil: contract.validUntil,
        purposes: contract.purposes.map((p) => ({ code: p.code, description: p.description, caseRequired: p.caseRequired })),
      };
    },
    accessMatrix: (_: unknown, args: { app?: string | null; department?: string | null; sharingClass?: string | null }, { store }: Context) => {
      if (args.sharingClass && !(SHARING_CLASSES as readonly string[]).includes(args.sharingClass)) {
        throw badInput('sharingClass', `Argument "sharingClass" must be one of ${SHARING_CLASSES.join(', ')}.`);
      }
      return store.matrix
        .map((row) => ({ ...row, field: row.coordinate, departments: row.departments ? row.departments.split(', ') : [] }))
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
    auditChainStatus: async (_: unknown, __: unknown, { store }: Context) => {
      const checkedAt = new Date().toISOString();
      const verification = await verifyChain(store.trail, store.checkpointKeys);
      if (!verification.ok) {
        const checkpoints = await store.trail.checkpoints();
        return { verified: false, records: 0, checkpoints: checkpoints.length, problem: verification.problem, checkedAt };
      }
      return {
        verified: true,
        records: verification.records,
        checkpoints: verification.checkpoints,
        lastCheckpointSeq: verification.lastCheckpoint?.seq ?? null,
        lastCheckpointAt: verification.lastCheckpoint?.time ?? null,
        problem: null,
        checkedAt,
      };
    },
    auditStatistics: async (_: unknown, args: { from?: string | null; to?: string | null; app?: string | null }, { store }: Context) => {
      const range = statisticsRange(args);
      return { ...range, ...(await trailStatistics(store.trailDb, { ...range, ...(args.app && { app: args.app }) })) };
    },
  },
  Person: {
    accessLog: async (person: { idNumber: string }, args: { first?: number | null }, { store, loaders, caller }: Context) => {
      const first = Math.min(Math.max(args.first ?? 20, 0), ACCESS_LOG_LIMIT);
      const records = await loaders.recordsAbout.load(store.hashSubject(person.idNumber));
      // The person themself (an app acting for them) is not told of purposes a contract keeps from subjects.
      const subjectView = caller.operator === person.idNumber;
      return records
        .map((record) => ({ record, purpose: store.purpose(record.app, record.purpose) }))
        .filter(({ purpose }) => !subjectView || purpose?.discloseToSubject !== false)
        .slice(0, first)
        .map(({ record, purpose }) => ({
          time: record.time,
          app: record.app ?? 'unknown',
          appName: purpose?.appName ?? null,
          owner: purpose?.owner ?? null,
          purpose: record.purpose,
          purposeDescription: purpose?.description ?? null,
          fields: record.fields,
        }));
    },
  },
};

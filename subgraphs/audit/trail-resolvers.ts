import { isCreditCode, isIdNumber, readPage, toConnection, type DepartmentContext, type DepartmentResolvers, type PageArguments } from '@govgraph/department-kit';
import { GraphQLError } from 'graphql';
import type { AuditDecision, AuditRecord } from '../../audit/audit-record';
import type { AuditFilter } from '../../audit/audit-store';
import { verifyChain } from '../../audit/verify-chain';
import { badInput } from './bad-input';
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
  errorCode?: string | null;
  hideOwnClient?: string | null;
}

const ERROR_CODE = /^[A-Z][A-Z_]{0,63}$/;

function errorCodeFilter(code: string): string {
  if (!ERROR_CODE.test(code)) throw badInput('errorCode', 'Argument "errorCode" must be an error code such as FORBIDDEN.');
  return code;
}

/** Decisions under which the fields asked for were released, less those refused. */
const RELEASING: ReadonlySet<AuditDecision> = new Set(['PERMIT', 'PARTIAL']);

/**
 * The fields a record's request released: none when it was refused whole; all it asked for less those
 * refused. A partly refused request recorded before refusals were (no `refused`) cannot say: null.
 */
export function releasedFields(record: Pick<AuditRecord, 'decision' | 'fields' | 'refused'>): string[] | null {
  if (!RELEASING.has(record.decision)) return [];
  if (record.refused === undefined) return record.decision === 'PERMIT' ? record.fields : null;
  const refused = new Set(record.refused.map((r) => r.field));
  return record.fields.filter((field) => !refused.has(field));
}

function subjectFilter(subject: string, store: AuditDepartmentStore): string {
  if (!isIdNumber(subject) && !isCreditCode(subject)) {
    throw new GraphQLError('Argument "subject" must be a valid ID number or unified social credit code.', { extensions: { code: 'BAD_USER_INPUT', argument: 'subject' } });
  }
  return store.hashSubject(subject);
}

const STATISTICS_DEFAULT_DAYS = 30;

function statisticsRange(args: { from?: string | null; to?: string | null }): { from: string; to: string } {
  const to = args.to ? new Date(args.to) : new Date();
  const from = args.from ? new Date(args.from) : new Date(to.getTime() - STATISTICS_DEFAULT_DAYS * 86_400_000);
  if (from > to) throw badInput('from', 'Argument "from" must not be later than "to".');
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The trail: its records, its verification and its statistics, and a person's access log. */
export const trailResolvers = {
  Query: {
    auditRecords: async (_: unknown, args: AuditRecordsArguments, { store, caller }: Context) => {
      const page = readPage(args);
      const filter: AuditFilter = {
        ...(args.app && { app: args.app }),
        ...(args.purpose && { purpose: args.purpose }),
        ...(args.decision && { decision: args.decision }),
        ...(args.from && { from: new Date(args.from).toISOString() }),
        ...(args.to && { to: new Date(args.to).toISOString() }),
        ...(args.subject && { subject: subjectFilter(args.subject, store) }),
        ...(args.errorCode && { errorCode: errorCodeFilter(args.errorCode) }),
        ...(args.hideOwnClient && { hideClientOf: { app: caller.app, client: args.hideOwnClient } }),
      };
      const before = page.afterKey === undefined ? undefined : Number(page.afterKey);
      const rows = await store.trail.find(filter, before, page.fetch);
      return toConnection(rows, page, (row) => String(row.seq), () => store.trail.count(filter));
    },
    auditTrailChoices: async (_: unknown, __: unknown, { store }: Context) => ({
      apps: store.apps.map((contract) => ({ app: contract.app, name: contract.name, purposes: contract.purposes.map((p) => p.code) })),
      errorCodes: await store.trail.errorCodesUsed(),
    }),
    auditChainStatus: async (_: unknown, __: unknown, { store }: Context) => {
      const checkedAt = new Date().toISOString();
      const verification = await verifyChain(store.trail, store.chain, { retentionDays: store.retentionDays });
      if (!verification.ok) {
        const checkpoints = await store.trail.checkpoints();
        const last = checkpoints[checkpoints.length - 1];
        return { verified: false, records: 0, checkpoints: checkpoints.length, lastCheckpointSeq: last?.seq ?? null, lastCheckpointAt: last?.time ?? null, unsignedRecords: 0, problem: verification.problem, checkedAt };
      }
      return {
        verified: true,
        records: verification.records,
        checkpoints: verification.checkpoints,
        lastCheckpointSeq: verification.lastCheckpoint?.seq ?? null,
        lastCheckpointAt: verification.lastCheckpoint?.time ?? null,
        unsignedRecords: verification.unsignedRecords,
        problem: null,
        checkedAt,
      };
    },
    auditStatistics: async (_: unknown, args: { from?: string | null; to?: string | null; app?: string | null }, { store }: Context) => {
      const range = statisticsRange(args);
      return { ...range, ...(await trailStatistics(store.trailDb, store.trail.kind, { ...range, ...(args.app && { app: args.app }) })) };
    },
  },
  AuditRecord: {
    client: (record: AuditRecord) => record.client ?? null,
    released: (record: AuditRecord) => releasedFields(record),
    masked: (record: AuditRecord) => record.masked ?? null,
    refused: (record: AuditRecord) => record.refused ?? null,
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
} satisfies DepartmentResolvers<AuditDepartmentStore, AuditLoaders>;

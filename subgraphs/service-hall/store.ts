/** The service hall's own database: the catalogue and the applications. */
import type { Kysely } from 'kysely';
import { insertInBatches, regionRange, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';

import type { ServiceMode } from './catalogue';
import type { ApplicationStatus } from './workflow';

export type { ApplicationStatus };

export interface ApplicationRow {
  id: string;
  itemCode: string;
  applicant: string;
  enterprise: string | null;
  status: ApplicationStatus;
  mode: ServiceMode;
  acceptingRegion: string;
  handlingRegion: string;
  submittedAt: string;
  clerkNotes: string;
  /** JSON: the form fields, prefilled and filled in. */
  form: string;
  /** JSON: the pre-review checks. */
  preReview: string;
  /**
   * The submitting app and its idempotency key. The same key returns the same application only to the same
   * caller: the same app acting for the same applicant (its operator, who alone may submit).
   */
  submittedBy: string | null;
  idempotencyKey: string | null;
  /** JSON: the certificate its delivery issued (颁证送达), kind and number; null when none. */
  issuedCertificate: string | null;
}

export interface TimelineRow {
  applicationId: string;
  at: string;
  action: string;
  status: ApplicationStatus;
  region: string | null;
  actor: string;
  note: string | null;
  /** JSON: what a decision by the rules rested on (秒批); null for every other step. */
  basis: string | null;
}

export interface PartRow {
  applicationId: string;
  region: string;
  doneAt: string | null;
}

export interface ServiceHallDatabase {
  application: ApplicationRow;
  timeline: TimelineRow;
  part: PartRow;
}

export interface ApplicationFilter {
  applicant?: string;
  enterprise?: string;
  status?: ApplicationStatus;
  /** Applications accepted or handled within this region prefix. */
  regionPrefix?: string;
}

/** Whose idempotency keys are one space: an app acting for one applicant. */
export interface IdempotencyScope {
  app: string;
  applicant: string;
}

export interface ServiceHallStore extends DepartmentStore {
  applicationsById(ids: readonly string[]): Promise<ApplicationRow[]>;
  applicationsOfApplicants(idNumbers: readonly string[]): Promise<ApplicationRow[]>;
  applicationsOfEnterprises(codes: readonly string[]): Promise<ApplicationRow[]>;
  applicationPage(filter: ApplicationFilter, afterId: string | undefined, limit: number): Promise<ApplicationRow[]>;
  countApplications(filter: ApplicationFilter): Promise<number>;
  insertApplications(rows: readonly ApplicationRow[], timeline?: readonly TimelineRow[], parts?: readonly PartRow[]): Promise<void>;
  findByIdempotencyKey(caller: IdempotencyScope, key: string): Promise<ApplicationRow | undefined>;
  /** The next free application number of a day in a region: YYYYMMDD + region + six digits. */
  nextApplicationId(day: string, regionCode: string): Promise<string>;
  updateApplication(id: string, changes: Partial<Pick<ApplicationRow, 'status' | 'form' | 'preReview' | 'enterprise'>>): Promise<void>;
  /**
   * Moves an application from one status to another, with any changes that go with the move, in one
   * statement; false, and nothing changed, when it is no longer in `from`.
   */
  moveStatus(id: string, from: ApplicationStatus, to: ApplicationStatus, changes?: Partial<Pick<ApplicationRow, 'issuedCertificate'>>): Promise<boolean>;
  addTimeline(entry: TimelineRow): Promise<void>;
  timelinesOf(ids: readonly string[]): Promise<TimelineRow[]>;
  partsOf(ids: readonly string[]): Promise<PartRow[]>;
  addParts(parts: readonly PartRow[]): Promise<void>;
  completePart(applicationId: string, region: string, at: string): Promise<void>;
}

const TABLES: StoreTables<ServiceHallDatabase> = {
  upgrade: upgradeEarlierVersions,
  seededBy: 'application',
  tables: {
    application: {
      columns: (table) =>
        table
          .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
          .addColumn('itemCode', 'varchar(16)', (c) => c.notNull())
          .addColumn('applicant', 'varchar(18)', (c) => c.notNull())
          .addColumn('enterprise', 'varchar(18)')
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('mode', 'varchar(24)', (c) => c.notNull())
          .addColumn('acceptingRegion', 'varchar(6)', (c) => c.notNull())
          .addColumn('handlingRegion', 'varchar(6)', (c) => c.notNull())
          .addColumn('submittedAt', 'varchar(32)', (c) => c.notNull())
          .addColumn('clerkNotes', 'varchar(256)', (c) => c.notNull())
          .addColumn('form', 'text', (c) => c.notNull())
          .addColumn('preReview', 'text', (c) => c.notNull())
          .addColumn('submittedBy', 'varchar(64)')
          .addColumn('idempotencyKey', 'varchar(64)'),
      // Applications once issued nothing at delivery (颁证送达 came later).
      addedColumns: { issuedCertificate: { type: 'text' } },
      indexes: {
        application_idempotency_per_caller: (index) => index.unique().columns(['submittedBy', 'applicant', 'idempotencyKey']),
        application_applicant: (index) => index.column('applicant'),
        application_enterprise: (index) => index.column('enterprise'),
      },
    },
    timeline: {
      columns: (table) =>
        table
          .addColumn('applicationId', 'varchar(24)', (c) => c.notNull())
          .addColumn('at', 'varchar(32)', (c) => c.notNull())
          .addColumn('action', 'varchar(24)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('region', 'varchar(6)')
          .addColumn('actor', 'varchar(128)', (c) => c.notNull())
          .addColumn('note', 'varchar(256)'),
      // Timelines once had no decision basis (秒批 came later).
      addedColumns: { basis: { type: 'text' } },
      indexes: { timeline_application: (index) => index.column('applicationId') },
    },
    part: {
      columns: (table) =>
        table
          .addColumn('applicationId', 'varchar(24)', (c) => c.notNull())
          .addColumn('region', 'varchar(6)', (c) => c.notNull())
          .addColumn('doneAt', 'varchar(32)')
          .addPrimaryKeyConstraint('part_pk', ['applicationId', 'region']),
    },
  },
};

/** What databases of earlier versions hold that this one does not, besides columns added since. */
async function upgradeEarlierVersions(db: Kysely<ServiceHallDatabase>): Promise<void> {
  // Keys were once unique per app only, so one citizen's key returned another's application.
  await db.schema.dropIndex('application_idempotency').ifExists().execute();
  // Actors were once `app/operator`, an operator being a citizen's ID number: only the app is kept.
  const withOperator = await db.selectFrom('timeline').select('actor').distinct().where('actor', 'like', '%/%').execute();
  for (const { actor } of withOperator) await db.updateTable('timeline').set({ actor: actor.slice(0, actor.indexOf('/')) }).where('actor', '=', actor).execute();
}

export function createServiceHallStore(db: Kysely<ServiceHallDatabase>): ServiceHallStore {
  const filtered = (filter: ApplicationFilter) => {
    let query = db.selectFrom('application');
    if (filter.applicant) query = query.where('applicant', '=', filter.applicant);
    if (filter.enterprise) query = query.where('enterprise', '=', filter.enterprise);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.regionPrefix) {
      const [low, high] = regionRange(filter.regionPrefix);
      query = query.where((eb) =>
        eb.or([
          eb.and([eb('acceptingRegion', '>=', low), eb('acceptingRegion', '<=', high)]),
          eb.and([eb('handlingRegion', '>=', low), eb('handlingRegion', '<=', high)]),
        ]),
      );
    }
    return query;
  };

  return {
    ...storeLifecycle(db, TABLES),
    applicationsById(ids) {
      return db.selectFrom('application').selectAll().where('id', 'in', [...ids]).execute();
    },
    applicationsOfApplicants(idNumbers) {
      return db.selectFrom('application').selectAll().where('applicant', 'in', [...idNumbers]).orderBy('id', 'desc').execute();
    },
    applicationsOfEnterprises(codes) {
      return db.selectFrom('application').selectAll().where('enterprise', 'in', [...codes]).orderBy('id', 'desc').execute();
    },
    applicationPage(filter, afterId, limit) {
      let query = filtered(filter).selectAll();
      if (afterId !== undefined) query = query.where('id', '<', afterId);
      return query.orderBy('id', 'desc').limit(limit).execute();
    },
    async countApplications(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    async insertApplications(rows, timeline = [], parts = []) {
      await insertInBatches(db, 'application', rows);
      await insertInBatches(db, 'timeline', timeline);
      await insertInBatches(db, 'part', parts);
    },
    findByIdempotencyKey(caller, key) {
      return db
        .selectFrom('application')
        .selectAll()
        .where('submittedBy', '=', caller.app)
        .where('applicant', '=', caller.applicant)
        .where('idempotencyKey', '=', key)
        .executeTakeFirst();
    },
    async nextApplicationId(day, regionCode) {
      const prefix = `${day.replaceAll('-', '')}${regionCode}`;
      const last = await db.selectFrom('application').select('id').where('id', '>=', `${prefix}000000`).where('id', '<=', `${prefix}999999`).orderBy('id', 'desc').limit(1).executeTakeFirst();
      return `${prefix}${String(Number(last?.id.slice(14) ?? 0) + 1).padStart(6, '0')}`;
    },
    async updateApplication(id, changes) {
      await db.updateTable('application').set(changes).where('id', '=', id).execute();
    },
    async moveStatus(id, from, to, changes = {}) {
      const result = await db.updateTable('application').set({ ...changes, status: to }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async addTimeline(entry) {
      await db.insertInto('timeline').values(entry).execute();
    },
    timelinesOf(ids) {
      return db.selectFrom('timeline').selectAll().where('applicationId', 'in', [...ids]).orderBy('at').execute();
    },
    partsOf(ids) {
      return db.selectFrom('part').selectAll().where('applicationId', 'in', [...ids]).orderBy('region').execute();
    },
    async addParts(parts) {
      if (parts.length > 0) await db.insertInto('part').values([...parts]).execute();
    },
    async completePart(applicationId, region, at) {
      await db.updateTable('part').set({ doneAt: at }).where('applicationId', '=', applicationId).where('region', '=', region).execute();
    },
  };
}

/** The service hall's own database: the catalogue and the applications. */
import type { Kysely } from 'kysely';
import { insertInBatches, regionRange } from '../kit/database';
import type { DepartmentStore } from '../kit/department';

export type ApplicationStatus = 'SUBMITTED' | 'PRE_REVIEWED' | 'RETURNED' | 'ACCEPTED' | 'IN_PROGRESS' | 'APPROVED' | 'REJECTED';

export interface ApplicationRow {
  id: string;
  itemCode: string;
  applicant: string;
  enterprise: string | null;
  status: ApplicationStatus;
  mode: 'FULLY_ONLINE' | 'COLLECT_AND_FORWARD' | 'JOINT_HANDLING';
  acceptingRegion: string;
  handlingRegion: string;
  submittedAt: string;
  clerkNotes: string;
}

export interface ServiceHallDatabase {
  application: ApplicationRow;
}

export interface ApplicationFilter {
  applicant?: string;
  enterprise?: string;
  status?: ApplicationStatus;
  /** Applications accepted or handled within this region prefix. */
  regionPrefix?: string;
}

export interface ServiceHallStore extends DepartmentStore {
  applicationsById(ids: readonly string[]): Promise<ApplicationRow[]>;
  applicationsOfApplicants(idNumbers: readonly string[]): Promise<ApplicationRow[]>;
  applicationsOfEnterprises(codes: readonly string[]): Promise<ApplicationRow[]>;
  applicationPage(filter: ApplicationFilter, afterId: string | undefined, limit: number): Promise<ApplicationRow[]>;
  countApplications(filter: ApplicationFilter): Promise<number>;
  insertApplications(rows: readonly ApplicationRow[]): Promise<void>;
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
    async migrate() {
      await db.schema
        .createTable('application')
        .ifNotExists()
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
        .execute();
      await db.schema.createIndex('application_applicant').ifNotExists().on('application').column('applicant').execute();
      await db.schema.createIndex('application_enterprise').ifNotExists().on('application').column('enterprise').execute();
    },
    async isEmpty() {
      return (await db.selectFrom('application').select('id').limit(1).execute()).length === 0;
    },
    async drop() {
      await db.schema.dropTable('application').ifExists().execute();
    },
    async ping() {
      await db.selectFrom('application').select('id').limit(1).execute();
    },
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
    insertApplications(rows) {
      return insertInBatches(db, 'application', rows);
    },
  };
}

/** Market regulation's own database: enterprises, their licences and administrative penalties. */
import type { Kysely } from 'kysely';
import { insertInBatches, regionRange, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';

export type EnterpriseStatus = 'ACTIVE' | 'REVOKED' | 'CANCELLED';

export interface EnterpriseRow {
  creditCode: string;
  name: string;
  kind: string;
  status: EnterpriseStatus;
  registeredCapital: number;
  establishedOn: string;
  address: string;
  regionCode: string;
  businessScope: string;
  legalRepresentative: string;
  riskRating: string;
}

export interface LicenceRow {
  creditCode: string;
  kind: string;
  number: string;
  validUntil: string;
  status: 'VALID' | 'EXPIRED' | 'REVOKED';
}

export interface PenaltyRow {
  creditCode: string;
  decisionNumber: string;
  decidedOn: string;
  reason: string;
  amount: number;
}

export interface MarketRegulationDatabase {
  enterprise: EnterpriseRow;
  licence: LicenceRow;
  penalty: PenaltyRow;
}

export interface EnterpriseFilter {
  regionPrefix?: string;
  status?: EnterpriseStatus;
}

export interface MarketRegulationStore extends DepartmentStore {
  enterprisesByCreditCode(codes: readonly string[]): Promise<EnterpriseRow[]>;
  enterprisesByRepresentative(idNumbers: readonly string[]): Promise<EnterpriseRow[]>;
  enterpriseByName(name: string): Promise<EnterpriseRow | undefined>;
  enterprisePage(filter: EnterpriseFilter, afterCreditCode: string | undefined, limit: number): Promise<EnterpriseRow[]>;
  countEnterprises(filter: EnterpriseFilter): Promise<number>;
  licencesOf(codes: readonly string[]): Promise<LicenceRow[]>;
  penaltiesOf(codes: readonly string[]): Promise<PenaltyRow[]>;
  insert(rows: { enterprises: EnterpriseRow[]; licences: LicenceRow[]; penalties: PenaltyRow[] }): Promise<void>;
}

const TABLES: StoreTables<MarketRegulationDatabase> = {
  seededBy: 'enterprise',
  tables: {
    enterprise: {
      columns: (table) =>
        table
          .addColumn('creditCode', 'varchar(18)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(128)', (c) => c.notNull())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('registeredCapital', 'double precision', (c) => c.notNull())
          .addColumn('establishedOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('address', 'varchar(128)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
          .addColumn('businessScope', 'varchar(256)', (c) => c.notNull())
          .addColumn('legalRepresentative', 'varchar(18)', (c) => c.notNull())
          .addColumn('riskRating', 'varchar(1)', (c) => c.notNull()),
      indexes: {
        enterprise_name: (index) => index.column('name'),
        enterprise_representative: (index) => index.column('legalRepresentative'),
        enterprise_region: (index) => index.columns(['regionCode', 'creditCode']),
      },
    },
    licence: {
      columns: (table) =>
        table
          .addColumn('number', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('creditCode', 'varchar(18)', (c) => c.notNull())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('validUntil', 'varchar(10)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull()),
      indexes: { licence_enterprise: (index) => index.column('creditCode') },
    },
    penalty: {
      columns: (table) =>
        table
          .addColumn('decisionNumber', 'varchar(48)', (c) => c.primaryKey())
          .addColumn('creditCode', 'varchar(18)', (c) => c.notNull())
          .addColumn('decidedOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('reason', 'varchar(256)', (c) => c.notNull())
          .addColumn('amount', 'double precision', (c) => c.notNull()),
      indexes: { penalty_enterprise: (index) => index.column('creditCode') },
    },
  },
};

export function createMarketRegulationStore(db: Kysely<MarketRegulationDatabase>): MarketRegulationStore {
  const filtered = (filter: EnterpriseFilter) => {
    let query = db.selectFrom('enterprise');
    if (filter.regionPrefix) {
      const [low, high] = regionRange(filter.regionPrefix);
      query = query.where('regionCode', '>=', low).where('regionCode', '<=', high);
    }
    if (filter.status) query = query.where('status', '=', filter.status);
    return query;
  };

  return {
    ...storeLifecycle(db, TABLES),
    enterprisesByCreditCode(codes) {
      return db.selectFrom('enterprise').selectAll().where('creditCode', 'in', [...codes]).execute();
    },
    enterpriseByName(name) {
      return db.selectFrom('enterprise').selectAll().where('name', '=', name).executeTakeFirst();
    },
    enterprisesByRepresentative(idNumbers) {
      return db.selectFrom('enterprise').selectAll().where('legalRepresentative', 'in', [...idNumbers]).orderBy('creditCode').execute();
    },
    enterprisePage(filter, afterCreditCode, limit) {
      let query = filtered(filter).selectAll();
      if (afterCreditCode !== undefined) query = query.where('creditCode', '>', afterCreditCode);
      return query.orderBy('creditCode').limit(limit).execute();
    },
    async countEnterprises(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    licencesOf(codes) {
      return db.selectFrom('licence').selectAll().where('creditCode', 'in', [...codes]).orderBy('number').execute();
    },
    penaltiesOf(codes) {
      return db.selectFrom('penalty').selectAll().where('creditCode', 'in', [...codes]).orderBy('decidedOn', 'desc').execute();
    },
    async insert(rows) {
      await insertInBatches(db, 'enterprise', rows.enterprises);
      await insertInBatches(db, 'licence', rows.licences);
      await insertInBatches(db, 'penalty', rows.penalties);
    },
  };
}

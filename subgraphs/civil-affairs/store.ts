/** Civil affairs' own database: marriage registrations and subsistence allowances. */
import type { Kysely } from 'kysely';
import { insertInBatches, storeLifecycle, type DepartmentStore, type StoreTables, type SyntheticAllowance } from '@govgraph/department-kit';

export interface MarriageRow {
  certificateNumber: string;
  kind: 'MARRIAGE' | 'DIVORCE';
  husband: string;
  wife: string;
  registeredOn: string;
  office: string;
  regionCode: string;
}

/** An allowance as the synthetic world gives it (the certificate library issues its 低保证 from the same). */
export type AllowanceRow = SyntheticAllowance;

export interface CivilAffairsDatabase {
  marriage: MarriageRow;
  allowance: AllowanceRow;
}

export interface CivilAffairsStore extends DepartmentStore {
  marriagesOf(idNumbers: readonly string[]): Promise<MarriageRow[]>;
  allowancesOf(idNumbers: readonly string[]): Promise<AllowanceRow[]>;
  insert(rows: { marriages: MarriageRow[]; allowances: AllowanceRow[] }): Promise<void>;
}

const TABLES: StoreTables<CivilAffairsDatabase> = {
  seededBy: 'marriage',
  tables: {
    marriage: {
      columns: (table) =>
        table
          .addColumn('certificateNumber', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('kind', 'varchar(16)', (c) => c.notNull())
          .addColumn('husband', 'varchar(18)', (c) => c.notNull())
          .addColumn('wife', 'varchar(18)', (c) => c.notNull())
          .addColumn('registeredOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('office', 'varchar(64)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull()),
      indexes: {
        marriage_husband: (index) => index.column('husband'),
        marriage_wife: (index) => index.column('wife'),
      },
    },
    allowance: {
      columns: (table) =>
        table
          .addColumn('idNumber', 'varchar(18)', (c) => c.primaryKey())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('since', 'varchar(10)', (c) => c.notNull())
          .addColumn('monthlyAmount', 'double precision', (c) => c.notNull())
          .addColumn('householdSize', 'integer', (c) => c.notNull())
          .addColumn('assessmentNotes', 'varchar(256)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull()),
    },
  },
};

export function createCivilAffairsStore(db: Kysely<CivilAffairsDatabase>): CivilAffairsStore {
  return {
    ...storeLifecycle(db, TABLES),
    marriagesOf(idNumbers) {
      const ids = [...idNumbers];
      return db
        .selectFrom('marriage')
        .selectAll()
        .where((eb) => eb.or([eb('husband', 'in', ids), eb('wife', 'in', ids)]))
        .orderBy('registeredOn')
        .execute();
    },
    allowancesOf(idNumbers) {
      return db.selectFrom('allowance').selectAll().where('idNumber', 'in', [...idNumbers]).execute();
    },
    async insert(rows) {
      await insertInBatches(db, 'marriage', rows.marriages);
      await insertInBatches(db, 'allowance', rows.allowances);
    },
  };
}

/** Civil affairs' own database: marriage registrations and subsistence allowances. */
import type { Kysely } from 'kysely';
import { insertInBatches, type DepartmentStore } from '@govgraph/department-kit';

export interface MarriageRow {
  certificateNumber: string;
  kind: 'MARRIAGE' | 'DIVORCE';
  husband: string;
  wife: string;
  registeredOn: string;
  office: string;
  regionCode: string;
}

export interface AllowanceRow {
  idNumber: string;
  status: 'ACTIVE' | 'ENDED';
  since: string;
  monthlyAmount: number;
  householdSize: number;
  assessmentNotes: string;
  regionCode: string;
}

export interface CivilAffairsDatabase {
  marriage: MarriageRow;
  allowance: AllowanceRow;
}

export interface CivilAffairsStore extends DepartmentStore {
  marriagesOf(idNumbers: readonly string[]): Promise<MarriageRow[]>;
  allowancesOf(idNumbers: readonly string[]): Promise<AllowanceRow[]>;
  insert(rows: { marriages: MarriageRow[]; allowances: AllowanceRow[] }): Promise<void>;
}

export function createCivilAffairsStore(db: Kysely<CivilAffairsDatabase>): CivilAffairsStore {
  return {
    async migrate() {
      await db.schema
        .createTable('marriage')
        .ifNotExists()
        .addColumn('certificateNumber', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('husband', 'varchar(18)', (c) => c.notNull())
        .addColumn('wife', 'varchar(18)', (c) => c.notNull())
        .addColumn('registeredOn', 'varchar(10)', (c) => c.notNull())
        .addColumn('office', 'varchar(64)', (c) => c.notNull())
        .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('marriage_husband').ifNotExists().on('marriage').column('husband').execute();
      await db.schema.createIndex('marriage_wife').ifNotExists().on('marriage').column('wife').execute();
      await db.schema
        .createTable('allowance')
        .ifNotExists()
        .addColumn('idNumber', 'varchar(18)', (c) => c.primaryKey())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('since', 'varchar(10)', (c) => c.notNull())
        .addColumn('monthlyAmount', 'double precision', (c) => c.notNull())
        .addColumn('householdSize', 'integer', (c) => c.notNull())
        .addColumn('assessmentNotes', 'varchar(256)', (c) => c.notNull())
        .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
        .execute();
    },
    async isEmpty() {
      return (await db.selectFrom('marriage').select('certificateNumber').limit(1).execute()).length === 0;
    },
    async drop() {
      for (const table of ['allowance', 'marriage'] as const) await db.schema.dropTable(table).ifExists().execute();
    },
    async ping() {
      await db.selectFrom('marriage').select('certificateNumber').limit(1).execute();
    },
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

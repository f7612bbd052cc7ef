/** The fund centre's own database: one account per depositor. */
import { insertInBatches, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';
import type { Kysely } from 'kysely';

export interface AccountRow {
  idNumber: string;
  account: string;
  status: 'PAYING' | 'SEALED' | 'CLOSED';
  openedOn: string;
  /** The employer's unified social credit code; null for a self-employed depositor. */
  employer: string | null;
  monthlyDeposit: number;
  balance: number;
}

export interface HousingFundDatabase {
  housingFundAccount: AccountRow;
}

export interface HousingFundStore extends DepartmentStore {
  accountsOf(idNumbers: readonly string[]): Promise<AccountRow[]>;
  insertAccounts(rows: readonly AccountRow[]): Promise<void>;
}

const TABLES: StoreTables<HousingFundDatabase> = {
  seededBy: 'housingFundAccount',
  tables: {
    housingFundAccount: {
      columns: (table) =>
        table
          .addColumn('idNumber', 'varchar(18)', (c) => c.primaryKey())
          .addColumn('account', 'varchar(20)', (c) => c.notNull().unique())
          .addColumn('status', 'varchar(8)', (c) => c.notNull())
          .addColumn('openedOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('employer', 'varchar(18)')
          .addColumn('monthlyDeposit', 'double precision', (c) => c.notNull())
          .addColumn('balance', 'double precision', (c) => c.notNull()),
    },
  },
};

export function createHousingFundStore(db: Kysely<HousingFundDatabase>): HousingFundStore {
  return {
    ...storeLifecycle(db, TABLES),
    accountsOf(idNumbers) {
      return db.selectFrom('housingFundAccount').selectAll().where('idNumber', 'in', [...idNumbers]).execute();
    },
    insertAccounts(rows) {
      return insertInBatches(db, 'housingFundAccount', rows);
    },
  };
}

/** Public security's own database: one row per registered person, household data alongside. */
import type { Kysely } from 'kysely';
import { insertInBatches, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';

export interface PersonRow {
  idNumber: string;
  name: string;
  gender: 'MALE' | 'FEMALE';
  birthDate: string;
  ethnicity: string;
  phone: string;
  registrationStatus: 'NORMAL' | 'MOVED_OUT';
  householdNumber: string;
  address: string;
  regionCode: string;
  householdHead: string;
  relation: string;
  policeStation: string;
}

export interface PublicSecurityDatabase {
  person: PersonRow;
}

export interface PublicSecurityStore extends DepartmentStore {
  personsByIdNumber(idNumbers: readonly string[]): Promise<PersonRow[]>;
  insertPersons(rows: readonly PersonRow[]): Promise<void>;
}

const TABLES: StoreTables<PublicSecurityDatabase> = {
  seededBy: 'person',
  tables: {
    person: {
      columns: (table) =>
        table
          .addColumn('idNumber', 'varchar(18)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(32)', (c) => c.notNull())
          .addColumn('gender', 'varchar(8)', (c) => c.notNull())
          .addColumn('birthDate', 'varchar(10)', (c) => c.notNull())
          .addColumn('ethnicity', 'varchar(16)', (c) => c.notNull())
          .addColumn('phone', 'varchar(11)', (c) => c.notNull())
          .addColumn('registrationStatus', 'varchar(16)', (c) => c.notNull())
          .addColumn('householdNumber', 'varchar(16)', (c) => c.notNull())
          .addColumn('address', 'varchar(128)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
          .addColumn('householdHead', 'varchar(18)', (c) => c.notNull())
          .addColumn('relation', 'varchar(8)', (c) => c.notNull())
          .addColumn('policeStation', 'varchar(64)', (c) => c.notNull()),
    },
  },
};

export function createPublicSecurityStore(db: Kysely<PublicSecurityDatabase>): PublicSecurityStore {
  return {
    ...storeLifecycle(db, TABLES),
    personsByIdNumber(idNumbers) {
      return db.selectFrom('person').selectAll().where('idNumber', 'in', [...idNumbers]).execute();
    },
    insertPersons(rows) {
      return insertInBatches(db, 'person', rows);
    },
  };
}

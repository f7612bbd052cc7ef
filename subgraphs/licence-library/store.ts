/** The certificate library's own database: each certificate as sealed, and its status. */
import { dirname, join, resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { insertInBatches, storeLifecycle, type DepartmentStore, type StoreTables, type SubgraphConfig } from '@govgraph/department-kit';
import type { CertificateContent, CertificateSeal } from './document';
import type { CertificateKind, IssuingDepartment } from './issuers';
import { openKeyring, type Keyring } from './keyring';

export type StoredStatus = 'VALID' | 'SUSPENDED' | 'REVOKED';

export interface CertificateRow {
  number: string;
  kind: CertificateKind;
  holderType: 'Person' | 'Enterprise';
  holderKey: string;
  /** An enterprise's certificate: its legal representative's ID number, who owns it too (platform.yaml `ownerOf`). */
  representativeKey: string | null;
  issuerDepartment: IssuingDepartment;
  issuerAuthority: string;
  issuerRegion: string;
  issuedOn: string;
  validUntil: string | null;
  /** The kind's own fields, JSON. */
  data: string;
  keyId: string;
  /** The seal's field digests, JSON. */
  digests: string;
  signature: string;
  status: StoredStatus;
  statusReason: string | null;
  /** When the status last changed (YYYY-MM-DD), null while never changed. */
  statusSince: string | null;
  /** The app that last changed it. */
  statusChangedBy: string | null;
  /** The application whose delivery (颁证送达) issued it, null for one issued otherwise: one per application. */
  application: string | null;
}

export interface LicenceLibraryDatabase {
  certificate: CertificateRow;
}

export interface StatusChangeRecord {
  status: StoredStatus;
  reason: string;
  since: string;
  by: string;
}

/** Another certificate took the number first (a concurrent issue in the same region): draw the next one. */
export class NumberTaken extends Error {}

/** A certificate was already issued on delivering the same application (a replay, or a concurrent delivery). */
export class ApplicationDelivered extends Error {}

/** The certificates as one transaction (or the database itself) sees them. */
export interface CertificateRecords {
  byNumbers(numbers: readonly string[]): Promise<CertificateRow[]>;
  /** Newest day of issue first. */
  ofHolders(keys: readonly string[]): Promise<CertificateRow[]>;
  /** What the persons' 卡包 hold: their own certificates and the licences naming them as representative, newest first. */
  inWalletsOf(idNumbers: readonly string[]): Promise<CertificateRow[]>;
  /** The highest serial (the last 8 characters) of the numbers beginning with the prefix, 0 for none. */
  lastSerial(prefix: string): Promise<number>;
  /** Changes the status only while it is one of `from`; whether it did (another request may have changed it first). */
  setStatus(number: string, from: readonly StoredStatus[], change: StatusChangeRecord): Promise<boolean>;
  /** Throws NumberTaken when a number is already stored, ApplicationDelivered when its application's certificate is. */
  insert(rows: readonly CertificateRow[]): Promise<void>;
}

export interface LicenceLibraryStore extends DepartmentStore, CertificateRecords {
  readonly keyring: Keyring;
  /** Certificates that are not valid by their status (revoked, suspended): the status list. */
  withdrawn(): Promise<CertificateRow[]>;
  /** Runs `work` in one transaction: everything it writes is stored, or nothing when it throws. */
  inTransaction<T>(work: (records: CertificateRecords) => Promise<T>): Promise<T>;
}

const APPLICATION_INDEX = 'certificate_application';

const TABLES: StoreTables<LicenceLibraryDatabase> = {
  seededBy: 'certificate',
  tables: {
    certificate: {
      columns: (table) =>
        table
          .addColumn('number', 'varchar(40)', (c) => c.primaryKey())
          .addColumn('kind', 'varchar(40)', (c) => c.notNull())
          .addColumn('holderType', 'varchar(16)', (c) => c.notNull())
          .addColumn('holderKey', 'varchar(18)', (c) => c.notNull())
          .addColumn('issuerDepartment', 'varchar(24)', (c) => c.notNull())
          .addColumn('issuerAuthority', 'varchar(64)', (c) => c.notNull())
          .addColumn('issuerRegion', 'varchar(6)', (c) => c.notNull())
          .addColumn('issuedOn', 'varchar(10)', (c) => c.notNull())
          .addColumn('validUntil', 'varchar(10)')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('keyId', 'varchar(64)', (c) => c.notNull())
          .addColumn('digests', 'text', (c) => c.notNull())
          .addColumn('signature', 'varchar(160)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('statusReason', 'varchar(256)')
          .addColumn('statusSince', 'varchar(10)')
          .addColumn('statusChangedBy', 'varchar(64)'),
      // Certificates once recorded no representative (the representative's own access came later): null on
      // what was stored before, so those licences are their holders' alone until `npm run seed`.
      addedColumns: { representativeKey: { type: 'varchar(18)' }, application: { type: 'varchar(40)' } },
      indexes: {
        // One certificate per delivered application, whoever delivers it and however often; NULLs (not on a delivery) repeat.
        [APPLICATION_INDEX]: (index) => index.column('application').unique(),
        certificate_holder: (index) => index.column('holderKey'),
        certificate_representative: (index) => index.column('representativeKey'),
        certificate_status: (index) => index.column('status'),
      },
    },
  },
};

/** Where the seal keys are: LICENCE_KEYS_DIR, else `licence/` beside the other keys (the gateway's public keys' folder). */
export function sealKeysDir(config: Pick<SubgraphConfig, 'gatewayJwksFile'>, env: NodeJS.ProcessEnv = process.env): string {
  return env['LICENCE_KEYS_DIR'] ? resolve(env['LICENCE_KEYS_DIR']) : join(dirname(config.gatewayJwksFile), 'licence');
}

export function contentOf(row: CertificateRow): CertificateContent {
  return {
    number: row.number,
    kind: row.kind,
    holder: { type: row.holderType, key: row.holderKey },
    issuer: { department: row.issuerDepartment, authority: row.issuerAuthority, regionCode: row.issuerRegion },
    issuedOn: row.issuedOn,
    validUntil: row.validUntil,
    data: JSON.parse(row.data) as CertificateContent['data'],
  };
}

export function sealOf(row: CertificateRow): CertificateSeal {
  return { algorithm: 'SM2-SM3', keyId: row.keyId, digests: JSON.parse(row.digests) as Record<string, string>, signature: row.signature };
}

/**
 * The row of a certificate just sealed: valid, its status never changed; an enterprise's names its
 * representative, and one issued on a delivery its application.
 */
export function newRow(content: CertificateContent, seal: CertificateSeal, representativeKey: string | null, application: string | null = null): CertificateRow {
  return {
    number: content.number,
    kind: content.kind,
    holderType: content.holder.type,
    holderKey: content.holder.key,
    representativeKey,
    issuerDepartment: content.issuer.department,
    issuerAuthority: content.issuer.authority,
    issuerRegion: content.issuer.regionCode,
    issuedOn: content.issuedOn,
    validUntil: content.validUntil,
    data: JSON.stringify(content.data),
    keyId: seal.keyId,
    digests: JSON.stringify(seal.digests),
    signature: seal.signature,
    status: 'VALID',
    statusReason: null,
    statusSince: null,
    statusChangedBy: null,
    application,
  };
}

/**
 * Which uniqueness an insert broke, as SQLite (better-sqlite3: the code, the message naming the column) and
 * PostgreSQL (unique_violation, naming the index or `certificate_pkey`) report it; null for another error.
 */
function conflictOf(error: unknown): 'number' | 'application' | null {
  const { code, constraint, message } = (error ?? {}) as { code?: unknown; constraint?: unknown; message?: unknown };
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'number';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return typeof message === 'string' && message.includes('certificate.application') ? 'application' : 'number';
  if (code === '23505') return constraint === APPLICATION_INDEX ? 'application' : 'number';
  return null;
}

function recordsOf(db: Kysely<LicenceLibraryDatabase>): CertificateRecords {
  return {
    byNumbers(numbers) {
      return db.selectFrom('certificate').selectAll().where('number', 'in', [...numbers]).execute();
    },
    ofHolders(keys) {
      return db.selectFrom('certificate').selectAll().where('holderKey', 'in', [...keys]).orderBy('issuedOn', 'desc').orderBy('number').execute();
    },
    inWalletsOf(idNumbers) {
      return db
        .selectFrom('certificate')
        .selectAll()
        .where((eb) => eb.or([eb('holderKey', 'in', [...idNumbers]), eb('representativeKey', 'in', [...idNumbers])]))
        .orderBy('issuedOn', 'desc')
        .orderBy('number')
        .execute();
    },
    async lastSerial(prefix) {
      const row = await db.selectFrom('certificate').select((eb) => eb.fn.max('number').as('last')).where('number', 'like', `${prefix}%`).executeTakeFirst();
      return row?.last ? Number(row.last.slice(-8)) : 0;
    },
    async setStatus(number, from, change) {
      const result = await db
        .updateTable('certificate')
        .set({ status: change.status, statusReason: change.reason, statusSince: change.since, statusChangedBy: change.by })
        .where('number', '=', number)
        .where('status', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async insert(rows) {
      try {
        // Inside a transaction of its own only when the database is not in one already (kysely nests none).
        await (db.isTransaction ? db.insertInto('certificate').values([...rows]).execute() : insertInBatches(db, 'certificate', rows));
      } catch (error) {
        const conflict = conflictOf(error);
        if (conflict === 'application') throw new ApplicationDelivered(`application already delivered: ${rows.map((r) => r.application).join(', ')}`);
        throw conflict === 'number' ? new NumberTaken(`certificate number taken: ${rows.map((r) => r.number).join(', ')}`) : error;
      }
    },
  };
}

export function createLicenceLibraryStore(db: Kysely<LicenceLibraryDatabase>, config: Readonly<SubgraphConfig>): LicenceLibraryStore {
  return {
    ...storeLifecycle(db, TABLES),
    keyring: openKeyring(sealKeysDir(config)),
    ...recordsOf(db),
    withdrawn() {
      return db.selectFrom('certificate').selectAll().where('status', '!=', 'VALID').orderBy('number').execute();
    },
    inTransaction: (work) => db.transaction().execute((trx) => work(recordsOf(trx))),
  };
}

/** The library's own store: the legal representative a licence names is kept beside it, from issue on and across an upgrade. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type SubgraphConfig } from '@govgraph/department-kit';
import { issueCertificate, type IssueCertificateInput } from './mutations';
import { createLicenceLibraryStore, type LicenceLibraryDatabase, type LicenceLibraryStore } from './store';

const FIRM = '91440106MA59TY8T2X';
const REPRESENTATIVE = '110101199003070011';
const HALL = { app: 'service-hall', requestId: 'r' };
const LICENCE: IssueCertificateInput = {
  kind: 'BUSINESS_LICENCE',
  holderCreditCode: FIRM,
  representativeIdNumber: REPRESENTATIVE,
  regionCode: '440106',
  businessLicence: { name: '广州新辰云海科技有限公司', entityKind: '有限责任公司', legalRepresentativeName: '王芳', registeredCapital: 100, establishedOn: '2026-03-02', address: '广州市天河区天河路208号', businessScope: '软件开发' },
};

let dir: string;
let db: Kysely<LicenceLibraryDatabase>;
let store: LicenceLibraryStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'govgraph-licence-store-'));
  db = openDatabase<LicenceLibraryDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  store = createLicenceLibraryStore(db, { gatewayJwksFile: join(dir, 'gateway-jwks.json') } as SubgraphConfig);
  await store.migrate();
});
afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('an issued licence records the representative it names; a licence without one is refused and nothing is stored', async () => {
  const issued = await issueCertificate(store, HALL, LICENCE);
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ holderKey: FIRM, representativeKey: REPRESENTATIVE });
  await expect(issueCertificate(store, HALL, { ...LICENCE, representativeIdNumber: null })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(await store.ofHolders([FIRM])).toHaveLength(1);
});

test('a database from before representatives: the column is added, what was stored names no one', async () => {
  const issued = await issueCertificate(store, HALL, LICENCE);
  await db.schema.alterTable('certificate').dropColumn('representativeKey').execute();
  await store.migrate();
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ number: issued.number, representativeKey: null });
  const next = await issueCertificate(store, HALL, LICENCE);
  expect((await store.byNumbers([next.number]))[0]!.representativeKey).toBe(REPRESENTATIVE);
});

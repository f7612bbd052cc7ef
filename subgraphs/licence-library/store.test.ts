/**
 * The library's own store: the legal representative a licence names is kept beside it, from issue on and
 * across an upgrade; an issue is one transaction, concurrent issues in one region each get a number, and
 * the service hall's delivery issues only the licence its application is for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, type SubgraphConfig } from '@govgraph/department-kit';
import type { ApplicationLookup } from './delivery';
import { changeStatus, issueCertificate, type IssueCertificateInput } from './mutations';
import { createLicenceLibraryStore, type LicenceLibraryDatabase, type LicenceLibraryStore } from './store';

const FIRM = '91440106MA59TY8T2X';
const OTHER_FIRM = '91440106MA59TY8T8X';
const REPRESENTATIVE = '110101199003070011';
const HALL = { app: 'service-hall', requestId: 'r' };
const MARKET_SUPERVISION = { app: 'market-supervision', requestId: 'r' };
const LICENCE: IssueCertificateInput = {
  kind: 'BUSINESS_LICENCE',
  holderCreditCode: FIRM,
  representativeIdNumber: REPRESENTATIVE,
  regionCode: '440106',
  application: 'GD-2026-000001',
  businessLicence: { name: '广州新辰云海科技有限公司', entityKind: '有限责任公司', legalRepresentativeName: '王芳', registeredCapital: 100, establishedOn: '2026-03-02', address: '广州市天河区天河路208号', businessScope: '软件开发' },
};

/**
 * The graph's answer (read through the gateway there): the application approved, delivering the input's
 * licence: a founding's, of an enterprise the register does not hold; or a change's (变更), of an
 * enterprise the register says `registered` represents.
 */
const approvedFor =
  (creditCode: string, registered: string | null = null): ApplicationLookup =>
  async () => ({
    status: 'APPROVED',
    handlingRegion: '440106',
    item: { issuesCertificate: 'BUSINESS_LICENCE', foundsEnterprise: registered === null },
    applicant: { idNumber: REPRESENTATIVE },
    enterprise: { creditCode, legalRepresentative: registered === null ? null : { idNumber: registered } },
  });
const approved = approvedFor(FIRM);
const changed = approvedFor(FIRM, REPRESENTATIVE);

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
  const issued = await issueCertificate(store, HALL, LICENCE, approved);
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ holderKey: FIRM, representativeKey: REPRESENTATIVE });
  await expect(issueCertificate(store, HALL, { ...LICENCE, representativeIdNumber: null }, approved)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(await store.ofHolders([FIRM])).toHaveLength(1);
});

test('a database from before representatives: the column is added, what was stored names no one', async () => {
  const issued = await issueCertificate(store, HALL, LICENCE, approved);
  // As it was before: no column, so no index on it either.
  await db.schema.dropIndex('certificate_representative').execute();
  await db.schema.alterTable('certificate').dropColumn('representativeKey').execute();
  await store.migrate();
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ number: issued.number, representativeKey: null });
  const next = await issueCertificate(store, HALL, LICENCE, changed);
  expect((await store.byNumbers([next.number]))[0]!.representativeKey).toBe(REPRESENTATIVE);
});

test('a replacement its caller may not make stores nothing: the new licence is rolled back with the refused revocation', async () => {
  const first = await issueCertificate(store, HALL, LICENCE, approved);
  await changeStatus(store, MARKET_SUPERVISION, 'suspend', first.number, '暂扣营业执照');
  await expect(issueCertificate(store, HALL, LICENCE, changed)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(await store.ofHolders([FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'SUSPENDED' })]);
});

test('concurrent issues in one region each draw their own number', async () => {
  const firms = ['91440106MA59TY8T3X', '91440106MA59TY8T4X', '91440106MA59TY8T5X', '91440106MA59TY8T6X'];
  const issued = await Promise.all(firms.map((firm) => issueCertificate(store, HALL, { ...LICENCE, holderCreditCode: firm }, approvedFor(firm))));
  expect(new Set(issued.map((row) => row.number)).size).toBe(firms.length);
});

test("an approved application delivers its own licence only: not another enterprise's, representative's or region's", async () => {
  const other = '91440106MA59TY8T7X';
  for (const input of [{ holderCreditCode: other }, { representativeIdNumber: '110101199003070038' }, { regionCode: '440104' }]) {
    await expect(issueCertificate(store, HALL, { ...LICENCE, ...input }, approved)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  }
  expect(await store.ofHolders([FIRM, other])).toEqual([]);
});

describe('what a delivery issues over the licences its holder holds is the library\'s to say, not the service hall\'s', () => {
  const OTHER = '110101199003070038';

  test('a founding issues a first licence only: over a held one, or for an enterprise the register holds, it issues and revokes nothing', async () => {
    const first = await issueCertificate(store, HALL, LICENCE, approved);
    await expect(issueCertificate(store, HALL, LICENCE, approved)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const registered: ApplicationLookup = async (id) => ({ ...(await approvedFor(OTHER_FIRM)(id))!, enterprise: { creditCode: OTHER_FIRM, legalRepresentative: { idNumber: OTHER } } });
    await expect(issueCertificate(store, HALL, { ...LICENCE, holderCreditCode: OTHER_FIRM }, registered)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await store.ofHolders([FIRM, OTHER_FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'VALID' })]);
  });

  test('a change replaces a licence only for the representative the register names, and issues no first one', async () => {
    await expect(issueCertificate(store, HALL, LICENCE, changed)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const first = await issueCertificate(store, HALL, LICENCE, approved);
    await expect(issueCertificate(store, HALL, LICENCE, approvedFor(FIRM, OTHER))).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await store.ofHolders([FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'VALID' })]);
    const next = await issueCertificate(store, HALL, LICENCE, changed);
    expect((await store.ofHolders([FIRM])).map((row) => [row.number, row.status]).sort()).toEqual([[first.number, 'REVOKED'], [next.number, 'VALID']].sort());
  });
});

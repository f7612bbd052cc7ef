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
import { todayInChina } from './certificate-view';
import type { ApplicationLookup, RegisteredEnterprise } from './delivery';
import type { RepresentativeLookup } from './register';
import { changeStatus, issueCertificate, type IssueCertificateInput } from './mutations';
import { createLicenceLibraryStore, type LicenceLibraryDatabase, type LicenceLibraryStore } from './store';

const FIRM = '91440106MA59TY8T2X';
const OTHER_FIRM = '91440106MA59TY8T8X';
const REPRESENTATIVE = '110101199003070011';
const HALL = { app: 'service-hall', requestId: 'r' };
const MARKET_SUPERVISION = { app: 'market-supervision', requestId: 'r' };
/** A founding's licence as its application's form asks for it, founded today; the register then holds the same. */
const REGISTER: RegisteredEnterprise = { name: '广州新辰云海科技有限公司', kind: '有限责任公司（自然人独资）', registeredCapital: 100, establishedOn: todayInChina(), address: '广州市天河区天河路208号', businessScope: '软件开发' };
const FORM = [
  { key: 'name', value: '王芳', source: 'public-security' },
  { key: 'enterpriseName', value: REGISTER.name, source: 'APPLICANT' },
  { key: 'registeredCapital', value: '100', source: 'APPLICANT' },
  { key: 'businessScope', value: REGISTER.businessScope, source: 'APPLICANT' },
  { key: 'enterpriseAddress', value: REGISTER.address, source: 'APPLICANT' },
];
const LICENCE: IssueCertificateInput = {
  kind: 'BUSINESS_LICENCE',
  holderCreditCode: FIRM,
  representativeIdNumber: REPRESENTATIVE,
  regionCode: '440106',
  application: 'GD-2026-000001',
  businessLicence: { name: REGISTER.name, entityKind: REGISTER.kind!, legalRepresentativeName: '王芳', registeredCapital: 100, establishedOn: REGISTER.establishedOn!, address: REGISTER.address!, businessScope: REGISTER.businessScope! },
};
/** A change (变更) of the founded enterprise, delivered on an application of its own. */
const CHANGE: IssueCertificateInput = { ...LICENCE, application: 'GD-2026-000002' };

/**
 * The graph's answer (read through the gateway there): the application approved, delivering the input's
 * licence: a founding's, of an enterprise the register does not hold; or a change's (变更), of an
 * enterprise the register says `registered` represents, asking for no change in its form.
 */
const approvedFor =
  (creditCode: string, registered: string | null = null): ApplicationLookup =>
  async (id) => ({
    id,
    status: 'APPROVED',
    handlingRegion: '440106',
    item: { issuesCertificate: 'BUSINESS_LICENCE', foundsEnterprise: registered === null },
    applicant: { idNumber: REPRESENTATIVE },
    enterprise: { creditCode, legalRepresentative: registered === null ? null : { idNumber: registered } },
    form: registered === null ? FORM : FORM.slice(0, 1),
    registered: registered === null ? null : REGISTER,
  });
const approved = approvedFor(FIRM);
/** The register's answer for an issue of an app's own accord: the test's representative represents every firm. */
const register: RepresentativeLookup = async () => REPRESENTATIVE;
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
  const issued = await issueCertificate(store, HALL, LICENCE, approved, register);
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ holderKey: FIRM, representativeKey: REPRESENTATIVE });
  await expect(issueCertificate(store, HALL, { ...LICENCE, representativeIdNumber: null }, approved, register)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(await store.ofHolders([FIRM])).toHaveLength(1);
});

test('a database from before representatives: the column is added, what was stored names no one', async () => {
  const issued = await issueCertificate(store, HALL, LICENCE, approved, register);
  // As it was before: no columns, so no indexes on them either.
  for (const [index, column] of [['certificate_representative', 'representativeKey'], ['certificate_application', 'application']] as const) {
    await db.schema.dropIndex(index).execute();
    await db.schema.alterTable('certificate').dropColumn(column).execute();
  }
  await store.migrate();
  expect((await store.byNumbers([issued.number]))[0]).toMatchObject({ number: issued.number, representativeKey: null, application: null });
  const next = await issueCertificate(store, HALL, CHANGE, changed, register);
  expect((await store.byNumbers([next.number]))[0]).toMatchObject({ representativeKey: REPRESENTATIVE, application: CHANGE.application });
  await expect(issueCertificate(store, HALL, CHANGE, changed, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
});

test('a replacement its caller may not make stores nothing: the new licence is rolled back with the refused revocation', async () => {
  const first = await issueCertificate(store, HALL, LICENCE, approved, register);
  await changeStatus(store, MARKET_SUPERVISION, 'suspend', first.number, '暂扣营业执照');
  await expect(issueCertificate(store, HALL, CHANGE, changed, register)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  expect(await store.ofHolders([FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'SUSPENDED' })]);
});

test('concurrent issues in one region each draw their own number', async () => {
  const firms = ['91440106MA59TY8T3X', '91440106MA59TY8T4X', '91440106MA59TY8T5X', '91440106MA59TY8T6X'];
  const issued = await Promise.all(firms.map((firm, i) => issueCertificate(store, HALL, { ...LICENCE, holderCreditCode: firm, application: `GD-2026-00001${i}` }, approvedFor(firm), register)));
  expect(new Set(issued.map((row) => row.number)).size).toBe(firms.length);
});

test("an approved application delivers its own licence only: not another enterprise's, representative's or region's", async () => {
  const other = '91440106MA59TY8T7X';
  for (const input of [{ holderCreditCode: other }, { representativeIdNumber: '110101199003070038' }, { regionCode: '440104' }]) {
    await expect(issueCertificate(store, HALL, { ...LICENCE, ...input }, approved, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  }
  expect(await store.ofHolders([FIRM, other])).toEqual([]);
});

describe('what a delivery issues over the licences its holder holds is the library\'s to say, not the service hall\'s', () => {
  const OTHER = '110101199003070038';

  test('a founding issues a first licence only: over a held one, or for an enterprise the register holds, it issues and revokes nothing', async () => {
    const first = await issueCertificate(store, HALL, LICENCE, approved, register);
    await expect(issueCertificate(store, HALL, CHANGE, approved, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const registered: ApplicationLookup = async (id) => ({ ...(await approvedFor(OTHER_FIRM)(id))!, enterprise: { creditCode: OTHER_FIRM, legalRepresentative: { idNumber: OTHER } } });
    await expect(issueCertificate(store, HALL, { ...LICENCE, holderCreditCode: OTHER_FIRM }, registered, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await store.ofHolders([FIRM, OTHER_FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'VALID' })]);
  });

  test('a change replaces a licence only for the representative the register names, and issues no first one', async () => {
    await expect(issueCertificate(store, HALL, CHANGE, changed, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const first = await issueCertificate(store, HALL, LICENCE, approved, register);
    await expect(issueCertificate(store, HALL, CHANGE, approvedFor(FIRM, OTHER), register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await store.ofHolders([FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'VALID' })]);
    const next = await issueCertificate(store, HALL, CHANGE, changed, register);
    expect((await store.ofHolders([FIRM])).map((row) => [row.number, row.status]).sort()).toEqual([[first.number, 'REVOKED'], [next.number, 'VALID']].sort());
  });
});

describe('one approved application issues one licence, stating what the application and the register say', () => {
  test('a delivery made again, or twice at once, issues nothing more and revokes nothing', async () => {
    const first = await issueCertificate(store, HALL, LICENCE, approved, register);
    await expect(issueCertificate(store, HALL, LICENCE, approved, register)).rejects.toMatchObject({ message: expect.stringContaining('already been delivered'), extensions: { code: 'FORBIDDEN' } });
    const both = await Promise.allSettled([issueCertificate(store, HALL, CHANGE, changed, register), issueCertificate(store, HALL, CHANGE, changed, register)]);
    expect(both.map((settled) => settled.status).sort()).toEqual(['fulfilled', 'rejected']);
    const next = both.find((settled) => settled.status === 'fulfilled') as PromiseFulfilledResult<{ number: string }>;
    expect((await store.ofHolders([FIRM])).map((row) => [row.number, row.status]).sort()).toEqual([[first.number, 'REVOKED'], [next.value.number, 'VALID']].sort());
  });

  test('the unique index refuses a second certificate for one application, whoever writes it', async () => {
    const first = await issueCertificate(store, HALL, LICENCE, approved, register);
    const [row] = await store.byNumbers([first.number]);
    await expect(store.insert([{ ...row!, number: `${first.number.slice(0, -1)}9` }])).rejects.toThrow('application already delivered');
  });

  test("licence data differing from the application's or the register's is refused, and nothing is issued", async () => {
    const forged = { ...LICENCE.businessLicence!, legalRepresentativeName: '李四', registeredCapital: 1 };
    await expect(issueCertificate(store, HALL, { ...LICENCE, businessLicence: forged }, approved, register)).rejects.toMatchObject({
      message: expect.stringContaining('(legalRepresentativeName, registeredCapital)'),
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await store.ofHolders([FIRM])).toEqual([]);
    await issueCertificate(store, HALL, LICENCE, approved, register);
    await expect(issueCertificate(store, HALL, { ...CHANGE, businessLicence: { ...forged, legalRepresentativeName: '王芳' } }, changed, register)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(await store.ofHolders([FIRM])).toHaveLength(1);
  });

  test('a change states the register with the changes its form asks for', async () => {
    await issueCertificate(store, HALL, LICENCE, approved, register);
    const scoped: ApplicationLookup = async (id) => ({ ...(await changed(id))!, form: [...FORM.slice(0, 1), { key: 'businessScope', value: '技术服务', source: 'APPLICANT' }] });
    await expect(issueCertificate(store, HALL, CHANGE, scoped, register)).rejects.toMatchObject({ message: expect.stringContaining('(businessScope)') });
    const next = await issueCertificate(store, HALL, { ...CHANGE, businessLicence: { ...LICENCE.businessLicence!, businessScope: '技术服务' } }, scoped, register);
    expect(JSON.parse((await store.byNumbers([next.number]))[0]!.data)).toMatchObject({ name: REGISTER.name, businessScope: '技术服务' });
  });
});

test("an issue of an app's own accord names the register's representative, or for an enterprise it does not hold the licence in force's", async () => {
  const OTHER = '110101199003070038';
  const first = await issueCertificate(store, HALL, LICENCE, approved, register);
  const byHand = { ...LICENCE, application: null };
  const unregistered: RepresentativeLookup = async () => null;
  for (const lookup of [register, unregistered]) {
    await expect(issueCertificate(store, MARKET_SUPERVISION, { ...byHand, representativeIdNumber: OTHER }, approved, lookup)).rejects.toMatchObject({
      message: expect.stringContaining("market regulation's register does not name that person"),
      extensions: { code: 'FORBIDDEN' },
    });
  }
  expect(await store.ofHolders([FIRM])).toEqual([expect.objectContaining({ number: first.number, status: 'VALID' })]);
  const next = await issueCertificate(store, MARKET_SUPERVISION, byHand, approved, unregistered);
  expect((await store.ofHolders([FIRM])).map((row) => [row.number, row.status]).sort()).toEqual([[first.number, 'REVOKED'], [next.number, 'VALID']].sort());
});

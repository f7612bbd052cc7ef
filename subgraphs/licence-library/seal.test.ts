/** Seals checked offline: a sealed certificate verifies; each kind of wrong is named; rotation keeps old seals good. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertificateContent } from './document';
import { issuerIn } from './issuers';
import { ensureKeys, openKeyring, rotateKey } from './keyring';
import { checkCertificate, sealCertificate, toDocument } from './seal';
import { checkStatusList, signStatusList } from './status-list';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'govgraph-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const LICENCE: CertificateContent = {
  number: 'YZ440106202600000001',
  kind: 'BUSINESS_LICENCE',
  holder: { type: 'Enterprise', key: '91440106MA59TY8T2X' },
  issuer: issuerIn('MARKET_REGULATION', '440106'),
  issuedOn: '2026-03-02',
  validUntil: '2046-03-01',
  data: { creditCode: '91440106MA59TY8T2X', name: '广州新辰云海科技有限公司', registeredCapital: 100 },
};
const TODAY = '2026-12-06';

async function sealed(content = LICENCE) {
  return toDocument(content, await sealCertificate(content, openKeyring(dir)));
}

test('a certificate just sealed verifies; its issuer is named by the authority of the region', async () => {
  expect(LICENCE.issuer.authority).toBe('广州市天河区市场监督管理局');
  expect(checkCertificate(await sealed(), { keys: ensureKeys(dir), today: TODAY })).toEqual([]);
});

test.each([
  ['data.name', (d: any) => (d.data.name = '广州新辰云海投资有限公司')],
  ['data.registeredCapital', (d: any) => (d.data.registeredCapital = 1000)],
  ['validUntil', (d: any) => (d.validUntil = '2066-03-01')],
  ['holder', (d: any) => (d.holder.key = '91440106MA59U0YF0K')],
])('altering %s fails, naming that field and no other', async (field, alter) => {
  const document = await sealed();
  alter(document);
  expect(checkCertificate(document, { keys: ensureKeys(dir), today: TODAY })).toEqual([`field ${field} was altered: it does not match the seal`]);
});

test('a field added or removed, digests altered, an unknown key or issuer: each named', async () => {
  const keys = ensureKeys(dir);
  const added: any = await sealed();
  added.data.note = '加盖公章';
  expect(checkCertificate(added, { keys, today: TODAY })).toEqual(['field data.note was added: the seal does not cover it']);
  const removed: any = await sealed();
  delete removed.data.name;
  expect(checkCertificate(removed, { keys, today: TODAY })).toEqual(['field data.name was removed']);
  const forged: any = await sealed();
  forged.data.name = '冒名公司';
  forged.seal.digests['data.name'] = '0'.repeat(64);
  expect(checkCertificate(forged, { keys, today: TODAY })).toEqual([expect.stringMatching(/^the seal does not verify with MARKET_REGULATION's key market-regulation-.*: its digests or signature were altered$/)]);
  const unknownKey: any = await sealed();
  unknownKey.seal.keyId = 'market-regulation-2020-01-01-00000000';
  expect(checkCertificate(unknownKey, { keys, today: TODAY })).toEqual(['unknown key: MARKET_REGULATION has published no key market-regulation-2020-01-01-00000000']);
  const withoutIssuer = { ...keys, signers: keys.signers.filter((s) => s.signer !== 'MARKET_REGULATION') };
  expect(checkCertificate(await sealed(), { keys: withoutIssuer, today: TODAY })).toEqual(['unknown issuer: no keys are published for MARKET_REGULATION']);
  expect(checkCertificate({ number: 'x' }, { keys, today: TODAY })[0]).toMatch(/^not a certificate \(govgraph-certificate\/1\): /);
});

test('expired after its validUntil; revoked as of a status list, which must be the data bureau\'s', async () => {
  const keys = ensureKeys(dir);
  expect(checkCertificate(await sealed(), { keys, today: '2046-03-02' })).toEqual(['expired: valid until 2046-03-01']);
  const list = await signStatusList([{ number: LICENCE.number, status: 'REVOKED', since: '2026-12-01', reason: '吊销营业执照' }], openKeyring(dir), '2026-12-05T10:00:00.000Z');
  const checked = checkStatusList(JSON.parse(JSON.stringify(list)), keys);
  expect(checkCertificate(await sealed(), { keys, today: TODAY, statusList: checked })).toEqual(['revoked on 2026-12-01 (吊销营业执照), as of the status list of 2026-12-05T10:00:00.000Z']);
  expect(() => checkStatusList({ ...list, entries: [] }, keys)).toThrow("the status list does not verify with the data bureau's key: it was altered");
});

test('a rotated key seals nothing new and still verifies what it sealed', async () => {
  const before = await sealed();
  const { retired, current } = rotateKey(dir, 'MARKET_REGULATION');
  expect(retired).toBe(before.seal.keyId);
  const after = await sealed({ ...LICENCE, number: 'YZ440106202600000002' });
  expect(after.seal.keyId).toBe(current.keyId);
  const keys = ensureKeys(dir);
  expect(keys.signers.find((s) => s.signer === 'MARKET_REGULATION')!.keys.map((k) => [k.keyId, k.retiredOn !== null])).toEqual([[retired, true], [current.keyId, false]]);
  expect(checkCertificate(before, { keys, today: TODAY })).toEqual([]);
  expect(checkCertificate(after, { keys, today: TODAY })).toEqual([]);
});

test('a folder holding every current key, as a mounted Secret does, is only read; a missing private key is named', async () => {
  const { retired } = rotateKey(dir, 'MARKET_REGULATION');
  // What a Secret holds: the published keys and the current private keys; no README, no retired private key.
  rmSync(join(dir, 'README'));
  rmSync(join(dir, `${retired}.private.pem`));
  const snapshot = () => readdirSync(dir).sort().map((name) => [name, statSync(join(dir, name)).mtimeMs, readFileSync(join(dir, name), 'utf8')]);
  const before = snapshot();
  const document = await sealed();
  expect(checkCertificate(document, { keys: ensureKeys(dir), today: TODAY })).toEqual([]);
  expect(snapshot()).toEqual(before);

  rmSync(join(dir, `${document.seal.keyId}.private.pem`));
  expect(() => openKeyring(dir)).toThrow(`The seal key ${document.seal.keyId} of MARKET_REGULATION is published in ${join(dir, 'published-keys.json')}, but its private key ${join(dir, `${document.seal.keyId}.private.pem`)} is missing.`);
});

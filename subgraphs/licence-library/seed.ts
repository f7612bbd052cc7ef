/**
 * The certificate library's part of the synthetic world: the certificates everyone's records imply — an
 * ID card for every person, a household register for every household head, a marriage certificate for
 * each spouse, a business licence for every enterprise, a 低保证 for every household on the allowance —
 * each sealed with its issuer's key. Revoked where the records say so: a divorce withdraws the marriage
 * certificates, a revoked or deregistered enterprise loses its licence, an ended allowance its 低保证.
 */
import { createHash } from 'node:crypto';
import { addDays, addYears, ageOnReference, REFERENCE_DAY, type SyntheticPerson, type World } from '@govgraph/department-kit';
import type { CertificateContent } from './document';
import { certificateNumber, issuerIn } from './issuers';
import { sealCertificate } from './seal';
import { newRow, type CertificateRow, type LicenceLibraryStore } from './store';

/** 居民身份证法 art. 5: the term by age at issue; from 46, long term. */
function idCardTerm(ageAtIssue: number): number | null {
  if (ageAtIssue < 16) return 5;
  if (ageAtIssue < 26) return 10;
  if (ageAtIssue < 46) return 20;
  return null;
}

/**
 * The day the seeded cards must be in force on: the world's reference day, or the day of seeding if later.
 * Residents renew an ID card when it expires; a world seeded months after its reference day would
 * otherwise hold cards that lapsed in between, and every pre-review relying on them would fail.
 */
function cardsInForceOn(): string {
  const today = new Date().toISOString().slice(0, 10);
  return today > REFERENCE_DAY ? today : REFERENCE_DAY;
}

/**
 * The day a certificate due on a birthday was issued: some weeks or months later, as people apply in their
 * own time, and never after `inForceOn`. So an issue date tells the holder's age, not their birthday, which
 * is what a masked ID number hides. The delay is fixed per holder and kind: a seeded world is the same on
 * every run.
 */
function issuedAfter(due: string, holder: string, kind: CertificateContent['kind'], inForceOn: string): string {
  const delay = 20 + (createHash('sha256').update(`${kind}:${holder}`).digest().readUInt32BE(0) % 320);
  const issuedOn = addDays(due, delay);
  return issuedOn < inForceOn ? issuedOn : inForceOn;
}

/** The card in force on `inForceOn`: the first applied for at 16 (after birth for children), renewed as each expires. */
function currentIdCard(p: SyntheticPerson, inForceOn: string): { issuedOn: string; validUntil: string | null } {
  const birthDate = p.birthDate;
  let issuedOn = issuedAfter(ageOnReference(birthDate) >= 16 ? addYears(birthDate, 16) : birthDate, p.idNumber, 'RESIDENT_ID_CARD', inForceOn);
  for (;;) {
    const term = idCardTerm(Number(issuedOn.slice(0, 4)) - Number(birthDate.slice(0, 4)));
    if (term === null) return { issuedOn, validUntil: null };
    const validUntil = addYears(issuedOn, term);
    if (validUntil > inForceOn) return { issuedOn, validUntil };
    issuedOn = validUntil;
  }
}

const SEAL_BATCH = 512;

type Withdrawal = { status: 'REVOKED'; reason: string; since: string };

export async function seed(store: LicenceLibraryStore, world: World): Promise<void> {
  const persons = new Map(world.persons.map((p) => [p.idNumber, p]));
  const memberCounts = new Map<string, number>();
  for (const p of world.persons) memberCounts.set(p.householdNumber, (memberCounts.get(p.householdNumber) ?? 0) + 1);
  const issued: Array<{ content: CertificateContent; withdrawal: Withdrawal | undefined; representative: string | null }> = [];
  let serial = 0;
  const issue = (content: Omit<CertificateContent, 'number'> & { number?: string }, withdrawal?: Withdrawal, representative: string | null = null) => {
    serial += 1;
    const number = content.number ?? certificateNumber(content.kind as Exclude<CertificateContent['kind'], 'MARRIAGE_CERTIFICATE'>, content.issuer.regionCode, content.issuedOn, serial);
    issued.push({ content: { ...content, number }, withdrawal, representative });
  };
  const person = (p: SyntheticPerson) => ({ type: 'Person' as const, key: p.idNumber });

  const inForceOn = cardsInForceOn();
  for (const p of world.persons) {
    issue({
      kind: 'RESIDENT_ID_CARD',
      holder: person(p),
      issuer: issuerIn('PUBLIC_SECURITY', p.regionCode),
      ...currentIdCard(p, inForceOn),
      data: { name: p.name, gender: p.gender === 'MALE' ? '男' : '女', ethnicity: p.ethnicity, birthDate: p.birthDate, address: p.address, idNumber: p.idNumber },
    });
    if (p.relation !== '户主') continue;
    issue({
      kind: 'HOUSEHOLD_REGISTER',
      holder: person(p),
      issuer: issuerIn('PUBLIC_SECURITY', p.regionCode),
      issuedOn: issuedAfter(ageOnReference(p.birthDate) >= 18 ? addYears(p.birthDate, 18) : p.birthDate, p.idNumber, 'HOUSEHOLD_REGISTER', inForceOn),
      validUntil: null,
      data: { householdNumber: p.householdNumber, householdType: '家庭户', headName: p.name, address: p.address, memberCount: memberCounts.get(p.householdNumber) ?? 1 },
    });
  }

  const divorces = new Map(world.marriages.filter((m) => m.kind === 'DIVORCE').map((m) => [`${m.husband}/${m.wife}`, m]));
  for (const m of world.marriages) {
    if (m.kind !== 'MARRIAGE') continue;
    const divorce = divorces.get(`${m.husband}/${m.wife}`);
    const withdrawal: Withdrawal | undefined = divorce && { status: 'REVOKED', reason: `离婚登记 ${divorce.certificateNumber}`, since: divorce.registeredOn };
    const [husband, wife] = [persons.get(m.husband)!, persons.get(m.wife)!];
    for (const [copy, holder, spouse] of [[1, husband, wife], [2, wife, husband]] as const) {
      issue(
        {
          number: `${m.certificateNumber}-${copy}`,
          kind: 'MARRIAGE_CERTIFICATE',
          holder: person(holder),
          issuer: issuerIn('CIVIL_AFFAIRS', m.regionCode),
          issuedOn: m.registeredOn,
          validUntil: null,
          data: { registrationNumber: m.certificateNumber, registeredOn: m.registeredOn, holderName: holder.name, spouseName: spouse.name, office: m.office },
        },
        withdrawal,
      );
    }
  }

  for (const e of world.enterprises) {
    const withdrawal: Withdrawal | undefined =
      e.status === 'ACTIVE' ? undefined : { status: 'REVOKED', reason: e.status === 'REVOKED' ? '吊销营业执照' : '注销登记', since: REFERENCE_DAY };
    issue(
      {
        kind: 'BUSINESS_LICENCE',
        holder: { type: 'Enterprise', key: e.creditCode },
        issuer: issuerIn('MARKET_REGULATION', e.regionCode),
        issuedOn: e.establishedOn,
        validUntil: null,
        data: {
          creditCode: e.creditCode,
          name: e.name,
          entityKind: e.kind,
          legalRepresentativeName: persons.get(e.legalRepresentative)!.name,
          registeredCapital: e.registeredCapital,
          establishedOn: e.establishedOn,
          address: e.address,
          businessScope: e.businessScope,
        },
      },
      withdrawal,
      // Market regulation's register names the same person: the licence is theirs to open too.
      e.legalRepresentative,
    );
  }

  for (const a of world.allowances) {
    const holder = persons.get(a.idNumber)!;
    issue(
      {
        kind: 'SUBSISTENCE_ALLOWANCE_CERTIFICATE',
        holder: person(holder),
        issuer: issuerIn('CIVIL_AFFAIRS', a.regionCode),
        issuedOn: a.since,
        validUntil: null,
        data: { holderName: holder.name, householdSize: a.householdSize, monthlyAmount: a.monthlyAmount, since: a.since },
      },
      a.status === 'ENDED' ? { status: 'REVOKED', reason: '停发最低生活保障金', since: REFERENCE_DAY } : undefined,
    );
  }
  const rows: CertificateRow[] = [];
  // Sealed a batch at a time: the signatures run on the thread pool, in parallel.
  for (let start = 0; start < issued.length; start += SEAL_BATCH) {
    const batch = issued.slice(start, start + SEAL_BATCH);
    const seals = await Promise.all(batch.map(({ content }) => sealCertificate(content, store.keyring)));
    batch.forEach(({ content, withdrawal, representative }, i) => {
      const row = newRow(content, seals[i]!, representative);
      rows.push(withdrawal ? { ...row, status: withdrawal.status, statusReason: withdrawal.reason, statusSince: withdrawal.since, statusChangedBy: 'seed' } : row);
    });
  }
  await store.insert(rows);
}

/**
 * 一网通办 prefill and automatic pre-review 初审: what the departments already hold is read (through the
 * gateway, by the caller) and never asked of the applicant again; each item's checks run against it and
 * report which fields they relied on — never the values.
 */
import type { CertificateKind, ServiceItemRow } from './catalogue';

export interface PrefillData {
  person: {
    name: string | null;
    gender: string | null;
    birthDate: string | null;
    household: { address: string | null; regionCode: string | null } | null;
    maritalStatus?: string | null;
    registrationStatus?: string | null;
    enterprises?: Array<{ creditCode: string; status: string; registeredCapital?: number | null; certificates?: HeldCertificate[] }>;
    certificates?: HeldCertificate[];
  } | null;
  taken?: { creditCode: string } | null;
}

/** A certificate in a holder's 卡包, as the pre-review reads it: never its data. */
export interface HeldCertificate {
  number: string;
  kind: CertificateKind;
  status: 'VALID' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED';
  holderKey: string;
  /** An enterprise's licence: the legal representative it names. */
  representativeKey: string | null;
}

/**
 * Whether the applicant owns the certificate as the platform's row rule for a citizen has it (platform.yaml
 * ownerOf): they hold it, or it is an enterprise's licence naming them as legal representative. The prefill
 * reads as the service hall, which may read more than the applicant: what the application keeps and shows
 * the applicant is only what they could read themself.
 */
export const ownedBy = (certificate: HeldCertificate, applicant: string) => certificate.holderKey === applicant || certificate.representativeKey === applicant;

/** Why a required certificate could not be relied on. */
export type CertificateProblem = 'MISSING' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED' | 'HELD_BY_ANOTHER';

/** A certificate a check found and relied on instead of a paper copy (免提交): its number and kind, never its contents. */
export interface CertificateReliance {
  kind: CertificateKind;
  number: string;
}

export interface Check {
  code: string;
  description: string;
  passed: boolean;
  relied: string[];
  /** For a check on a certificate the item requires: the certificate it found. */
  certificate?: CertificateReliance;
  /** For a failed check on a required certificate: why it could not be relied on. */
  problem?: CertificateProblem;
}

export interface FormField {
  key: string;
  value: string | null;
  source: string;
}

/** The prefill query an item needs: only the fields its catalogue entry names. */
export function prefillQuery(item: ServiceItemRow): string {
  const wants = (coordinate: string) => item.requiredData.includes(coordinate);
  const held = 'certificates { number kind status holderKey representativeKey }';
  const personKinds = item.requiredCertificates.some((kind) => kind !== 'BUSINESS_LICENCE');
  const licence = item.requiredCertificates.includes('BUSINESS_LICENCE');
  const enterprise = ['creditCode', 'status', ...(wants('Enterprise.registeredCapital') ? ['registeredCapital'] : []), ...(licence ? [held] : [])].join(' ');
  const person = [
    'name gender birthDate household { address regionCode }',
    wants('Person.maritalStatus') ? 'maritalStatus' : '',
    wants('Person.registrationStatus') ? 'registrationStatus' : '',
    wants('Person.enterprises') || licence ? `enterprises { ${enterprise} }` : '',
    personKinds ? held : '',
  ].join(' ');
  const taken = wants('Query.enterpriseByName') ? 'taken: enterpriseByName(name: $name) { creditCode }' : '';
  const variables = ['$applicant: IdNumber!', taken ? '$name: String!' : ''].filter(Boolean).join(', ');
  return `query Prefill(${variables}) { person(idNumber: $applicant) { ${person} } ${taken} }`;
}

/** Registered capital above which a household is not eligible for subsistence allowance (万元). */
export const ALLOWANCE_CAPITAL_LIMIT = 100;

const CERTIFICATE_NAMES: Record<CertificateKind, string> = {
  RESIDENT_ID_CARD: '居民身份证',
  HOUSEHOLD_REGISTER: '居民户口簿',
  MARRIAGE_CERTIFICATE: '结婚证',
  BUSINESS_LICENCE: '营业执照',
  SUBSISTENCE_ALLOWANCE_CERTIFICATE: '最低生活保障证',
};

const PROBLEM_WORDS: Record<CertificateProblem, string> = {
  MISSING: '电子证照库中没有',
  SUSPENDED: '已暂扣',
  REVOKED: '已吊销或注销',
  EXPIRED: '已过有效期',
  HELD_BY_ANOTHER: '不属于申请人',
};

/**
 * 免提交: a required certificate is relied on when the right holder (the applicant, or for a business
 * licence the enterprise applied for) holds one of that kind that is VALID today and the applicant owns
 * (`ownedBy`). Of several (a licence replaced by 换发), the valid one counts; without one, the newest the
 * applicant owns says why none could be relied on. One the applicant does not own is never named.
 */
function certificateCheck(kind: CertificateKind, holder: string | null | undefined, held: readonly HeldCertificate[], applicant: string): Check {
  const ofHolder = held.filter((c) => c.kind === kind && c.holderKey === holder);
  const owned = ofHolder.filter((c) => ownedBy(c, applicant));
  const found = owned.find((c) => c.status === 'VALID') ?? owned[0];
  const name = CERTIFICATE_NAMES[kind];
  const relied = [kind === 'BUSINESS_LICENCE' ? 'Enterprise.certificates' : 'Person.certificates', 'Certificate.kind', 'Certificate.status', 'Certificate.holderKey', 'Certificate.representativeKey'];
  const code = `CERTIFICATE_${kind}`;
  if (found?.status === 'VALID') return { code, description: `${name}经电子证照库核验有效，免于提交`, passed: true, relied, certificate: { kind, number: found.number } };
  let problem: CertificateProblem;
  if (owned.length < ofHolder.length) problem = 'HELD_BY_ANOTHER';
  else if (!found) problem = 'MISSING';
  else problem = found.status;
  const subject = kind === 'BUSINESS_LICENCE' ? '该企业' : '申请人';
  const description = problem === 'MISSING' ? `${PROBLEM_WORDS.MISSING}${subject}的${name}` : `${subject}的${name}${PROBLEM_WORDS[problem]}`;
  const named = problem !== 'HELD_BY_ANOTHER' && found;
  return { code, description, passed: false, relied, problem, ...(named && { certificate: { kind, number: found.number } }) };
}

function certificateChecks(item: ServiceItemRow, person: NonNullable<PrefillData['person']>, input: { applicant: string; enterprise?: string | null }): Check[] {
  const licences = (person.enterprises ?? []).find((e) => e.creditCode === input.enterprise)?.certificates ?? [];
  return item.requiredCertificates.map((kind) =>
    kind === 'BUSINESS_LICENCE'
      ? certificateCheck(kind, input.enterprise, licences, input.applicant)
      : certificateCheck(kind, input.applicant, person.certificates ?? [], input.applicant),
  );
}

export function preReview(item: ServiceItemRow, data: PrefillData, input: { applicant: string; handlingRegion: string; enterprise?: string | null }): Check[] {
  const person = data.person;
  const checks: Check[] = [{ code: 'IDENTITY', description: '申请人身份经公安部门核验', passed: person !== null, relied: ['Query.person'] }];
  if (!person) return checks;
  const enterprises = person.enterprises ?? [];
  const add = (code: string, description: string, passed: boolean, relied: string[]) => checks.push({ code, description, passed, relied });
  // Enterprise status carries no revocation date yet: any revoked enterprise counts, not only the last three years'.
  const noRevokedEnterprise = () =>
    add('NO_REVOKED_ENTERPRISE', '申请人不是被吊销营业执照企业的法定代表人', !enterprises.some((e) => e.status === 'REVOKED'), ['Person.enterprises', 'Enterprise.status']);
  switch (item.code) {
    case 'SC-QYKB-001':
      add('NAME_AVAILABLE', '拟设立企业名称未被登记', !data.taken, ['Query.enterpriseByName']);
      noRevokedEnterprise();
      break;
    case 'SC-GTDJ-002':
      noRevokedEnterprise();
      break;
    case 'SC-ZZBG-003':
      add('IS_LEGAL_REPRESENTATIVE', '申请人是该企业的法定代表人', enterprises.some((e) => e.creditCode === input.enterprise), ['Person.enterprises', 'Enterprise.creditCode']);
      break;
    case 'MZ-DBSQ-004':
      add('HOUSEHOLD_IN_HANDLING_REGION', '户籍在受理地（承办地）', (person.household?.regionCode ?? '').startsWith(input.handlingRegion.replace(/0+$/, '')), ['Person.household', 'Household.regionCode']);
      add(
        'NO_SIZEABLE_ENTERPRISE',
        `申请人未控制注册资本超过${ALLOWANCE_CAPITAL_LIMIT}万元的存续企业`,
        !enterprises.some((e) => e.status === 'ACTIVE' && (e.registeredCapital ?? 0) > ALLOWANCE_CAPITAL_LIMIT),
        ['Person.enterprises', 'Enterprise.status', 'Enterprise.registeredCapital'],
      );
      break;
    case 'MZ-HYYY-005':
      add('NOT_MARRIED', '婚姻登记记录显示当前未婚', person.maritalStatus !== 'MARRIED', ['Person.maritalStatus']);
      break;
    case 'GA-HKQY-006':
      add('REGISTRATION_ACTIVE', '户籍状态正常', person.registrationStatus === 'NORMAL', ['Person.registrationStatus']);
      break;
    default:
  }
  return [...checks, ...certificateChecks(item, person, input)];
}

/** The certificates an application's pre-review relied on instead of paper: kind and number, never contents. */
export function certificatesReliedOn(checks: readonly Check[]): CertificateReliance[] {
  return checks.flatMap((check) => (check.passed && check.certificate ? [check.certificate] : []));
}

/** The form: what the departments hold, then what the applicant filled in (which may not overwrite it). */
export function prefilledForm(data: PrefillData, filledIn: ReadonlyArray<{ key: string; value: string }>): FormField[] {
  const person = data.person;
  const prefilled: FormField[] = person
    ? [
        { key: 'name', value: person.name, source: 'public-security' },
        { key: 'gender', value: person.gender, source: 'public-security' },
        { key: 'birthDate', value: person.birthDate, source: 'public-security' },
        { key: 'householdAddress', value: person.household?.address ?? null, source: 'public-security' },
        ...(person.maritalStatus !== undefined ? [{ key: 'maritalStatus', value: person.maritalStatus, source: 'civil-affairs' }] : []),
      ]
    : [];
  const taken = new Set(prefilled.map((f) => f.key));
  return [...prefilled, ...filledIn.filter((f) => !taken.has(f.key)).map((f) => ({ key: f.key, value: f.value, source: 'APPLICANT' }))];
}

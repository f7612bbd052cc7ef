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
    enterprises?: Array<{ creditCode: string; status: string; registeredCapital?: number | null }>;
  } | null;
  taken?: { creditCode: string } | null;
}

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
}

export interface FormField {
  key: string;
  value: string | null;
  source: string;
}

/** The prefill query an item needs: only the fields its catalogue entry names. */
export function prefillQuery(item: ServiceItemRow): string {
  const wants = (coordinate: string) => item.requiredData.includes(coordinate);
  const enterprise = ['creditCode', 'status', ...(wants('Enterprise.registeredCapital') ? ['registeredCapital'] : [])].join(' ');
  const person = [
    'name gender birthDate household { address regionCode }',
    wants('Person.maritalStatus') ? 'maritalStatus' : '',
    wants('Person.registrationStatus') ? 'registrationStatus' : '',
    wants('Person.enterprises') ? `enterprises { ${enterprise} }` : '',
  ].join(' ');
  const taken = wants('Query.enterpriseByName') ? 'taken: enterpriseByName(name: $name) { creditCode }' : '';
  const variables = ['$applicant: IdNumber!', taken ? '$name: String!' : ''].filter(Boolean).join(', ');
  return `query Prefill(${variables}) { person(idNumber: $applicant) { ${person} } ${taken} }`;
}

/** Registered capital above which a household is not eligible for subsistence allowance (万元). */
export const ALLOWANCE_CAPITAL_LIMIT = 100;

export function preReview(item: ServiceItemRow, data: PrefillData, input: { handlingRegion: string; enterprise?: string | null }): Check[] {
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
  return checks;
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

/**
 * Who issues what: the three issuing departments, the authority of a region that signs in each one's name,
 * each kind of certificate with its issuer, number prefix and term, and which apps act for which issuer.
 */
import { districtByCode, type District } from '@govgraph/department-kit';

export const ISSUING_DEPARTMENTS = ['PUBLIC_SECURITY', 'CIVIL_AFFAIRS', 'MARKET_REGULATION'] as const;
export type IssuingDepartment = (typeof ISSUING_DEPARTMENTS)[number];

export const CERTIFICATE_KINDS = ['RESIDENT_ID_CARD', 'HOUSEHOLD_REGISTER', 'MARRIAGE_CERTIFICATE', 'BUSINESS_LICENCE', 'SUBSISTENCE_ALLOWANCE_CERTIFICATE'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export const CERTIFICATE_STATUSES = ['VALID', 'SUSPENDED', 'REVOKED', 'EXPIRED'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** The provincial department whose key seals in every one of its authorities' names. */
export const DEPARTMENT_NAMES: Record<IssuingDepartment, string> = {
  PUBLIC_SECURITY: '广东省公安厅',
  CIVIL_AFFAIRS: '广东省民政厅',
  MARKET_REGULATION: '广东省市场监督管理局',
};

const AUTHORITY: Record<IssuingDepartment, (district: District) => string> = {
  PUBLIC_SECURITY: (d) => `${d.city}公安局${d.name}分局`,
  CIVIL_AFFAIRS: (d) => `${d.city}${d.name}民政局`,
  MARKET_REGULATION: (d) => `${d.city}${d.name}市场监督管理局`,
};

export interface Issuer {
  department: IssuingDepartment;
  authority: string;
  regionCode: string;
}

/**
 * The division-code prefix of the districts each department's key seals for: its province. A certificate
 * of another province's authority is that province's to seal.
 */
export const JURISDICTION: Record<IssuingDepartment, string> = {
  PUBLIC_SECURITY: '44',
  CIVIL_AFFAIRS: '44',
  MARKET_REGULATION: '44',
};

/** Whether the district is one of the department's own: a district code (GB/T 2260) inside its jurisdiction. */
export function issuesIn(department: IssuingDepartment, regionCode: string): boolean {
  if (!regionCode.startsWith(JURISDICTION[department])) return false;
  try {
    districtByCode(regionCode);
    return true;
  } catch {
    return false;
  }
}

/** The authority of a district (GB/T 2260) that issues in a department's name. */
export function issuerIn(department: IssuingDepartment, regionCode: string): Issuer {
  return { department, authority: AUTHORITY[department](districtByCode(regionCode)), regionCode };
}

export const KIND_ISSUER: Record<CertificateKind, IssuingDepartment> = {
  RESIDENT_ID_CARD: 'PUBLIC_SECURITY',
  HOUSEHOLD_REGISTER: 'PUBLIC_SECURITY',
  MARRIAGE_CERTIFICATE: 'CIVIL_AFFAIRS',
  BUSINESS_LICENCE: 'MARKET_REGULATION',
  SUBSISTENCE_ALLOWANCE_CERTIFICATE: 'CIVIL_AFFAIRS',
};

/** The letters a kind's numbers begin with (marriage certificates carry the registry's 字号 instead). */
const NUMBER_PREFIX: Record<Exclude<CertificateKind, 'MARRIAGE_CERTIFICATE'>, string> = {
  RESIDENT_ID_CARD: 'SF',
  HOUSEHOLD_REGISTER: 'HK',
  BUSINESS_LICENCE: 'YZ',
  SUBSISTENCE_ALLOWANCE_CERTIFICATE: 'DB',
};

/** 证照编号: kind letters, the issuing region, the year of issue and a serial, e.g. YZ440106202600000042. */
export function certificateNumber(kind: Exclude<CertificateKind, 'MARRIAGE_CERTIFICATE'>, regionCode: string, issuedOn: string, serial: number): string {
  return `${NUMBER_PREFIX[kind]}${regionCode}${issuedOn.slice(0, 4)}${String(serial).padStart(8, '0')}`;
}

/**
 * The apps that act for each issuing department, in the library's own code rather than the contracts: the
 * contract lets an app call the mutations at all, this says on whose certificates. Market supervision is
 * market regulation's own app; the service hall issues only on delivering an approved application
 * (颁证送达) that the library confirms, in the name of the handling region's department, and changes no
 * status of its own accord: the licence it replaces is the delivered application's enterprise's.
 */
const ACTING_FOR: Record<string, { issues: readonly IssuingDepartment[]; revokes: readonly IssuingDepartment[]; onDelivery: boolean }> = {
  'market-supervision': { issues: ['MARKET_REGULATION'], revokes: ['MARKET_REGULATION'], onDelivery: false },
  'service-hall': { issues: ISSUING_DEPARTMENTS, revokes: [], onDelivery: true },
};

/** Whether the app issues only on delivering an application, which it must name. */
export function issuesOnDelivery(app: string): boolean {
  return ACTING_FOR[app]?.onDelivery === true;
}

export function mayIssue(app: string, department: IssuingDepartment): boolean {
  return ACTING_FOR[app]?.issues.includes(department) === true;
}

export function mayChangeStatus(app: string, department: IssuingDepartment): boolean {
  return ACTING_FOR[app]?.revokes.includes(department) === true;
}

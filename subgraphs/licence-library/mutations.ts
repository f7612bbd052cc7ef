/**
 * Issuing and changing the status of certificates, by the apps that act for their issuers (issuers.ts).
 * Each checks before it acts: a certificate of another issuer or outside the caller's region is refused
 * like one that does not exist. Invalid input is BAD_USER_INPUT and writes nothing.
 */
import { GraphQLError } from 'graphql';
import { districtByCode, outOfReach, withinRegions, type DepartmentContext } from '@govgraph/department-kit';
import { todayInChina } from './certificate-view';
import type { CertificateContent } from './document';
import { certificateNumber, issuerIn, KIND_ISSUER, mayChangeStatus, mayIssue, type CertificateKind } from './issuers';
import { sealCertificate } from './seal';
import { newRow, type CertificateRow, type LicenceLibraryStore, type StoredStatus } from './store';

type Caller = DepartmentContext<unknown, unknown>['caller'];

const badInput = (message: string, argument = 'input') => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
const REASON_LENGTH = 200;

export interface IssueCertificateInput {
  kind: CertificateKind;
  holderIdNumber?: string | null;
  holderCreditCode?: string | null;
  representativeIdNumber?: string | null;
  regionCode: string;
  validUntil?: string | null;
  businessLicence?: {
    name: string;
    entityKind: string;
    legalRepresentativeName: string;
    registeredCapital: number;
    establishedOn: string;
    address: string;
    businessScope: string;
  } | null;
}

function knownDistrict(regionCode: string): boolean {
  try {
    districtByCode(regionCode);
    return true;
  } catch {
    return false;
  }
}

/**
 * 颁证: seals and stores a business licence in the name of the region's market regulation authority. A
 * licence issued to an enterprise that holds a valid one replaces it (换发): the old one is withdrawn.
 */
export async function issueCertificate(store: LicenceLibraryStore, caller: Caller, input: IssueCertificateInput): Promise<CertificateRow> {
  if (input.kind !== 'BUSINESS_LICENCE' || !input.businessLicence) {
    throw badInput('Only a BUSINESS_LICENCE with its businessLicence data can be issued through the graph so far.');
  }
  if (!input.holderCreditCode || input.holderIdNumber) throw badInput('A business licence is held by an enterprise: give holderCreditCode and no holderIdNumber.');
  // The representative opens the licence as their own (platform.yaml ownerOf): a licence without one would be no citizen's to open.
  if (!input.representativeIdNumber) throw badInput('A business licence names its legal representative: give representativeIdNumber.');
  const department = KIND_ISSUER[input.kind];
  if (!mayIssue(caller.app, department)) throw new GraphQLError(`Forbidden: app ${caller.app} does not issue certificates for ${department}.`, { extensions: { code: 'FORBIDDEN' } });
  if (!knownDistrict(input.regionCode)) throw badInput(`No issuing authority is known for region ${input.regionCode}: give a district code.`);
  if (!withinRegions(input.regionCode, caller.regions ?? [])) throw new GraphQLError("Forbidden: that region lies outside the caller's region.", { extensions: { code: 'FORBIDDEN' } });
  const today = todayInChina();
  if (input.validUntil && input.validUntil <= today) throw badInput('validUntil must be after today.');
  const prefix = certificateNumber('BUSINESS_LICENCE', input.regionCode, today, 0).slice(0, -8);
  const content: CertificateContent = {
    number: certificateNumber('BUSINESS_LICENCE', input.regionCode, today, (await store.countNumbered(prefix)) + 1),
    kind: input.kind,
    holder: { type: 'Enterprise', key: input.holderCreditCode },
    issuer: issuerIn(department, input.regionCode),
    issuedOn: today,
    validUntil: input.validUntil ?? null,
    data: { creditCode: input.holderCreditCode, ...input.businessLicence },
  };
  const superseded = (await store.ofHolders([input.holderCreditCode])).filter((row) => row.kind === input.kind && row.status !== 'REVOKED');
  const row = newRow(content, await sealCertificate(content, store.keyring), input.representativeIdNumber);
  await store.insert([row]);
  for (const old of superseded) await store.setStatus(old.number, { status: 'REVOKED', reason: `换发新照 ${row.number}`, since: today, by: caller.app });
  return row;
}

const CHANGES = {
  revoke: { to: 'REVOKED', from: ['VALID', 'SUSPENDED'], done: 'revoked' },
  suspend: { to: 'SUSPENDED', from: ['VALID'], done: 'suspended' },
  reinstate: { to: 'VALID', from: ['SUSPENDED'], done: 'reinstated' },
} as const satisfies Record<string, { to: StoredStatus; from: readonly StoredStatus[]; done: string }>;

export type StatusChange = keyof typeof CHANGES;

/** Revokes, suspends or reinstates a certificate of an issuer the caller acts for. */
export async function changeStatus(store: LicenceLibraryStore, caller: Caller, change: StatusChange, number: string, reason: string): Promise<CertificateRow> {
  const [row] = await store.byNumbers([number]);
  if (!row || !mayChangeStatus(caller.app, row.issuerDepartment) || !withinRegions(row.issuerRegion, caller.regions ?? [])) throw outOfReach('certificate', number, 'number');
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > REASON_LENGTH) throw badInput(`Give a reason of 1 to ${REASON_LENGTH} characters.`, 'reason');
  const { to, from, done } = CHANGES[change];
  if (!(from as readonly StoredStatus[]).includes(row.status)) throw badInput(`Certificate ${number} is ${row.status}: only a ${from.join(' or ')} certificate can be ${done}.`, 'number');
  const since = todayInChina();
  await store.setStatus(number, { status: to, reason: trimmed, since, by: caller.app });
  return { ...row, status: to, statusReason: trimmed, statusSince: since, statusChangedBy: caller.app };
}

/**
 * Issuing and changing the status of certificates, by the apps that act for their issuers (issuers.ts).
 * Every status change, a replacement's revocation of the licence it replaces included, goes through
 * `transition`: a certificate of another issuer or outside the write's reach (reach.ts) is refused like
 * one that does not exist. Invalid input is BAD_USER_INPUT and writes nothing; an issue is one transaction.
 */
import { GraphQLError } from 'graphql';
import { outOfReach, type DepartmentContext } from '@govgraph/department-kit';
import { todayInChina } from './certificate-view';
import { assertDeliveryFits, confirmedDelivery, differingFields, type ApplicationLookup, type BusinessLicenceData, type ConfirmedDelivery, type Delivery } from './delivery';
import type { CertificateContent } from './document';
import { certificateNumber, DEPARTMENT_NAMES, issuerIn, issuesIn, issuesOnDelivery, JURISDICTION, KIND_ISSUER, mayChangeStatus, mayIssue, type CertificateKind } from './issuers';
import type { Keyring } from './keyring';
import { holderRegistration, writeReaches } from './reach';
import type { RepresentativeLookup } from './register';
import { sealCertificate } from './seal';
import { ApplicationDelivered, newRow, NumberTaken, type CertificateRecords, type CertificateRow, type LicenceLibraryStore, type StoredStatus } from './store';

type Caller = DepartmentContext<unknown, unknown>['caller'];

const badInput = (message: string, argument = 'input') => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
const forbidden = (message: string) => new GraphQLError(`Forbidden: ${message}`, { extensions: { code: 'FORBIDDEN' } });
const REASON_LENGTH = 200;
/** Concurrent issues in one region may draw the same serial: the loser draws again, this many times in all. */
const NUMBER_ATTEMPTS = 5;

export interface IssueCertificateInput {
  kind: CertificateKind;
  holderIdNumber?: string | null;
  holderCreditCode?: string | null;
  representativeIdNumber?: string | null;
  regionCode: string;
  validUntil?: string | null;
  businessLicence?: BusinessLicenceData | null;
  application?: string | null;
}

const CHANGES = {
  revoke: { to: 'REVOKED', from: ['VALID', 'SUSPENDED'], done: 'revoked' },
  suspend: { to: 'SUSPENDED', from: ['VALID'], done: 'suspended' },
  reinstate: { to: 'VALID', from: ['SUSPENDED'], done: 'reinstated' },
  // 换发: a suspended (暂扣) or revoked (吊销) licence is not lifted by issuing another.
  supersede: { to: 'REVOKED', from: ['VALID'], done: 'replaced by issuing a new one' },
} as const satisfies Record<string, { to: StoredStatus; from: readonly StoredStatus[]; done: string }>;

export type StatusChange = Exclude<keyof typeof CHANGES, 'supersede'>;

/**
 * Whether the caller may change the certificate's status: within the write's reach (reach.ts), its
 * issuer's app; or the delivery of an application for that certificate's own holder (换发 on 营业执照变更).
 */
function reaches(caller: Caller, row: CertificateRow, delivery: Delivery | null): boolean {
  if (!writeReaches(row.issuerDepartment, caller.regions, row.issuerRegion, holderRegistration(row.holderType, row.holderKey))) return false;
  if (delivery) return row.holderKey === delivery.holderKey && row.kind === delivery.kind;
  return mayChangeStatus(caller.app, row.issuerDepartment);
}

/**
 * The one way a certificate's status changes, by hand or by issuing its replacement: refused unless the
 * caller reaches it and its status allows the change; written only while the status is still the one checked.
 */
async function transition(records: CertificateRecords, caller: Caller, number: string, change: keyof typeof CHANGES, reason: string, delivery: Delivery | null = null): Promise<CertificateRow> {
  const [row] = await records.byNumbers([number]);
  if (!row || !reaches(caller, row, delivery)) throw outOfReach('certificate', number, 'number');
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > REASON_LENGTH) throw badInput(`Give a reason of 1 to ${REASON_LENGTH} characters.`, 'reason');
  const { to, from, done } = CHANGES[change];
  if (!(from as readonly StoredStatus[]).includes(row.status)) throw badInput(`Certificate ${number} is ${row.status}: only a ${from.join(' or ')} certificate can be ${done}.`, 'number');
  const changed = { status: to, reason: trimmed, since: todayInChina(), by: caller.app };
  if (!(await records.setStatus(number, from, changed))) throw badInput(`Certificate ${number} has just changed status: try again.`, 'number');
  return { ...row, status: to, statusReason: trimmed, statusSince: changed.since, statusChangedBy: caller.app };
}

/**
 * The delivery the issue is, confirmed with the service hall (and for a change with the register); null for
 * an app that issues of its own accord. Licence data that differs from what the application and the register
 * state is refused, not corrected: the caller is then not doing what it says.
 */
async function deliveryOf(caller: Caller, input: IssueCertificateInput & { holderCreditCode: string; representativeIdNumber: string }, applications: ApplicationLookup, today: string): Promise<ConfirmedDelivery | null> {
  if (!issuesOnDelivery(caller.app)) {
    if (input.application) throw badInput(`App ${caller.app} issues of its own accord: give no application.`);
    return null;
  }
  if (!input.application) throw badInput(`App ${caller.app} issues only on delivering an application (颁证送达): give application.`);
  const delivery: Delivery = { kind: input.kind, holderKey: input.holderCreditCode, representativeKey: input.representativeIdNumber, regionCode: input.regionCode };
  const confirmed = confirmedDelivery(await applications(input.application), delivery, today);
  if (!confirmed) {
    throw forbidden(`application ${input.application} is not an approved application delivering this ${input.kind} to ${input.holderCreditCode} in ${input.regionCode}.`);
  }
  // Data the caller sends too must be the same: a caller that disagrees is not told it succeeded.
  const differing = input.businessLicence ? differingFields(input.businessLicence, confirmed.licence) : [];
  if (differing.length > 0) {
    throw forbidden(`the licence data differs from what application ${input.application} and market regulation's register state (${differing.join(', ')}): nothing was issued.`);
  }
  return confirmed;
}

/**
 * 颁证: seals and stores a business licence in the name of the region's market regulation authority. A
 * licence issued to an enterprise that holds a valid one replaces it (换发): the old one is revoked through
 * `transition`, in the same transaction, so a caller that may not revoke it issues nothing. A first
 * licence is a founding (企业开办): only on delivering its application, registered in the handling region.
 * What a delivery may issue over the holder's licences is `assertDeliveryFits`'s to say; whom an issue of
 * an app's own accord names as representative, `assertRegisteredRepresentative`'s.
 */
export async function issueCertificate(
  store: LicenceLibraryStore,
  caller: Caller,
  input: IssueCertificateInput,
  applications: ApplicationLookup,
  representatives: RepresentativeLookup,
): Promise<CertificateRow> {
  if (input.kind !== 'BUSINESS_LICENCE') throw badInput('Only a BUSINESS_LICENCE can be issued through the graph so far.');
  const { holderCreditCode, representativeIdNumber } = input;
  if (!holderCreditCode || input.holderIdNumber) throw badInput('A business licence is held by an enterprise: give holderCreditCode and no holderIdNumber.');
  // The representative opens the licence as their own (platform.yaml ownerOf): a licence without one would be no citizen's to open.
  if (!representativeIdNumber) throw badInput('A business licence names its legal representative: give representativeIdNumber.');
  const department = KIND_ISSUER[input.kind];
  if (!mayIssue(caller.app, department)) throw forbidden(`app ${caller.app} does not issue certificates for ${department}.`);
  if (!issuesIn(department, input.regionCode)) {
    throw badInput(`${DEPARTMENT_NAMES[department]} issues in the districts of its own province only: give one of its district codes (GB/T 2260, beginning ${JURISDICTION[department]}).`);
  }
  if (!writeReaches(department, caller.regions, input.regionCode, holderRegistration('Enterprise', holderCreditCode))) {
    throw forbidden(`that region or that enterprise's registration lies outside the caller's regions within ${DEPARTMENT_NAMES[department]}'s jurisdiction.`);
  }
  const today = todayInChina();
  if (input.validUntil && input.validUntil <= today) throw badInput('validUntil must be after today.');
  const delivery = await deliveryOf(caller, { ...input, holderCreditCode, representativeIdNumber }, applications, today);
  // A delivery's licence states what the application and the register say; any other issue's, its input.
  const businessLicence = delivery?.licence ?? input.businessLicence;
  if (!businessLicence) throw badInput("A business licence issued of an app's own accord states its data: give businessLicence.");
  const licence: Licence = { ...input, holderCreditCode, representativeIdNumber, businessLicence };
  // A delivery's representative is the register's already (assertDeliveryFits); any other issue's is read here.
  const registered = delivery ? null : await representatives(holderCreditCode);
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.inTransaction((records) => issueIn(records, store.keyring, caller, licence, delivery, registered, today));
    } catch (error) {
      // A delivery that lost the race to another of the same application: the index refused it, nothing was stored.
      if (error instanceof ApplicationDelivered) throw alreadyDelivered(delivery!.application);
      if (!(error instanceof NumberTaken)) throw error;
      if (attempt === NUMBER_ATTEMPTS) throw new GraphQLError('Many licences are being issued in this region at once: nothing was issued. Try again.', { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
    }
  }
}

type Licence = IssueCertificateInput & { holderCreditCode: string; representativeIdNumber: string; businessLicence: BusinessLicenceData };

const alreadyDelivered = (application: string) =>
  forbidden(`application ${application} has already been delivered: one approved application issues one licence. Nothing was issued or revoked.`);

/**
 * An issue of an app's own accord names the legal representative market regulation's register names; for
 * an enterprise the register does not hold (one founded through the graph: the register takes no writes
 * through it yet), the one its licence in force names. Throws, so that nothing is issued or revoked.
 */
function assertRegisteredRepresentative(input: Licence, named: string | null): void {
  if (named !== null && named !== input.representativeIdNumber) {
    throw forbidden(`market regulation's register does not name that person as ${input.holderCreditCode}'s legal representative: a licence names the registered one (a change of representative is registered first). Nothing was issued.`);
  }
}

async function issueIn(records: CertificateRecords, keyring: Keyring, caller: Caller, input: Licence, delivery: ConfirmedDelivery | null, registered: string | null, today: string): Promise<CertificateRow> {
  const held = (await records.ofHolders([input.holderCreditCode])).filter((row) => row.kind === input.kind);
  if (delivery && held.some((row) => row.application === delivery.application)) throw alreadyDelivered(delivery.application);
  if (delivery) assertDeliveryFits(delivery, held.length);
  const replaced = held.filter((row) => row.status !== 'REVOKED');
  if (held.length === 0) {
    if (!delivery) throw badInput(`${input.holderCreditCode} holds no business licence: a first one is issued only on delivering its founding application (企业开办).`);
    if (input.holderCreditCode.slice(2, 8) !== input.regionCode) throw badInput('A founded enterprise is registered where its application is handled: its credit code must name the issuing region.');
  } else if (replaced.length === 0) {
    const [last] = held;
    if (!reaches(caller, last!, delivery)) throw outOfReach('certificate', last!.number, 'input');
    throw badInput(`${input.holderCreditCode}'s business licence ${last!.number} was revoked (${last!.statusReason ?? 'no reason'}): a revoked licence is not replaced by issuing.`);
  }
  if (!delivery) assertRegisteredRepresentative(input, registered ?? replaced[0]?.representativeKey ?? null);
  const prefix = certificateNumber('BUSINESS_LICENCE', input.regionCode, today, 0).slice(0, -8);
  const content: CertificateContent = {
    number: certificateNumber('BUSINESS_LICENCE', input.regionCode, today, (await records.lastSerial(prefix)) + 1),
    kind: input.kind,
    holder: { type: 'Enterprise', key: input.holderCreditCode },
    issuer: issuerIn(KIND_ISSUER[input.kind], input.regionCode),
    issuedOn: today,
    validUntil: input.validUntil ?? null,
    data: { creditCode: input.holderCreditCode, ...input.businessLicence },
  };
  const row = newRow(content, await sealCertificate(content, keyring), input.representativeIdNumber, delivery?.application ?? null);
  await records.insert([row]);
  for (const old of replaced) await transition(records, caller, old.number, 'supersede', `换发新照 ${row.number}`, delivery);
  return row;
}

/** Revokes, suspends or reinstates a certificate of an issuer the caller acts for. */
export function changeStatus(store: LicenceLibraryStore, caller: Caller, change: StatusChange, number: string, reason: string): Promise<CertificateRow> {
  return store.inTransaction((records) => transition(records, caller, number, change, reason));
}

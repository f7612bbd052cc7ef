/**
 * 颁证送达: an issue by an app that issues only on delivery names the application it delivers. The library
 * does not take the caller's word for it: it reads the application, and for a change (变更) market
 * regulation's register of the enterprise, through the gateway as its own app (contract licence-library,
 * purpose DELIVERY_CHECK), audited like any reader; what the licence states is what those say.
 */
import { GraphQLError } from 'graphql';
import type { GatewayClient } from '@govgraph/department-kit';
import type { CertificateKind } from './issuers';

export const DELIVERY_CHECK_PURPOSE = 'DELIVERY_CHECK';

/**
 * An application as the graph answers it: what the certificate it delivers must agree with. The service
 * hall answers the application; its enterprise's legal representative is market regulation's register's
 * (null for an enterprise the register does not hold, such as one a founding founds).
 */
export interface DeliveredApplication {
  /** Its number, as asked for. */
  id: string;
  status: string;
  handlingRegion: string;
  item: { issuesCertificate: CertificateKind | null; foundsEnterprise: boolean };
  applicant: { idNumber: string } | null;
  enterprise: { creditCode: string; legalRepresentative: { idNumber: string } | null } | null;
  /** The form as the service hall holds it: what departments prefilled (by source), then what the applicant filled in. */
  form: ReadonlyArray<{ key: string; value: string | null; source: string }>;
  /** For a change (变更): market regulation's register of the enterprise (null: it holds none); null for a founding. */
  registered: RegisteredEnterprise | null;
}

/** The fields a business licence states besides the credit code (schema BusinessLicenceInput). */
export interface BusinessLicenceData {
  name: string;
  entityKind: string;
  legalRepresentativeName: string;
  registeredCapital: number;
  establishedOn: string;
  address: string;
  businessScope: string;
}

/** Of what a business licence states, the fields market regulation's register holds (the entity kind as `kind`; any but the name may be missing). */
type RegisterField = 'registeredCapital' | 'establishedOn' | 'address' | 'businessScope';
export type RegisteredEnterprise = Pick<BusinessLicenceData, 'name'> & { kind: string | null } & { [F in RegisterField]: BusinessLicenceData[F] | null };

/** The application by its number, or null when there is none. */
export type ApplicationLookup = (id: string) => Promise<DeliveredApplication | null>;

const APPLICATION = `query DeliveredApplication($id: ID!) {
  application(id: $id) {
    status handlingRegion item { issuesCertificate foundsEnterprise } applicant { idNumber }
    enterprise { creditCode legalRepresentative { idNumber } }
    form { key value source }
  }
}`;

// Read on its own: an enterprise a founding founds is not in the register, and its non-null name would null the application's.
const REGISTERED = `query RegisteredEnterprise($code: CreditCode!) {
  enterprise(creditCode: $code) { name kind registeredCapital establishedOn address businessScope }
}`;

const unconfirmed = () =>
  new GraphQLError('What this issue relies on could not be confirmed through the graph (the service hall, market regulation): nothing was issued. Try again.', {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

/** A read through the gateway as the library's own app for the purpose; SUBGRAPH_UNAVAILABLE when it is not answered in full. */
export function readThrough(gateway: GatewayClient, parentRequestId: string, purpose: string) {
  return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    let reply;
    try {
      reply = await gateway<T>(query, variables, { purpose, parentRequestId });
    } catch {
      throw unconfirmed();
    }
    if (reply.errors?.length || reply.data === undefined || reply.data === null) throw unconfirmed();
    return reply.data;
  };
}

export function applicationsThrough(gateway: GatewayClient, parentRequestId: string): ApplicationLookup {
  const read = readThrough(gateway, parentRequestId, DELIVERY_CHECK_PURPOSE);
  return async (id) => {
    const { application } = await read<{ application: Omit<DeliveredApplication, 'id' | 'registered'> | null }>(APPLICATION, { id });
    if (!application) return null;
    const code = application.enterprise?.creditCode;
    const registered = code && !application.item.foundsEnterprise ? (await read<{ enterprise: RegisteredEnterprise | null }>(REGISTERED, { code })).enterprise : null;
    return { ...application, id, registered };
  };
}

/** What the certificate issued on delivering an application must be: the approved application's own. */
export interface Delivery {
  kind: CertificateKind;
  holderKey: string;
  representativeKey: string;
  regionCode: string;
}

/**
 * A delivery the library confirmed: with what the application is (a founding or not), and whom market
 * regulation's register names as the holder's legal representative (null: the register does not hold it).
 */
export interface ConfirmedDelivery extends Delivery {
  application: string;
  founds: boolean;
  registeredRepresentative: string | null;
  /** What the licence states: the register's and the application's (`deliveredLicence`), never the caller's. */
  licence: BusinessLicenceData;
}

/** The entity kind a founding (企业开办) founds: its applicant is its one natural-person shareholder. */
const FOUNDED_ENTITY_KIND = '有限责任公司（自然人独资）';

/**
 * What the licence delivering the application states, as the service hall's delivery builds it: for a
 * founding, what the application's form asks for, founded today; for a change (变更), market regulation's
 * register with the changes the form asks for. The legal representative's name is the one public security
 * prefilled for the applicant (the register names the applicant as representative: `assertDeliveryFits`).
 * Null when the application or the register lacks what a licence states.
 */
export function deliveredLicence(application: DeliveredApplication, today: string): BusinessLicenceData | null {
  const asked = (key: string) => application.form.find((f) => f.key === key && f.source === 'APPLICANT')?.value ?? undefined;
  const legalRepresentativeName = application.form.find((f) => f.key === 'name' && f.source === 'public-security')?.value;
  const registered = application.registered;
  if (!legalRepresentativeName || (!application.item.foundsEnterprise && !registered)) return null;
  const name = asked('enterpriseName') ?? registered?.name;
  if (!name) return null;
  return {
    name,
    entityKind: registered?.kind ?? FOUNDED_ENTITY_KIND,
    legalRepresentativeName,
    registeredCapital: Number(asked('registeredCapital') ?? registered?.registeredCapital ?? 0),
    establishedOn: registered?.establishedOn ?? today,
    address: asked('enterpriseAddress') ?? registered?.address ?? '',
    businessScope: asked('businessScope') ?? registered?.businessScope ?? '',
  };
}

/** The fields in which what the caller asks to seal differs from what the licence states. */
export function differingFields(asked: BusinessLicenceData, licence: BusinessLicenceData): string[] {
  return (Object.keys(licence) as Array<keyof BusinessLicenceData>).filter((field) => asked[field] !== licence[field]);
}

/**
 * The delivery confirmed, when the application is approved and waiting for this very certificate to be
 * delivered, with what the licence states; null otherwise.
 */
export function confirmedDelivery(application: DeliveredApplication | null, delivery: Delivery, today: string): ConfirmedDelivery | null {
  const delivers =
    application !== null &&
    application.status === 'APPROVED' &&
    application.item.issuesCertificate === delivery.kind &&
    application.enterprise?.creditCode === delivery.holderKey &&
    application.applicant?.idNumber === delivery.representativeKey &&
    application.handlingRegion === delivery.regionCode;
  const licence = delivers ? deliveredLicence(application, today) : null;
  if (!licence) return null;
  return {
    ...delivery,
    application: application!.id,
    founds: application!.item.foundsEnterprise,
    registeredRepresentative: application!.enterprise!.legalRepresentative?.idNumber ?? null,
    licence,
  };
}

const refused = (message: string) => new GraphQLError(`Forbidden: ${message}`, { extensions: { code: 'FORBIDDEN' } });

/**
 * What a delivery may issue over the licences its holder holds, whatever the service hall's rows say. A
 * founding (企业开办) founds an enterprise: it issues a first licence only, to one the register does not hold
 * either. Any other delivery replaces (换发) a licence only for the applicant market regulation's register
 * names as the enterprise's legal representative, so a licence naming someone else is superseded only on a
 * change of representative the register confirms; a first licence is a founding's only. Throws, so that
 * nothing is issued or revoked.
 */
export function assertDeliveryFits(delivery: ConfirmedDelivery, heldOfKind: number): void {
  if (delivery.founds) {
    if (heldOfKind > 0 || delivery.registeredRepresentative !== null) {
      throw refused(`a founding (企业开办) issues only the first licence of the enterprise it founds, and ${delivery.holderKey} already exists: nothing was issued.`);
    }
    return;
  }
  if (heldOfKind === 0) throw refused(`${delivery.holderKey} holds no business licence to replace: a first one is only a founding's (企业开办). Nothing was issued.`);
  if (delivery.registeredRepresentative !== delivery.representativeKey) {
    throw refused(`market regulation's register does not name the applicant as ${delivery.holderKey}'s legal representative: a delivery replaces only that representative's licence. Nothing was issued.`);
  }
}

/**
 * 颁证送达: an issue by an app that issues only on delivery names the application it delivers. The library
 * does not take the caller's word for it: it reads the application through the gateway as its own app
 * (contract licence-library, purpose DELIVERY_CHECK), audited like any reader.
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
  status: string;
  handlingRegion: string;
  item: { issuesCertificate: CertificateKind | null; foundsEnterprise: boolean };
  applicant: { idNumber: string } | null;
  enterprise: { creditCode: string; legalRepresentative: { idNumber: string } | null } | null;
}

/** The application by its number, or null when there is none. */
export type ApplicationLookup = (id: string) => Promise<DeliveredApplication | null>;

const APPLICATION = `query DeliveredApplication($id: ID!) {
  application(id: $id) {
    status handlingRegion item { issuesCertificate foundsEnterprise } applicant { idNumber }
    enterprise { creditCode legalRepresentative { idNumber } }
  }
}`;

const unconfirmed = () =>
  new GraphQLError('The application this issue delivers could not be confirmed with the service hall: nothing was issued. Try again.', {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

export function applicationsThrough(gateway: GatewayClient, parentRequestId: string): ApplicationLookup {
  return async (id) => {
    let reply;
    try {
      reply = await gateway<{ application: DeliveredApplication | null }>(APPLICATION, { id }, { purpose: DELIVERY_CHECK_PURPOSE, parentRequestId });
    } catch {
      throw unconfirmed();
    }
    if (reply.errors?.length || reply.data === undefined || reply.data === null) throw unconfirmed();
    return reply.data.application;
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
  founds: boolean;
  registeredRepresentative: string | null;
}

/**
 * The delivery confirmed, when the application is approved and waiting for this very certificate to be
 * delivered; null otherwise.
 */
export function confirmedDelivery(application: DeliveredApplication | null, delivery: Delivery): ConfirmedDelivery | null {
  const delivers =
    application !== null &&
    application.status === 'APPROVED' &&
    application.item.issuesCertificate === delivery.kind &&
    application.enterprise?.creditCode === delivery.holderKey &&
    application.applicant?.idNumber === delivery.representativeKey &&
    application.handlingRegion === delivery.regionCode;
  if (!delivers) return null;
  return { ...delivery, founds: application.item.foundsEnterprise, registeredRepresentative: application.enterprise!.legalRepresentative?.idNumber ?? null };
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

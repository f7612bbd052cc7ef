/**
 * 颁证送达: an issue by an app that issues only on delivery names the application it delivers. The library
 * does not take the caller's word for it: it reads the application through the gateway as its own app
 * (contract licence-library, purpose DELIVERY_CHECK), audited like any reader.
 */
import { GraphQLError } from 'graphql';
import type { GatewayClient } from '@govgraph/department-kit';
import type { CertificateKind } from './issuers';

export const DELIVERY_CHECK_PURPOSE = 'DELIVERY_CHECK';

/** An application as the service hall answers it: what the certificate it delivers must agree with. */
export interface DeliveredApplication {
  status: string;
  handlingRegion: string;
  item: { issuesCertificate: CertificateKind | null };
  applicant: { idNumber: string } | null;
  enterprise: { creditCode: string } | null;
}

/** The application by its number, or null when there is none. */
export type ApplicationLookup = (id: string) => Promise<DeliveredApplication | null>;

const APPLICATION = `query DeliveredApplication($id: ID!) {
  application(id: $id) { status handlingRegion item { issuesCertificate } applicant { idNumber } enterprise { creditCode } }
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

/** Whether the application is approved, waiting for this very certificate to be delivered. */
export function delivers(application: DeliveredApplication | null, delivery: Delivery): boolean {
  return (
    application !== null &&
    application.status === 'APPROVED' &&
    application.item.issuesCertificate === delivery.kind &&
    application.enterprise?.creditCode === delivery.holderKey &&
    application.applicant?.idNumber === delivery.representativeKey &&
    application.handlingRegion === delivery.regionCode
  );
}

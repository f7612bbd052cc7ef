/**
 * 颁证送达: delivering an approved application of an item that produces a certificate issues it, through the
 * gateway as the service hall's own app (purpose CERTIFICATE_ISSUING), sealed in the name of the handling
 * region's department and added to the holder's 卡包 by the certificate library at once.
 *
 * 企业开办 founds an enterprise that market regulation's register does not hold yet (the register takes no
 * writes through the graph): the approval assigns its unified social credit code (GB 32100, registered in
 * the handling region), the application records it as its enterprise, and the licence is issued to it.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { CREDIT_CODE_CHARSET, creditCodeCheckCharacter, organisationCodeCheckCharacter, type GatewayClient } from '@govgraph/department-kit';
import type { CertificateKind, ServiceItemRow } from './catalogue';
import type { ApplicationRow } from './store';

export const CERTIFICATE_ISSUING_PURPOSE = 'CERTIFICATE_ISSUING';

/** What 企业开办's applicant fills in for the licence, besides the name (the legal representative is the applicant). */
export const FOUNDING_FORM_FIELDS = ['registeredCapital', 'businessScope', 'enterpriseAddress'] as const;

export interface IssuedCertificate {
  kind: CertificateKind;
  number: string;
}

/** Whether approving this application founds an enterprise, which then needs its credit code. */
export const foundsEnterprise = (item: ServiceItemRow) => item.issuesCertificate === 'BUSINESS_LICENCE' && !item.concernsEnterprise;

/**
 * The credit code of an enterprise founded by an application: 91 (enterprise registered by market
 * regulation), the handling region, an organisation code derived from the application number (one
 * application founds one enterprise) beginning MA like every code assigned since 2015, and the check characters.
 */
export function assignedCreditCode(applicationId: string, handlingRegion: string): string {
  const digest = createHash('sha256').update(applicationId).digest();
  const body = [...digest.subarray(0, 6)].map((byte) => CREDIT_CODE_CHARSET[byte % 31]).join('');
  const organisation = `MA${body}`;
  const first17 = `91${handlingRegion}${organisation}${organisationCodeCheckCharacter(organisation)}`;
  return first17 + creditCodeCheckCharacter(first17);
}

const ISSUE = `mutation Issue($input: IssueCertificateInput!) { issueCertificate(input: $input) { number kind } }`;

const notIssued = (id: string, why: string) =>
  new GraphQLError(`Application ${id} was not delivered: its certificate could not be issued (${why}). Nothing changed: deliver it again.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });

/**
 * Issues the certificate an application's delivery produces. Throws, having issued nothing, when it cannot:
 * the caller then delivers nothing either.
 */
export async function issueOnDelivery(gateway: GatewayClient, item: ServiceItemRow, application: ApplicationRow, parentRequestId: string): Promise<IssuedCertificate> {
  if (!application.enterprise) throw notIssued(application.id, 'no enterprise holds it');
  let reply;
  try {
    reply = await gateway<{ issueCertificate: IssuedCertificate }>(
      ISSUE,
      // The applicant is the legal representative the licence names: it is theirs to open too. The library
      // confirms the application named (approved, this enterprise, applicant and region) before it issues,
      // and states on the licence what the application's form and market regulation's register say: the
      // hall sends no licence data of its own.
      {
        input: {
          kind: item.issuesCertificate,
          holderCreditCode: application.enterprise,
          representativeIdNumber: application.applicant,
          regionCode: application.handlingRegion,
          application: application.id,
        },
      },
      { purpose: CERTIFICATE_ISSUING_PURPOSE, parentRequestId },
    );
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    throw notIssued(application.id, 'the certificate library could not be reached');
  }
  const issued = reply.data?.issueCertificate;
  if (!issued) throw notIssued(application.id, reply.errors?.[0]?.extensions?.code ?? 'the certificate library refused');
  return issued;
}

/**
 * Whom market regulation's register names as an enterprise's legal representative, read through the gateway
 * as the library's own app (contract licence-library, purpose REPRESENTATIVE_CHECK), audited like any reader:
 * a licence issued of an app's own accord names that person, not whom the caller says.
 */
import type { GatewayClient } from '@govgraph/department-kit';
import { readThrough } from './delivery';

export const REPRESENTATIVE_CHECK_PURPOSE = 'REPRESENTATIVE_CHECK';

/** The register's legal representative's ID number; null when the register does not hold the enterprise (or names none). */
export type RepresentativeLookup = (creditCode: string) => Promise<string | null>;

const REPRESENTATIVE = `query RegisteredRepresentative($code: CreditCode!) {
  enterprise(creditCode: $code) { legalRepresentative { idNumber } }
}`;

export function representativesThrough(gateway: GatewayClient, parentRequestId: string): RepresentativeLookup {
  const read = readThrough(gateway, parentRequestId, REPRESENTATIVE_CHECK_PURPOSE);
  return async (code) => {
    const { enterprise } = await read<{ enterprise: { legalRepresentative: { idNumber: string } | null } | null }>(REPRESENTATIVE, { code });
    return enterprise?.legalRepresentative?.idNumber ?? null;
  };
}

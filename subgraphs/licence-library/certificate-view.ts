/** A stored certificate as the graph and an export show it: its status today, its document, its holder. */
import type { CertificateDocument } from './document';
import type { CertificateStatus } from './issuers';
import { toDocument } from './seal';
import { contentOf, sealOf, type CertificateRow } from './store';

/** Today's date in China Standard Time, the day expiry is judged on. */
export function todayInChina(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The stored status, or EXPIRED for a valid certificate past its validUntil. */
export function statusOn(row: CertificateRow, today: string): CertificateStatus {
  if (row.status === 'VALID' && row.validUntil !== null && row.validUntil < today) return 'EXPIRED';
  return row.status;
}

export function documentOf(row: CertificateRow): CertificateDocument {
  return toDocument(contentOf(row), sealOf(row));
}

/**
 * The status list: every certificate that is revoked or suspended, signed by the data bureau that runs the
 * library. An offline check given a list treats the certificates on it as not valid, as of the list's time.
 */
import { z } from 'zod';
import { canonicalJson } from './document';
import { findKey, verifiesWith, type Keyring, type PublishedKeys } from './keyring';
import type { CertificateRow } from './store';

export const STATUS_LIST_FORMAT = 'govgraph-certificate-status/1';

const entry = z
  .object({ number: z.string().min(1), status: z.enum(['REVOKED', 'SUSPENDED']), since: z.string().min(10), reason: z.string() })
  .strict();
export type StatusListEntry = z.infer<typeof entry>;

const statusList = z
  .object({
    format: z.literal(STATUS_LIST_FORMAT),
    issuedAt: z.string().min(10),
    entries: z.array(entry),
    seal: z.object({ keyId: z.string().min(1), signature: z.string().min(1) }).strict(),
  })
  .strict();
export type StatusList = z.infer<typeof statusList>;

const signed = (list: Omit<StatusList, 'seal'>, keyId: string) => Buffer.from(canonicalJson({ ...list, keyId }), 'utf8');

/** A withdrawn certificate (not VALID in the store) as the list names it. */
export function statusListEntry(row: CertificateRow): StatusListEntry {
  return { number: row.number, status: row.status === 'SUSPENDED' ? 'SUSPENDED' : 'REVOKED', since: row.statusSince ?? row.issuedOn, reason: row.statusReason ?? '' };
}

export async function signStatusList(entries: StatusListEntry[], keyring: Keyring, issuedAt = new Date().toISOString()): Promise<StatusList> {
  const list = { format: STATUS_LIST_FORMAT, issuedAt, entries } as const;
  const keyId = keyring.keyIdOf('DATA_BUREAU');
  return { ...list, seal: { keyId, signature: await keyring.sign('DATA_BUREAU', signed(list, keyId)) } };
}

/** The list when it is the data bureau's as published; an error saying why not otherwise. */
export function checkStatusList(json: unknown, keys: PublishedKeys): StatusList {
  const parsed = statusList.safeParse(json);
  if (!parsed.success) throw new Error(`not a status list (${STATUS_LIST_FORMAT}): ${parsed.error.issues.map((i) => `${i.path.join('.') || 'list'}: ${i.message}`).join('; ')}`);
  const { seal, ...list } = parsed.data;
  const key = findKey(keys, 'DATA_BUREAU', seal.keyId);
  if (!key) throw new Error(`the status list is signed with ${seal.keyId}, which the data bureau has not published`);
  if (!verifiesWith(key, signed(list, seal.keyId), seal.signature)) throw new Error('the status list does not verify with the data bureau\'s key: it was altered');
  return parsed.data;
}

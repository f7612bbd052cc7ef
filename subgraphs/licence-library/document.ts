/**
 * A certificate as it is exported and checked offline: its content, and the seal over it. The seal signs
 * the SM3 digest of every field (each of `data`'s fields on its own), so a check can name the field that
 * no longer matches, and the signature over those digests proves they are the issuer's.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CERTIFICATE_KINDS, ISSUING_DEPARTMENTS } from './issuers';

export const DOCUMENT_FORMAT = 'govgraph-certificate/1';
export const SEAL_ALGORITHM = 'SM2-SM3';

const dataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const certificateContent = z
  .object({
    number: z.string().min(1),
    kind: z.enum(CERTIFICATE_KINDS),
    holder: z.object({ type: z.enum(['Person', 'Enterprise']), key: z.string().min(1) }).strict(),
    issuer: z.object({ department: z.enum(ISSUING_DEPARTMENTS), authority: z.string().min(1), regionCode: z.string().regex(/^\d{6}$/) }).strict(),
    issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    data: z.record(z.string(), dataValue),
  })
  .strict();
export type CertificateContent = z.infer<typeof certificateContent>;

export const certificateSeal = z
  .object({
    algorithm: z.literal(SEAL_ALGORITHM),
    keyId: z.string().min(1),
    /** SM3 of each field's canonical JSON, hex, by field path (`number`, `data.name`, …). */
    digests: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    /** Base64 SM2 signature over the canonical JSON of `{ digests, keyId }`. */
    signature: z.string().min(1),
  })
  .strict();
export type CertificateSeal = z.infer<typeof certificateSeal>;

export const certificateDocument = certificateContent.extend({ format: z.literal(DOCUMENT_FORMAT), seal: certificateSeal }).strict();
export type CertificateDocument = z.infer<typeof certificateDocument>;

/** JSON with object keys sorted at every level and no white space: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sm3(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/** Every field the seal covers, by path: the top-level fields, and `data`'s one by one. */
export function sealedFields(content: CertificateContent): Map<string, unknown> {
  const fields = new Map<string, unknown>([
    ['number', content.number],
    ['kind', content.kind],
    ['holder', content.holder],
    ['issuer', content.issuer],
    ['issuedOn', content.issuedOn],
    ['validUntil', content.validUntil],
  ]);
  for (const [name, value] of Object.entries(content.data)) fields.set(`data.${name}`, value);
  return fields;
}

export function fieldDigests(content: CertificateContent): Record<string, string> {
  return Object.fromEntries([...sealedFields(content)].map(([path, value]) => [path, sm3(canonicalJson(value))]));
}

/** The bytes the issuer signs: the canonical JSON of the digests and the key that signs them. */
export function signedText(digests: Record<string, string>, keyId: string): Buffer {
  return Buffer.from(canonicalJson({ digests, keyId }), 'utf8');
}

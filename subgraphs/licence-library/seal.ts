/** Sealing a certificate, and checking an exported one offline: what is wrong with it, field by field. */
import { certificateDocument, fieldDigests, sealedFields, canonicalJson, sm3, signedText, DOCUMENT_FORMAT, SEAL_ALGORITHM, type CertificateContent, type CertificateDocument, type CertificateSeal } from './document';
import { findKey, verifiesWith, type Keyring, type PublishedKeys } from './keyring';
import type { StatusList } from './status-list';

export async function sealCertificate(content: CertificateContent, keyring: Keyring): Promise<CertificateSeal> {
  const keyId = keyring.keyIdOf(content.issuer.department);
  const digests = fieldDigests(content);
  return { algorithm: SEAL_ALGORITHM, keyId, digests, signature: await keyring.sign(content.issuer.department, signedText(digests, keyId)) };
}

export function toDocument(content: CertificateContent, seal: CertificateSeal): CertificateDocument {
  return { format: DOCUMENT_FORMAT, ...content, seal };
}

/** Whether the seal is its issuer's and every field still matches it (no date or status considered). */
export function sealHolds(document: CertificateDocument, keys: PublishedKeys): boolean {
  return sealProblems(document, keys).length === 0;
}

function sealProblems(document: CertificateDocument, keys: PublishedKeys): string[] {
  const { seal, issuer } = document;
  const key = findKey(keys, issuer.department, seal.keyId);
  if (!key) {
    return keys.signers.some((s) => s.signer === issuer.department)
      ? [`unknown key: ${issuer.department} has published no key ${seal.keyId}`]
      : [`unknown issuer: no keys are published for ${issuer.department}`];
  }
  if (!verifiesWith(key, signedText(seal.digests, seal.keyId), seal.signature)) return [`the seal does not verify with ${issuer.department}'s key ${seal.keyId}: its digests or signature were altered`];
  const problems: string[] = [];
  const fields = sealedFields(document);
  for (const [path, value] of fields) {
    const signed = seal.digests[path];
    if (signed === undefined) problems.push(`field ${path} was added: the seal does not cover it`);
    else if (signed !== sm3(canonicalJson(value))) problems.push(`field ${path} was altered: it does not match the seal`);
  }
  for (const path of Object.keys(seal.digests)) if (!fields.has(path)) problems.push(`field ${path} was removed`);
  return problems;
}

export interface CheckOptions {
  keys: PublishedKeys;
  /** A status list already checked (`checkStatusList`): a certificate on it is not valid. */
  statusList?: StatusList;
  /** The day to judge expiry on (YYYY-MM-DD). */
  today: string;
}

/** Everything wrong with an exported certificate, each named; empty when it is authentic and valid. */
export function checkCertificate(json: unknown, options: CheckOptions): string[] {
  const parsed = certificateDocument.safeParse(json);
  if (!parsed.success) return parsed.error.issues.map((i) => `not a certificate (${DOCUMENT_FORMAT}): ${i.path.join('.') || 'document'}: ${i.message}`);
  const document = parsed.data;
  const problems = sealProblems(document, options.keys);
  if (document.validUntil !== null && document.validUntil < options.today) problems.push(`expired: valid until ${document.validUntil}`);
  const listed = options.statusList?.entries.find((e) => e.number === document.number);
  if (listed) problems.push(`${listed.status.toLowerCase()} on ${listed.since} (${listed.reason}), as of the status list of ${options.statusList!.issuedAt}`);
  return problems;
}

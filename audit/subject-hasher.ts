/**
 * Data subjects appear in the trail only as keyed HMACs (HMAC-SHA256 with a secret kept beside the audit
 * store): an auditor who holds a raw ID number can find its records; a reader of the trail alone cannot
 * recover or enumerate identities.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type SubjectHasher = (value: string) => string;

/** How many recent subjects' HMACs a hasher remembers (about 200 bytes each). */
export const REMEMBERED_SUBJECTS = 20_000;

/**
 * A hasher that remembers the HMACs of the subjects it hashed most recently: a page of 100 enterprises
 * with their representatives is 200 HMACs per request (about 2 µs each), and the same subjects are read
 * again and again. The memory holds identifiers that are passing through the gateway anyway, never
 * written anywhere; least recently used entries are dropped first.
 */
export function createSubjectHasher(key: Buffer, remember = REMEMBERED_SUBJECTS): SubjectHasher {
  const recent = new Map<string, string>();
  return (value) => {
    let hmac = recent.get(value);
    if (hmac !== undefined) {
      recent.delete(value);
    } else {
      hmac = createHmac('sha256', key).update(value).digest('hex');
      if (recent.size >= remember) recent.delete(recent.keys().next().value!);
    }
    if (remember > 0) recent.set(value, hmac);
    return hmac;
  };
}

/** Reads an HMAC key (the subjects' or the chain's, named by its setting); in development creates it on first use. */
export function readHmacKey(file: string, createIfMissing: boolean, setting = 'AUDIT_HMAC_KEY_FILE'): Buffer {
  if (!existsSync(file)) {
    if (!createIfMissing) throw new Error(`Cannot read the audit key at ${file}: start the gateway once, or set ${setting}.`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new Error(`The audit key at ${file} (${setting}) must be at least 32 bytes, written in hex.`);
  return key;
}

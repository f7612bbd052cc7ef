/**
 * The seal keys: one SM2 key pair per issuing department, and one of the data bureau's for the status
 * lists it signs. Development keys are generated on first use into a folder of their own beside the other
 * development keys; `published-keys.json` there is what the library publishes (`certificateIssuers`) and
 * what an offline check reads. Rotating a key retires it — it seals nothing new — and keeps it published,
 * so every certificate it sealed still verifies.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SEAL_ALGORITHM, sm3 } from './document';
import { DEPARTMENT_NAMES, ISSUING_DEPARTMENTS } from './issuers';

/** Who signs: an issuing department (certificates), or the data bureau that runs the library (status lists). */
export const SIGNERS = [...ISSUING_DEPARTMENTS, 'DATA_BUREAU'] as const;
export type Signer = (typeof SIGNERS)[number];
const SIGNER_NAMES: Record<Signer, string> = { ...DEPARTMENT_NAMES, DATA_BUREAU: '广东省政务服务数据管理局' };

export const KEYS_FORMAT = 'govgraph-certificate-keys/1';
export const PUBLISHED_KEYS_FILE = 'published-keys.json';

const publishedKey = z
  .object({
    keyId: z.string().min(1),
    algorithm: z.literal(SEAL_ALGORITHM),
    publicKey: z.string().includes('BEGIN PUBLIC KEY'),
    createdOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    retiredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  })
  .strict();
export type PublishedKey = z.infer<typeof publishedKey>;

export const publishedKeys = z
  .object({
    format: z.literal(KEYS_FORMAT),
    signers: z.array(z.object({ signer: z.enum(SIGNERS), name: z.string(), keys: z.array(publishedKey) }).strict()),
  })
  .strict();
export type PublishedKeys = z.infer<typeof publishedKeys>;

const today = () => new Date().toISOString().slice(0, 10);
const slug = (signer: Signer) => signer.toLowerCase().replaceAll('_', '-');
const privateFile = (dir: string, keyId: string) => join(dir, `${keyId}.private.pem`);

/** Reads a published-keys file, or says what is wrong with it. */
export function readPublishedKeys(file: string): PublishedKeys {
  if (!existsSync(file)) throw new Error(`no published keys at ${file}`);
  const parsed = publishedKeys.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a published-keys file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export function findKey(keys: PublishedKeys, signer: string, keyId: string): PublishedKey | undefined {
  return keys.signers.find((s) => s.signer === signer)?.keys.find((k) => k.keyId === keyId);
}

/** Whether `signature` (base64) over `bytes` is the published key's. */
export function verifiesWith(key: PublishedKey, bytes: Buffer, signature: string): boolean {
  try {
    return verify('sm3', bytes, createPublicKey(key.publicKey), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * A new SM2 key pair. The private key is read back from its PEM before use: OpenSSL 3 treats a key loaded
 * on the SM2 curve as an SM2 key (an SM2 signature over SM3), whereas the freshly generated object would
 * sign ECDSA-style on the same curve.
 */
function newKey(dir: string, signer: Signer): PublishedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = `${slug(signer)}-${today()}-${sm3(spki).slice(0, 8)}`;
  writeFileSync(privateFile(dir, keyId), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  return { keyId, algorithm: SEAL_ALGORITHM, publicKey: spki, createdOn: today(), retiredOn: null };
}

function write(dir: string, keys: PublishedKeys): void {
  const file = join(dir, PUBLISHED_KEYS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(keys, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Every signer's key, creating what is missing (development keys); the published keys as they now are. A
 * folder that already holds every current key (a Secret mounted read-only, in production) is only read.
 */
export function ensureKeys(dir: string): PublishedKeys {
  const file = join(dir, PUBLISHED_KEYS_FILE);
  const keys: PublishedKeys = existsSync(file) ? readPublishedKeys(file) : { format: KEYS_FORMAT, signers: [] };
  const missing = SIGNERS.filter((signer) => !keys.signers.some((s) => s.signer === signer && s.keys.some((k) => k.retiredOn === null)));
  if (missing.length === 0) return keys;
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'README'))) {
    writeFileSync(join(dir, 'README'), 'DEVELOPMENT seal keys of the certificate library, generated locally by GovGraph. Never use them in production.\n');
  }
  for (const signer of missing) {
    let entry = keys.signers.find((s) => s.signer === signer);
    if (!entry) keys.signers.push((entry = { signer, name: SIGNER_NAMES[signer], keys: [] }));
    entry.keys.push(newKey(dir, signer));
  }
  write(dir, keys);
  return keys;
}

/** Retires a signer's current key and makes a new one; the old one stays published. */
export function rotateKey(dir: string, signer: Signer): { retired: string; current: PublishedKey } {
  const keys = ensureKeys(dir);
  const entry = keys.signers.find((s) => s.signer === signer)!;
  const current = entry.keys.find((k) => k.retiredOn === null)!;
  current.retiredOn = today();
  const next = newKey(dir, signer);
  entry.keys.push(next);
  write(dir, keys);
  return { retired: current.keyId, current: next };
}

export interface Keyring {
  readonly published: PublishedKeys;
  /** The signer's current key: the one it seals with. */
  keyIdOf(signer: Signer): string;
  /** Base64 signature with the signer's current key, made on libuv's thread pool (a seed signs tens of thousands). */
  sign(signer: Signer, bytes: Buffer): Promise<string>;
}

export function openKeyring(dir: string): Keyring {
  const published = ensureKeys(dir);
  const current = new Map<Signer, { keyId: string; key: KeyObject }>();
  for (const entry of published.signers) {
    const key = entry.keys.find((k) => k.retiredOn === null)!;
    const file = privateFile(dir, key.keyId);
    if (!existsSync(file)) throw new Error(`The seal key ${key.keyId} of ${entry.signer} is published in ${join(dir, PUBLISHED_KEYS_FILE)}, but its private key ${file} is missing.`);
    current.set(entry.signer, { keyId: key.keyId, key: createPrivateKey(readFileSync(file)) });
  }
  return {
    published,
    keyIdOf: (signer) => current.get(signer)!.keyId,
    sign: (signer, bytes) =>
      new Promise((done, fail) => sign('sm3', bytes, current.get(signer)!.key, (error, signature) => (error ? fail(error) : done(signature.toString('base64'))))),
  };
}

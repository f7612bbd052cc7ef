/**
 * Development keys, generated on first use into the git-ignored data folder: the key of a stand-in
 * identity provider that signs app tokens (`npm run token`), the key of the platform issuer that signs
 * the tokens of the platform's own apps (the service hall's reads through the gateway), the gateway's key
 * that signs its requests to the departments, and the audit trail's keys: the subjects' HMAC key, the
 * chain key and the checkpoint-signing key. Never use these outside development: production keys are
 * configuration.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { readHmacKey } from '../audit/subject-hasher';

export interface DevKeyFiles {
  dir: string;
  appIssuerPrivate: string;
  appIssuerJwks: string;
  platformIssuerPrivate: string;
  platformIssuerJwks: string;
  gatewayPrivate: string;
  gatewayJwks: string;
  auditHmacKey: string;
  auditChainKey: string;
  auditCheckpointKey: string;
}

export const DEV_APP_ISSUER = 'govgraph-dev-idp';
export const DEV_APP_AUDIENCE = 'govgraph';
/** The issuer of the platform's own apps' tokens: never the public identity provider's. */
export const DEV_PLATFORM_ISSUER = 'govgraph-dev-platform';

export function devKeyFiles(dataDir: string): DevKeyFiles {
  const dir = resolve(dataDir, 'keys');
  return {
    dir,
    appIssuerPrivate: join(dir, 'app-issuer.private.jwk.json'),
    appIssuerJwks: join(dir, 'app-issuer.jwks.json'),
    platformIssuerPrivate: join(dir, 'platform-issuer.private.jwk.json'),
    platformIssuerJwks: join(dir, 'platform-issuer.jwks.json'),
    gatewayPrivate: join(dir, 'gateway.private.jwk.json'),
    gatewayJwks: join(dir, 'gateway.jwks.json'),
    auditHmacKey: join(dir, 'audit-hmac.key'),
    auditChainKey: join(dir, 'audit-chain.key'),
    auditCheckpointKey: join(dir, 'audit-checkpoint.pem'),
  };
}

async function writeKeyPair(privateFile: string, jwksFile: string, use: string): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use };
  writeFileSync(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(jwksFile, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use }] }, null, 2)}\n`);
}

/** Creates whichever development key pair is missing; returns where they are. */
export async function ensureDevKeys(dataDir: string): Promise<DevKeyFiles> {
  const files = devKeyFiles(dataDir);
  mkdirSync(files.dir, { recursive: true });
  if (!existsSync(join(files.dir, 'README'))) {
    writeFileSync(join(files.dir, 'README'), 'DEVELOPMENT KEYS generated locally by GovGraph. Never use them in production.\n');
  }
  if (!existsSync(files.appIssuerPrivate) || !existsSync(files.appIssuerJwks)) await writeKeyPair(files.appIssuerPrivate, files.appIssuerJwks, 'sig');
  if (!existsSync(files.platformIssuerPrivate) || !existsSync(files.platformIssuerJwks)) await writeKeyPair(files.platformIssuerPrivate, files.platformIssuerJwks, 'sig');
  if (!existsSync(files.gatewayPrivate) || !existsSync(files.gatewayJwks)) await writeKeyPair(files.gatewayPrivate, files.gatewayJwks, 'sig');
  readHmacKey(files.auditHmacKey, true);
  readChainKey(files.auditChainKey, true);
  readCheckpointKeys(files.auditCheckpointKey, true);
  return files;
}

export async function readPrivateKey(file: string) {
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  return { key: await importJWK(jwk, 'ES256'), kid: jwk.kid };
}

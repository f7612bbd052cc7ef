/**
 * Development keys, generated on first use into the git-ignored data folder: the key of a stand-in
 * identity provider that signs app tokens (`npm run token`), one key for each of the platform's own apps
 * that read through the gateway (the service hall's), each with the id that binds it to its app, and the
 * platform issuer's set of their public halves, the gateway's key that signs its requests to the
 * departments, and the audit trail's keys: the subjects' HMAC key, the chain key and the
 * checkpoint-signing key. Never use these outside development: production keys are configuration.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { readChainKey } from '../audit/chain-keys';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { readHmacKey } from '../audit/subject-hasher';
import { loadContracts, loadPlatform } from '../contracts/load-contracts';
import { platformKeyId } from '../gateway/platform-key-id';
import { PROJECT_ROOT } from './program';

export interface DevKeyFiles {
  dir: string;
  appIssuerPrivate: string;
  appIssuerJwks: string;
  /** One private key per internal app, each file named after its app. */
  internalAppKeysDir: string;
  /** The platform issuer's public keys: every internal app's, each with the id that names its app. */
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
    internalAppKeysDir: join(dir, 'internal-apps'),
    platformIssuerJwks: join(dir, 'platform-issuer.jwks.json'),
    gatewayPrivate: join(dir, 'gateway.private.jwk.json'),
    gatewayJwks: join(dir, 'gateway.jwks.json'),
    auditHmacKey: join(dir, 'audit-hmac.key'),
    auditChainKey: join(dir, 'audit-chain.key'),
    auditCheckpointKey: join(dir, 'audit-checkpoint.pem'),
  };
}

/** The private key an internal app signs its own tokens with. */
export function internalAppKeyFile(keysDir: string, app: string): string {
  return join(keysDir, 'internal-apps', `${app}.private.jwk.json`);
}

/**
 * The apps that read through the gateway as one of the platform's own: contracts marked `internal`,
 * except the one the gateway runs itself (the case lookup), which no token speaks for.
 */
export function internalAppsOf(contractsDir: string, platformFile: string): string[] {
  const casesApp = loadPlatform(platformFile).platform?.cases?.app;
  return loadContracts(contractsDir).contracts.map((c) => c.contract).filter((c) => c.internal && c.app !== casesApp).map((c) => c.app);
}

const SHIPPED_INTERNAL_APPS = () => internalAppsOf(join(PROJECT_ROOT, 'contracts', 'apps'), join(PROJECT_ROOT, 'contracts', 'platform.yaml'));

const publicHalf = ({ d: _private, ...rest }: JWK): JWK => rest;

async function writeKeyPair(privateFile: string, jwksFile: string, use: string): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use };
  writeFileSync(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(jwksFile, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: 'ES256', use }] }, null, 2)}\n`);
}

/** Each internal app's key, and the platform issuer's set rebuilt from every app key there is. */
async function ensureInternalAppKeys(files: DevKeyFiles, apps: readonly string[]): Promise<void> {
  mkdirSync(files.internalAppKeysDir, { recursive: true });
  let added = !existsSync(files.platformIssuerJwks);
  for (const app of apps) {
    const file = internalAppKeyFile(files.dir, app);
    if (existsSync(file)) continue;
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = platformKeyId(app, await calculateJwkThumbprint(await exportJWK(publicKey)));
    writeFileSync(file, `${JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' }, null, 2)}\n`, { mode: 0o600 });
    added = true;
  }
  if (!added) return;
  const keys = readdirSync(files.internalAppKeysDir)
    .filter((name) => name.endsWith('.private.jwk.json'))
    .sort()
    .map((name) => publicHalf(JSON.parse(readFileSync(join(files.internalAppKeysDir, name), 'utf8')) as JWK));
  writeFileSync(files.platformIssuerJwks, `${JSON.stringify({ keys }, null, 2)}\n`);
}

/**
 * Creates whichever development key is missing; returns where they are. `internalApps` get a key each
 * (by default the shipped contracts' internal apps).
 */
export async function ensureDevKeys(dataDir: string, internalApps: readonly string[] = SHIPPED_INTERNAL_APPS()): Promise<DevKeyFiles> {
  const files = devKeyFiles(dataDir);
  mkdirSync(files.dir, { recursive: true });
  if (!existsSync(join(files.dir, 'README'))) {
    writeFileSync(join(files.dir, 'README'), 'DEVELOPMENT KEYS generated locally by GovGraph. Never use them in production.\n');
  }
  if (!existsSync(files.appIssuerPrivate) || !existsSync(files.appIssuerJwks)) await writeKeyPair(files.appIssuerPrivate, files.appIssuerJwks, 'sig');
  await ensureInternalAppKeys(files, internalApps);
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

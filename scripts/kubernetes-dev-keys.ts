/**
 * The dev overlay's keys (`npm run manifests -- --dev-keys`): kustomize reads no file outside the folder it
 * renders, so the development keys under data/keys/ are copied into the overlay's git-ignored keys/ folder,
 * which its Secret generators read. Whatever development key is missing is made first, the certificate
 * library's seal keys included. The audit service gets the checkpoint key's public half, written here.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { readCheckpointKeys } from '../audit/checkpoint-signer';
import { ensureKeys, PUBLISHED_KEYS_FILE } from '../subgraphs/licence-library/keyring';
import { ensureDevKeys, internalAppKeyFile, internalAppsOf } from './dev-keys';
import { DEV_KEYS_DIR, MANIFESTS_DIR } from './render-manifests';

/** The Secret the certificate library mounts as LICENCE_KEYS_DIR (base/departments/licence-library.yaml). */
export const LICENCE_SEAL_KEYS_SECRET = 'licence-seal-keys';
/** The generator of that Secret, written beside the keys: the seal keys' file names are their key ids. */
export const LICENCE_SEAL_KEYS_GENERATOR = 'licence-seal-keys.yaml';
const PRIVATE = { mode: 0o600 };

/**
 * Fills `<root>/deploy/kubernetes/overlays/dev/keys/` from the development keys under `dataDir`, replacing
 * what was there; returns the files written, by their path below that folder.
 */
export async function writeKubernetesDevKeys(root: string, dataDir: string): Promise<string[]> {
  const files = await ensureDevKeys(dataDir, internalAppsOf(join(root, 'contracts', 'apps'), join(root, 'contracts', 'platform.yaml')));
  const licenceDir = join(files.dir, 'licence');
  const seals = ensureKeys(licenceDir);
  const target = join(root, MANIFESTS_DIR, DEV_KEYS_DIR);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, 'internal-apps'), { recursive: true });
  mkdirSync(join(target, 'licence'), { recursive: true });
  const written: string[] = [];
  const copy = (from: string, to: string) => {
    copyFileSync(from, join(target, to));
    written.push(to);
  };
  writeFileSync(join(target, 'README'), 'DEVELOPMENT KEYS copied from data/keys/ by npm run manifests -- --dev-keys, for the dev overlay. Never use them in production.\n');
  for (const file of [files.gatewayPrivate, files.gatewayJwks, files.appIssuerJwks, files.platformIssuerJwks, files.auditHmacKey, files.auditChainKey, files.auditCheckpointKey]) copy(file, basename(file));
  const checkpointPublic = readCheckpointKeys(files.auditCheckpointKey, false).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writeFileSync(join(target, 'audit-checkpoint.public.pem'), checkpointPublic);
  written.push('audit-checkpoint.public.pem');
  for (const app of internalAppsOf(join(root, 'contracts', 'apps'), join(root, 'contracts', 'platform.yaml'))) {
    const file = internalAppKeyFile(files.dir, app);
    if (existsSync(file)) copy(file, `internal-apps/${basename(file)}`);
  }
  // The published keys and each signer's current private key: a retired key seals nothing, so it stays out.
  const sealFiles = [PUBLISHED_KEYS_FILE, ...seals.signers.map((s) => `${s.keys.find((k) => k.retiredOn === null)!.keyId}.private.pem`)];
  for (const name of sealFiles) {
    writeFileSync(join(target, 'licence', name), readFileSync(join(licenceDir, name)), name === PUBLISHED_KEYS_FILE ? {} : PRIVATE);
    written.push(`licence/${name}`);
  }
  const generator = {
    apiVersion: 'builtin',
    kind: 'SecretGenerator',
    metadata: { name: LICENCE_SEAL_KEYS_SECRET },
    files: sealFiles.map((name) => `keys/licence/${name}`),
  };
  writeFileSync(join(target, LICENCE_SEAL_KEYS_GENERATOR), `# Written by npm run manifests -- --dev-keys: the certificate library's seal keys, mounted as its LICENCE_KEYS_DIR.\n${stringify(generator)}`);
  written.push(LICENCE_SEAL_KEYS_GENERATOR);
  return written;
}

/**
 * `npm run manifests -- [--check | --dev-keys] [--root <folder>]`: writes the generated part of
 * deploy/kubernetes/ from the departments under subgraphs/, the contracts of contracts/apps/ and the
 * supergraph (render-manifests.ts); with --check, names the files that differ from what it would write and
 * exits 1; with --dev-keys, copies the development keys into the dev overlay (kubernetes-dev-keys.ts).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { writeKubernetesDevKeys } from './kubernetes-dev-keys';
import { DEV_KEYS_DIR, MANIFESTS_DIR, manifestSources, renderManifests, staleManifests } from './render-manifests';

const USAGE = `usage: npm run manifests -- [--check | --dev-keys] [--root <folder>]

Writes the part of the Kubernetes manifests (deploy/kubernetes/) that names each department and each
contract: every department's Deployment, Service and NetworkPolicy, the gateway's SUBGRAPH_URLS and
SUBGRAPH_HEALTH_URLS, the contracts' ConfigMap and the dev overlay's databases; and copies the supergraph
and the contracts into base/repository/, which the ConfigMaps are made of. Run it after adding a
department or a contract, and after composing the supergraph.

  --check             write nothing; name each generated file that is not what it would write (exit 1)
  --dev-keys          only copy the development keys (data/keys/, made if missing) into overlays/dev/keys/,
                      which the dev overlay's Secrets read (git-ignored)
  --root <folder>     where subgraphs/, contracts/, data/ and deploy/kubernetes/ are (default: this repository)
  -h, --help          this text

exit codes: 0 written or up to date, 1 stale (--check) or not renderable, 2 a wrong command line`;

async function main(args: string[]): Promise<void> {
  const { values } = parseCommandLine({
    args,
    options: { check: { type: 'boolean', default: false }, 'dev-keys': { type: 'boolean', default: false }, root: { type: 'string', default: resolve(__dirname, '..') } },
  });
  const root = resolve(values.root);
  const dir = join(root, MANIFESTS_DIR);
  if (values['dev-keys'] && values.check) throw new UsageError('--dev-keys and --check do different things: give one');
  if (values['dev-keys']) {
    const written = await writeKubernetesDevKeys(root, join(root, 'data'));
    process.stdout.write(`copied ${written.length} development key files into ${relative(process.cwd(), join(dir, DEV_KEYS_DIR))}\n`);
    return;
  }
  const files = renderManifests(manifestSources(root));
  const shown = (path: string) => relative(process.cwd(), join(dir, path));
  const stale = staleManifests(dir, files);
  if (values.check) {
    if (stale.length === 0) {
      process.stdout.write(`the generated manifests are up to date (${files.size} files)\n`);
      return;
    }
    process.stderr.write(`${stale.map((path) => `${shown(path)} is not what npm run manifests writes`).join('\n')}\nrun npm run manifests and commit the result\n`);
    process.exitCode = 1;
    return;
  }
  for (const path of stale) {
    const text = files.get(path);
    // A copy of a contract no longer in contracts/apps/ goes with it.
    if (text === undefined) {
      rmSync(join(dir, path));
      continue;
    }
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  process.stdout.write(stale.length === 0 ? `the generated manifests are up to date (${files.size} files)\n` : `wrote ${stale.map(shown).join(', ')}\n`);
}

runCommandLine(USAGE, main);

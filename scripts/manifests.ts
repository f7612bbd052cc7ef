/**
 * `npm run manifests -- [--check] [--root <folder>]`: writes the generated part of deploy/kubernetes/ from
 * the departments under subgraphs/ and the contracts of contracts/apps/ (render-manifests.ts), or, with
 * --check, names the files that differ from what it would write and exits 1.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseCommandLine, runCommandLine } from './command-line';
import { MANIFESTS_DIR, manifestSources, renderManifests, staleManifests } from './render-manifests';

const USAGE = `usage: npm run manifests -- [--check] [--root <folder>]

Writes the part of the Kubernetes manifests (deploy/kubernetes/) that names each department and each
contract: every department's Deployment, Service and NetworkPolicy, the gateway's SUBGRAPH_URLS and
SUBGRAPH_HEALTH_URLS, the contracts' ConfigMap and the dev overlay's databases. Run it after adding a
department or a contract.

  --check             write nothing; name each generated file that is not what it would write (exit 1)
  --root <folder>     where subgraphs/, contracts/ and deploy/kubernetes/ are (default: this repository)
  -h, --help          this text

exit codes: 0 written or up to date, 1 stale (--check) or not renderable, 2 a wrong command line`;

function main(args: string[]): void {
  const { values } = parseCommandLine({ args, options: { check: { type: 'boolean', default: false }, root: { type: 'string', default: resolve(__dirname, '..') } } });
  const root = resolve(values.root);
  const dir = join(root, MANIFESTS_DIR);
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
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), files.get(path)!);
  }
  process.stdout.write(stale.length === 0 ? `the generated manifests are up to date (${files.size} files)\n` : `wrote ${stale.map(shown).join(', ')}\n`);
}

runCommandLine(USAGE, main);

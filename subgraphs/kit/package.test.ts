/**
 * The kit's package.json declares what its build runs: every package the kit's modules import (and the
 * modules of contracts/, audit/ and http/ they import in turn, which the build carries) is a dependency,
 * none is declared in vain, and each is pinned to the version this repository runs the gateway with.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

const KIT = __dirname;
const ROOT = join(KIT, '..', '..');
const kit = JSON.parse(readFileSync(join(KIT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; files: string[]; exports: Record<string, { types: string; default: string }> };
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; overrides: unknown };

function kitSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : kitSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every module the build compiles (the kit's and those it imports), and every package they import. */
function buildClosure(): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = kitSources(KIT);
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const { fileName: specifier } of preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        pending.push([`${target}.ts`, join(target, 'index.ts')].find(existsSync)!);
      } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        packages.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
      }
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages };
}

test('the dependencies are exactly the packages the build imports, at the versions this repository runs', () => {
  const { packages } = buildClosure();
  expect(Object.keys(kit.dependencies).sort()).toEqual([...packages].sort());
  for (const [name, version] of Object.entries(kit.dependencies)) expect([name, version]).toEqual([name, root.dependencies[name]]);
});

test('the build carries the platform modules the kit runs, and nothing of the gateway or the departments', () => {
  const outside = buildClosure().files.filter((f) => !f.startsWith('subgraphs/kit/'));
  expect(outside.every((f) => /^(contracts|audit|http)\//.test(f))).toBe(true);
  expect(outside).toEqual(expect.arrayContaining(['contracts/caller.ts', 'audit/subject-hasher.ts', 'http/http-exchange.ts']));
});

test('one entry point, with its declarations, inside the files the package ships', () => {
  expect(Object.keys(kit.exports)).toEqual(['.']);
  expect(kit.exports['.']).toEqual({ types: './dist/subgraphs/kit/index.d.ts', default: './dist/subgraphs/kit/index.js' });
  expect(kit.files).toContain('dist');
});

test('departments, here and in the example of another repository, import the kit by its package name only', () => {
  const folders = [
    ...readdirSync(join(ROOT, 'subgraphs'), { withFileTypes: true }).filter((e) => e.isDirectory() && e.name !== 'kit').map((e) => join(ROOT, 'subgraphs', e.name)),
    join(ROOT, 'examples', 'housing-fund', 'src'),
  ];
  const deep = folders.flatMap(kitSources).flatMap((file) =>
    preProcessFile(readFileSync(file, 'utf8'), true, true)
      .importedFiles.map((i) => i.fileName)
      .filter((specifier) => /(^|\/)kit(\/|$)|^@govgraph\/department-kit\/|^@apollo\/subgraph\/dist/.test(specifier))
      .map((specifier) => `${relative(ROOT, file)}: ${specifier}`),
  );
  expect(deep).toEqual([]);
});

test('the example department uses the kit’s versions of the libraries it shares with it, and GovGraph’s overrides', () => {
  const example = JSON.parse(readFileSync(join(ROOT, 'examples', 'housing-fund', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; overrides: unknown };
  const { '@govgraph/department-kit': range, ...libraries } = example.dependencies;
  expect(range).toBe(`^${kit.version.split('.')[0]}.0.0`);
  for (const [name, version] of Object.entries(libraries)) expect([name, version]).toEqual([name, kit.dependencies[name]]);
  expect(example.overrides).toEqual(root.overrides);
});

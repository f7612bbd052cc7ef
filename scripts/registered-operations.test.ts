import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsInFolder } from './registered-operations';

const dir = mkdtempSync(join(tmpdir(), 'operations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(dir, 'ops-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('an operation belongs to the app its header names, else to the folder it is under', () => {
  const root = folder({
    'market-supervision/nested/enterprise.graphql': 'query Enterprise { enterprise(creditCode: "x") { name } }',
    'shared/portal.graphql': '# app: oneservice-portal\nquery A { a } query B { b }',
    'market-supervision/anonymous.graphql': '{ serviceItems { code } }',
    'market-supervision/notes.txt': 'not an operation',
  });
  expect(operationsInFolder(root, root).map((o) => [o.app, o.name, o.source])).toEqual([
    ['market-supervision', 'anonymous.graphql', join('market-supervision', 'anonymous.graphql')],
    ['market-supervision', 'Enterprise', join('market-supervision', 'nested', 'enterprise.graphql')],
    ['oneservice-portal', 'A, B', join('shared', 'portal.graphql')],
  ]);
});

test('a file that names no app says how to name it', () => {
  const root = folder({ 'loose.graphql': '{ a }' });
  expect(() => operationsInFolder(root, root)).toThrow(`loose.graphql: which app sends it? Put it in a folder named after the app (${root}/<app>/), or begin it with "# app: <id>"`);
});

test('a syntax error names the file and line', () => {
  const root = folder({ 'auditor/broken.graphql': 'query {\n  a(\n}' });
  expect(() => operationsInFolder(root, root)).toThrow(/^auditor\/broken\.graphql:3:1: Syntax Error/);
});

test('a folder that is not there says so', () => {
  expect(() => operationsInFolder(join(dir, 'missing'))).toThrow(`${join(dir, 'missing')}: the operations folder cannot be read`);
});

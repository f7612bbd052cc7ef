/**
 * Departments are found, not listed: a folder under subgraphs/ whose index exports `department` is one,
 * and adding one touches nothing outside its folder. Over temporary subgraphs roots holding this
 * checkout's departments (linked) and one more written by the test; every wrong folder is named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKOUT_FOLDERS, addDepartment, departmentIndex, linkCheckoutSubgraphs } from '../tests/support/subgraphs-root';
import { departmentPorts, departments, findDepartments, type AnyDepartment } from './departments';

let root: string;
beforeEach(() => {
  root = linkCheckoutSubgraphs(mkdtempSync(join(tmpdir(), 'govgraph-subgraphs-')));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const names = (found: ReturnType<typeof findDepartments>) => found.map((f) => f.department.name);
const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};

test("this checkout's departments are its folders with an index, in port order, each port its own", () => {
  const found = departments();
  expect(found.map((d) => d.name).sort()).toEqual([...CHECKOUT_FOLDERS].sort());
  const ports = found.map((d) => d.defaultPort);
  expect(ports).toEqual([...ports].sort((a, b) => a - b));
  expect(new Set(ports).size).toBe(ports.length);
});

test('a department added as a folder of its own is found, in its place by port, with its entry', () => {
  addDepartment(root, 'human-resources', departmentIndex('human-resources', 4017));
  const found = findDepartments(root);
  expect(names(found)).toEqual([...departments().map((d) => d.name), 'human-resources']);
  expect(found.at(-1)!.entry).toBe(join(root, 'human-resources', 'index.ts'));

  addDepartment(root, 'archives', departmentIndex('archives', 3999));
  expect(names(findDepartments(root))[0]).toBe('archives');
});

test('a department written in JavaScript (index.js) is found too', () => {
  addDepartment(root, 'human-resources', departmentIndex('human-resources', 4017).replace("import { join } from 'node:path';", "const { join } = require('node:path');").replace('export const department =', 'exports.department ='), 'index.js');
  expect(names(findDepartments(root))).toContain('human-resources');
});

test('two departments on one port: an error naming both and the port', () => {
  const taken = departments()[2]!;
  addDepartment(root, 'human-resources', departmentIndex('human-resources', taken.defaultPort));
  expect(problemsOf(() => findDepartments(root))).toContain(`${taken.name} and human-resources both declare port ${taken.defaultPort}: give each department its own defaultPort`);
});

test.each([
  ['exports no department', 'export const humanResources = {};\n', /human-resources\/index\.ts exports no `department`: export its definition as `export const department: Department<…> = \{ name: 'human-resources'/],
  ['exports a department without a port', departmentIndex('human-resources', 4017).replace('defaultPort: 4017,', ''), /human-resources\/index\.ts exports a `department` that is not one: defaultPort: /],
  ['exports a department named otherwise', departmentIndex('social-insurance', 4017), /human-resources\/index\.ts exports a department named "social-insurance": a department's name is its folder's, so name it "human-resources" or rename the folder/],
  ['cannot be loaded', "throw new Error('the schema is not there');\n", /human-resources\/index\.ts could not be loaded: the schema is not there/],
])('a folder whose index %s: an error naming the folder', (_, index, problem) => {
  addDepartment(root, 'human-resources', index);
  expect(problemsOf(() => findDepartments(root))).toMatch(problem);
});

test('every wrong folder is named at once, and a root without departments says what one is', () => {
  addDepartment(root, 'human-resources', 'export {};\n');
  addDepartment(root, 'social-insurance', departmentIndex('insurance', 4018));
  const message = problemsOf(() => findDepartments(root));
  expect(message).toMatch(/^The departments under .* are not all sound:\n {2}- .*human-resources\/index\.ts exports no `department`.*\n {2}- .*social-insurance\/index\.ts exports a department named "insurance"/);

  const empty = mkdtempSync(join(tmpdir(), 'govgraph-subgraphs-'));
  try {
    expect(problemsOf(() => findDepartments(empty))).toMatch(/no department in .*: each is a folder with an index\.ts or index\.js that exports `department`/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

describe('ports under the launcher', () => {
  const at = (name: string, defaultPort: number) => ({ name, defaultPort }) as AnyDepartment;
  const list = [at('a', 4001), at('b', 4002), at('c', 4009)];

  test('each department on its declared port; SUBGRAPH_BASE_PORT shifts them all alike', () => {
    expect(Object.fromEntries(departmentPorts(list))).toEqual({ a: 4001, b: 4002, c: 4009 });
    expect(Object.fromEntries(departmentPorts(list, 5001))).toEqual({ a: 5001, b: 5002, c: 5009 });
    expect(Object.fromEntries(departmentPorts(list, 3000))).toEqual({ a: 3000, b: 3001, c: 3008 });
  });

  test('a base port that pushes a department beyond 65535 says which base would fit', () => {
    expect(() => departmentPorts(list, 65530)).toThrow('SUBGRAPH_BASE_PORT=65530 puts the departments on ports up to 65538, above 65535: choose at most 65527');
  });
});

/**
 * The departments of this checkout, found rather than listed: every folder under `subgraphs/` but the kit
 * whose `index.ts` or `index.js` exports `department` — the one place a department declares its name (its
 * folder's) and its port. This file is `scripts/departments.ts` in the sources and
 * `dist/scripts/departments.js` in the build, so `../subgraphs` is the sources under tsx and jest and the
 * build under `npm start`. Found in port order.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import type { Department } from '../subgraphs/kit/department';

// Each department has its own database, store and loader types; the scripts drive only what they share.
export type AnyDepartment = Department<any, any, any>;

export interface FoundDepartment {
  department: AnyDepartment;
  /** Its index file: what exports it, and what runs it alone. */
  entry: string;
}

export const SUBGRAPHS_ROOT = join(__dirname, '..', 'subgraphs');
const ENTRIES = ['index.ts', 'index.js'];
const NOT_DEPARTMENTS = new Set(['kit']);
const HIGHEST_PORT = 65535;

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'expected a function');
const departmentShape = z.object({
  name: z.string().min(1),
  title: z.string().min(1),
  defaultPort: z.number().int().min(1).max(HIGHEST_PORT),
  schemaFile: z.string().min(1),
  resolvers: z.record(z.string(), z.unknown()),
  createStore: fn,
  createLoaders: fn,
  seed: fn,
});

/** A folder as a person reads it: from the working directory when it is below it. */
function shown(dir: string): string {
  const cwd = process.cwd();
  return dir.startsWith(cwd + sep) ? relative(cwd, dir) : dir;
}

function listed(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The department a folder's index exports, or what is wrong with it. */
function load(dir: string, folder: string, entry: string): AnyDepartment | string {
  const file = `${shown(dir)}/${entry}`;
  let exported: unknown;
  try {
    exported = (require(join(dir, entry)) as { department?: unknown }).department;
  } catch (error) {
    return `${file} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (exported === undefined) {
    return `${file} exports no \`department\`: export its definition as \`export const department: Department<…> = { name: '${folder}', defaultPort: …, … }\``;
  }
  const parsed = departmentShape.safeParse(exported);
  if (!parsed.success) {
    return `${file} exports a \`department\` that is not one: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'department'}: ${i.message}`).join('; ')}`;
  }
  if (parsed.data.name !== folder) {
    return `${file} exports a department named "${parsed.data.name}": a department's name is its folder's, so name it "${folder}" or rename the folder`;
  }
  return exported as AnyDepartment;
}

/** Two departments on one port: an error naming both (or all) and the port. */
function portClashes(found: readonly FoundDepartment[]): string[] {
  const byPort = new Map<number, string[]>();
  for (const { department } of found) byPort.set(department.defaultPort, [...(byPort.get(department.defaultPort) ?? []), department.name]);
  return [...byPort]
    .filter(([, names]) => names.length > 1)
    .map(([port, names]) => `${listed(names)} ${names.length === 2 ? 'both' : 'all'} declare port ${port}: give each department its own defaultPort in its index`);
}

/** Every department under `root`, in port order; an error naming each folder that is wrong. */
export function findDepartments(root: string): FoundDepartment[] {
  const found: FoundDepartment[] = [];
  const problems: string[] = [];
  for (const folder of readdirSync(root).sort()) {
    if (NOT_DEPARTMENTS.has(folder)) continue;
    const dir = join(root, folder);
    const entry = ENTRIES.find((name) => existsSync(join(dir, name)));
    if (entry === undefined) continue;
    const department = load(dir, folder, entry);
    if (typeof department === 'string') problems.push(department);
    else found.push({ department, entry: join(dir, entry) });
  }
  problems.push(...portClashes(found));
  if (found.length === 0 && problems.length === 0) {
    problems.push(`no department in ${shown(root)}: each is a folder with an index.ts or index.js that exports \`department\``);
  }
  if (problems.length > 0) throw new Error(`The departments under ${shown(root)} are not all sound:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return found.sort((a, b) => a.department.defaultPort - b.department.defaultPort);
}

let discovered: readonly FoundDepartment[] | undefined;

/** This checkout's departments (found once). */
export function discoverDepartments(): readonly FoundDepartment[] {
  discovered ??= findDepartments(SUBGRAPHS_ROOT);
  return discovered;
}

/** This checkout's department definitions, in port order. */
export function departments(): readonly AnyDepartment[] {
  return discoverDepartments().map((found) => found.department);
}

/** The names a department can be called by, to list beside a missing or wrong one. */
export function departmentChoices(): string {
  return `one of ${departments().map((d) => d.name).join(', ')}`;
}

/** What to say of a name that is no department of this checkout. */
export function unknownDepartment(name: string): string {
  return `unknown department "${name}": ${departmentChoices()}`;
}

/**
 * The port each department listens on under the launcher: its own `defaultPort`; given a base port
 * (SUBGRAPH_BASE_PORT), every one shifted alike so that the lowest is the base — the same deployment moved
 * aside, each department where its declaration puts it relative to the others.
 */
export function departmentPorts(list: readonly AnyDepartment[], basePort?: number): Map<string, number> {
  const shift = basePort === undefined ? 0 : basePort - Math.min(...list.map((d) => d.defaultPort));
  const ports = new Map(list.map((d) => [d.name, d.defaultPort + shift]));
  const highest = Math.max(...ports.values());
  if (highest > HIGHEST_PORT) {
    throw new Error(`SUBGRAPH_BASE_PORT=${basePort} puts the departments on ports up to ${highest}, above ${HIGHEST_PORT}: choose at most ${basePort! - (highest - HIGHEST_PORT)}`);
  }
  return ports;
}

export function departmentUrl(department: AnyDepartment, host = '127.0.0.1', port = department.defaultPort): string {
  return `http://${host}:${port}/graphql`;
}

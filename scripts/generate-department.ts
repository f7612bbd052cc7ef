/**
 * What `npm run new-department` does: checks the name, the folder and the port, writes the department
 * from the template (department-template.ts) and, when asked, grants its fields to an app under a new
 * purpose. Every check comes before the first write: a refusal leaves nothing behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';
import { grantCoordinate } from '../contracts/contract-schema';
import { loadContracts } from '../contracts/load-contracts';
import { readSharingDirective } from '../contracts/sharing-class';
import { UsageError } from './command-line';
import { planContractGrant, type ContractGrant, type GrantedPurpose } from './contract-grant';
import { departmentFiles, departmentNames, isKebabCase } from './department-template';

export interface NewDepartmentOptions {
  /** Where `subgraphs/` and `contracts/` are. */
  root: string;
  name: string;
  title?: string;
  port?: number;
  /** The app whose contract gets a purpose granting the new fields. */
  grantTo?: string;
}

export interface GeneratedDepartment {
  folder: string;
  port: number;
  files: string[];
  grant?: { file: string; purpose: string; grants: string[] };
}

/** The gateway's default port; the departments' follow it. */
const GATEWAY_PORT = 4000;
/** Folders of subgraphs/ that are not departments. */
const RESERVED = new Set(['kit']);
/** How an app reaches the new field: public security's lookup of a person. */
const PERSON_LOOKUP = ['Query.person', 'Query.person(idNumber:)'];
/** A title goes into comments and strings of the generated code as it is. */
const TITLE = /^(?!.*\*\/)[^\n"'`\\]+$/;

/** The default port each department under `subgraphs/` declares in its index, with its name. */
function declaredPorts(subgraphsDir: string): Map<number, string> {
  const ports = new Map<number, string>();
  if (!existsSync(subgraphsDir)) return ports;
  for (const entry of readdirSync(subgraphsDir, { withFileTypes: true })) {
    const index = ['index.ts', 'index.js'].map((file) => join(subgraphsDir, entry.name, file)).find((file) => entry.isDirectory() && existsSync(file));
    const port = index && /\bdefaultPort\s*:\s*(\d+)/.exec(readFileSync(index, 'utf8'))?.[1];
    if (port) ports.set(Number(port), entry.name);
  }
  return ports;
}

function choosePort(subgraphsDir: string, requested: number | undefined): number {
  const ports = declaredPorts(subgraphsDir);
  if (requested === undefined) return Math.max(GATEWAY_PORT, ...ports.keys()) + 1;
  const holder = ports.get(requested);
  if (holder) throw new Error(`port ${requested} is the port of ${holder} (subgraphs/${holder}/index.ts): leave --port out to take the first free one, ${Math.max(GATEWAY_PORT, ...ports.keys()) + 1}`);
  return requested;
}

/**
 * The conditions under which the app already names a person by ID number (`Query.person(idNumber:)`): the
 * new purpose takes those of its least bound purpose that does, so that it reaches persons no more widely
 * than the app does today — a citizen's app only the operator's own person, a desk only within a case.
 * None when the app names no person yet: the new purpose is then its first way to a person.
 */
function lookupConditions(contractsDir: string, app: string): Pick<GrantedPurpose, 'caseRequired' | 'subjectIsOperator'> {
  const contract = loadContracts(contractsDir).contracts.find((c) => c.contract.app === app)?.contract;
  const lookups = (contract?.purposes ?? []).filter((p) => p.grants.some((g) => grantCoordinate(g) === PERSON_LOOKUP[1]));
  const least = lookups.find((p) => !p.caseRequired && !p.subjectIsOperator) ?? lookups[0];
  return { ...(least?.caseRequired && { caseRequired: true }), ...(least?.subjectIsOperator && { subjectIsOperator: true }) };
}

/** Every field the schema declares a sharing class for, other than NONE: what an app may be granted. */
function grantableFields(schema: string): string[] {
  const coordinates: string[] = [];
  for (const definition of parse(schema).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const field of definition.fields ?? []) {
      const sharing = readSharingDirective(field.directives) ?? readSharingDirective(definition.directives);
      if (sharing && sharing.class !== 'NONE') coordinates.push(`${definition.name.value}.${field.name.value}`);
    }
  }
  return coordinates;
}

export function generateDepartment(options: NewDepartmentOptions): GeneratedDepartment {
  const { root, name, grantTo } = options;
  if (!isKebabCase(name)) throw new UsageError(`${name} is not a department name: write it in kebab-case, lower-case words joined by hyphens, e.g. human-resources`);
  if (RESERVED.has(name)) throw new UsageError(`${name} is the kit's folder, not a department: choose another name`);
  const title = options.title ?? name.replaceAll('-', ' ');
  if (!TITLE.test(title)) throw new UsageError('--title is one line of text without quotes, backslashes or */');
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 1024 && options.port <= 65535)) {
    throw new UsageError('--port is a whole number from 1024 to 65535');
  }
  const subgraphsDir = join(root, 'subgraphs');
  const folder = join(subgraphsDir, name);
  if (existsSync(folder)) throw new Error(`subgraphs/${name} exists already: choose another name, or remove the folder to generate it again`);
  const port = choosePort(subgraphsDir, options.port);

  const names = departmentNames(name, title, port);
  const files = departmentFiles(names);
  const contractsDir = join(root, 'contracts', 'apps');
  const grants = [...PERSON_LOOKUP, ...grantableFields(files['schema.graphql']!)];
  const purpose: GrantedPurpose = {
    code: name.toUpperCase().replaceAll('-', '_'),
    description: `REPLACE: why ${grantTo} reads what ${title} holds on a person`,
    legalBasis: `REPLACE: the law or regulation under which ${title} shares it with ${grantTo}`,
    ...(grantTo !== undefined && lookupConditions(contractsDir, grantTo)),
    grants,
  };
  const comment = ` Written by npm run new-department -- ${name}. ${title} writes the description and the legal basis\n (marked REPLACE), and the contract is approved again before this purpose is used.`;
  const grant: ContractGrant | undefined = grantTo === undefined ? undefined : planContractGrant(contractsDir, grantTo, purpose, comment);

  mkdirSync(folder, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text);
  grant?.write();
  return { folder, port, files: Object.keys(files), ...(grant && { grant: { file: grant.file, purpose: purpose.code, grants } }) };
}

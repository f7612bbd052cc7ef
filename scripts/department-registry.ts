/**
 * The remote departments a deployment composes besides this repository's own (`npm run compose --
 * --registry <file>`): departments that live in repositories of their own, built on the published kit
 * (docs/departments.md, "Joining from your own repository"). The registry is a YAML file:
 *
 *   departments:
 *     - name: housing-fund
 *       url: http://10.20.0.7:4100/graphql
 *       schema: housing-fund/schema.graphql    # the department's own schema file, relative to this file
 *
 * The platform cannot ask a department for its schema (departments refuse `_service` and introspection),
 * so the department hands its schema file over with its URL. Every problem is reported at once, each naming
 * the file and the entry, so a registry is put right in one pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import type { SubgraphSource } from './compose-supergraph';

const remoteDepartment = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, e.g. housing-fund'),
  url: z.url({ protocol: /^https?$/, error: 'must be the http:// or https:// URL of the department’s /graphql' }),
  schema: z.string().min(1, 'must name the department’s schema file'),
});

const registrySchema = z.strictObject({
  departments: z.array(remoteDepartment).min(1, 'must list at least one department'),
});

export type RemoteDepartment = z.infer<typeof remoteDepartment>;

function at(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || 'the file';
}

/** The registry's entries, or every problem with its shape (named by their path in the file). */
function parseRegistry(text: string): { departments: RemoteDepartment[]; problems: string[] } {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { departments: [], problems: [`not readable YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`] };
  }
  const parsed = registrySchema.safeParse(document ?? {});
  if (!parsed.success) return { departments: [], problems: parsed.error.issues.map((issue) => `${at(issue.path)}: ${issue.message}`) };
  return { departments: parsed.data.departments, problems: [] };
}

/**
 * The registry's departments, each schema file loaded with the kit's header (as the department's own
 * service loads it). `ownNames` are this repository's departments: a remote one may not take their names.
 */
export function readDepartmentRegistry(file: string, ownNames: readonly string[]): SubgraphSource[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the department registry ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const { departments, problems } = parseRegistry(text);
  const sources: SubgraphSource[] = [];
  const seen = new Set<string>();
  departments.forEach((department, i) => {
    const where = `departments[${i}]`;
    if (ownNames.includes(department.name)) problems.push(`${where}.name: ${department.name} is this repository's own department (subgraphs/${department.name}/): a remote department needs a name of its own`);
    else if (seen.has(department.name)) problems.push(`${where}.name: ${department.name} is listed twice: each department once`);
    seen.add(department.name);
    const schemaFile = resolve(dirname(file), department.schema);
    if (!existsSync(schemaFile)) return void problems.push(`${where}.schema: there is no file ${schemaFile} (a path relative to the registry file)`);
    try {
      sources.push({ name: department.name, url: department.url, typeDefs: loadSubgraphTypeDefs(schemaFile) });
    } catch (error) {
      problems.push(`${where}.schema: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  if (problems.length > 0) throw new Error(`The department registry ${file} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return sources;
}

/**
 * The platform file names types, fields and paths of the graph by text. A misspelt one switches a rule
 * off without a word: a `regionOf` path that leads nowhere binds no row to a region, a `perOperation`
 * coordinate that names no field limits nothing. So every name must be found in the supergraph's API.
 */
import { getNamedType, isLeafType, isObjectType } from 'graphql';
import type { Platform } from './platform-schema';
import { pathCoordinates, type Catalog } from './supergraph-catalog';

function isObjectTypeOf(catalog: Catalog, type: string): boolean {
  return isObjectType(catalog.apiSchema.getType(type));
}

/** Why `path` from `type` cannot be followed to a value, or undefined when it can. */
function pathProblem(catalog: Catalog, type: string, path: string): string | undefined {
  const coordinates = pathCoordinates(catalog, type, path);
  if (!coordinates) return `${path} is not a path of fields from ${type}`;
  const [owner, field] = coordinates[coordinates.length - 1]!.split('.') as [string, string];
  const last = (catalog.apiSchema.getType(owner) as { getFields(): Record<string, { type: Parameters<typeof getNamedType>[0] }> }).getFields()[field]!;
  return isLeafType(getNamedType(last.type)) ? undefined : `${path} from ${type} ends on an object, not a value`;
}

export function platformReferenceProblems(catalog: Catalog, platform: Platform): string[] {
  const problems: string[] = [];
  const typeProblem = (entry: string, type: string): boolean => {
    if (isObjectTypeOf(catalog, type)) return false;
    problems.push(`${entry}: ${type} is not an object type of the supergraph`);
    return true;
  };
  const followPath = (entry: string, type: string, path: string): void => {
    const problem = pathProblem(catalog, type, path);
    if (problem) problems.push(`${entry}: ${problem}`);
  };
  for (const [type, paths] of Object.entries(platform.regionOf)) {
    if (!typeProblem(`regionOf.${type}`, type)) for (const path of paths) followPath(`regionOf.${type}`, type, path);
  }
  for (const [type, key] of Object.entries(platform.subjectKeys)) {
    if (!typeProblem(`subjectKeys.${type}`, type)) followPath(`subjectKeys.${type}`, type, key);
  }
  for (const [type, path] of Object.entries(platform.ownerOf)) {
    if (!typeProblem(`ownerOf.${type}`, type)) followPath(`ownerOf.${type}`, type, path);
  }
  for (const coordinate of Object.keys(platform.perOperation)) {
    if (!catalog.fields.has(coordinate)) problems.push(`perOperation: ${coordinate} is not a field of the supergraph`);
  }
  const cases = platform.cases;
  if (cases) {
    if (!typeProblem('cases.type', cases.type)) {
      followPath('cases.key', cases.type, cases.key);
      followPath('cases.statusField', cases.type, cases.statusField);
    }
    for (const type of cases.binds ?? []) typeProblem('cases.binds', type);
    for (const coordinate of cases.openedBy) if (!catalog.fields.has(coordinate)) problems.push(`cases.openedBy: ${coordinate} is not a field of the supergraph`);
  }
  return problems;
}

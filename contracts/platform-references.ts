/**
 * The platform file names types, fields and paths of the graph by text. A misspelt one switches a rule
 * off without a word: a `regionOf` path that leads nowhere binds no row to a region, a `perOperation`
 * coordinate that names no field limits nothing. So every name must be found in the supergraph's API.
 */
import { GraphQLError, getNamedType, isEnumType, isLeafType, isObjectType, parse, validate, type DocumentNode } from 'graphql';
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
  for (const [type, paths] of Object.entries(platform.ownerOf)) {
    if (!typeProblem(`ownerOf.${type}`, type)) for (const path of paths) followPath(`ownerOf.${type}`, type, path);
  }
  for (const [copy, path] of Object.entries(platform.sameDatum)) {
    if (!catalog.fields.has(copy)) problems.push(`sameDatum: ${copy} is not a field of the supergraph`);
    const [type, ...rest] = path.split('.') as [string, ...string[]];
    if (!typeProblem(`sameDatum.${copy}`, type)) followPath(`sameDatum.${copy}`, type, rest.join('.'));
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
    problems.push(...caseProblems(catalog, cases));
  }
  return problems;
}

/**
 * The gateway asks the graph for each case with the file's own query and counts it open by the file's own
 * statuses: a query that does not validate, or a status the field never takes, would leave every case
 * closed without a word.
 */
function caseProblems(catalog: Catalog, cases: NonNullable<Platform['cases']>): string[] {
  const problems: string[] = [];
  const coordinates = pathCoordinates(catalog, cases.type, cases.statusField);
  const [owner, field] = (coordinates?.at(-1) ?? '').split('.') as [string, string | undefined];
  const ownerType = catalog.apiSchema.getType(owner);
  const statusType = field && isObjectType(ownerType) ? getNamedType(ownerType.getFields()[field]!.type) : undefined;
  if (isEnumType(statusType)) {
    const values = statusType.getValues().map((v) => v.name);
    for (const status of cases.openStatuses) {
      if (!values.includes(status)) problems.push(`cases.openStatuses: ${status} is not a value of ${owner}.${field} (one of ${values.join(', ')})`);
    }
  }
  let query: DocumentNode;
  try {
    query = parse(cases.query);
  } catch (error) {
    return [...problems, `cases.query: ${error instanceof GraphQLError ? error.message : String(error)}`];
  }
  return [...problems, ...validate(catalog.apiSchema, query).map((error) => `cases.query: ${error.message}`)];
}

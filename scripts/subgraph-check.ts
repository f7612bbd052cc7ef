/**
 * `npm run check-subgraph`'s work, offline: a department's candidate schema composed with the other
 * departments, its changes to the graph classified against the committed supergraph, and what it would
 * break listed by app — contract grants, app schemas, operations (app-breakage.ts).
 */
import { loadSubgraphTypeDefs } from '../subgraphs/kit/federation';
import type { ContractDocument } from '../contracts/contract-schema';
import type { SharingClass } from '../contracts/sharing-class';
import type { SubjectDeclarations } from '../contracts/subject-arguments';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { breakageByApp, type AppBreakage } from './app-breakage';
import { UsageError } from './command-line';
import { composeSupergraph, referenceSubgraphs, type SubgraphSource } from './compose-supergraph';
import type { CompositionProblem } from './explain-composition-error';
import type { OperationText } from './registered-operations';
import { schemaChanges, type ChangeLevel, type SchemaChange } from './schema-changes';

export interface SubgraphCheckOptions {
  department: string;
  /** The candidate schema (without the kit's header); default the department's schema.graphql as it is now. */
  schemaFile?: string;
  /** The departments as they are; default this repository's. */
  subgraphs?: () => SubgraphSource[];
  /** The committed supergraph (SDL), what the graph serves today. */
  supergraph: string;
  contracts: readonly ContractDocument[];
  declarations: SubjectDeclarations;
  undeclaredSharingClass: SharingClass;
  operations: readonly OperationText[];
  now: Date;
}

export interface SubgraphCheck {
  department: string;
  /** True when no department of that name is in the graph yet: the candidate joins it. */
  newDepartment: boolean;
  composition: { ok: true } | { ok: false; problems: CompositionProblem[] };
  changes: Record<ChangeLevel, SchemaChange[]>;
  apps: AppBreakage[];
  notChecked: string[];
  /** A breaking change to the graph, or anything broken for an app. */
  breaking: boolean;
}

/** Whether the check lets the change ship: it composes, and breaks nothing unless breaking is allowed. */
export function checkPassed(check: SubgraphCheck, allowBreaking: boolean): boolean {
  return check.composition.ok && (!check.breaking || allowBreaking);
}

/** The departments with the candidate in the department's place (or added, for a new one). */
function withCandidate(options: SubgraphCheckOptions): { subgraphs: SubgraphSource[]; newDepartment: boolean } {
  const current = (options.subgraphs ?? referenceSubgraphs)();
  const own = current.find((s) => s.name === options.department);
  if (!own && !options.schemaFile) {
    throw new UsageError(`no department named ${options.department} (departments: ${current.map((s) => s.name).join(', ')}); to check a new one, give its schema with --schema <file>`);
  }
  if (!options.schemaFile) return { subgraphs: current, newDepartment: false };
  const candidate: SubgraphSource = { name: options.department, url: own?.url ?? `http://127.0.0.1/${options.department}/graphql`, typeDefs: loadSubgraphTypeDefs(options.schemaFile) };
  return { subgraphs: own ? current.map((s) => (s === own ? candidate : s)) : [...current, candidate], newDepartment: !own };
}

export async function checkSubgraph(options: SubgraphCheckOptions): Promise<SubgraphCheck> {
  const failed = (problems: CompositionProblem[], newDepartment = false): SubgraphCheck => ({
    department: options.department,
    newDepartment,
    composition: { ok: false, problems },
    changes: { breaking: [], dangerous: [], safe: [] },
    apps: [],
    notChecked: [],
    breaking: false,
  });
  let candidate: ReturnType<typeof withCandidate>;
  try {
    candidate = withCandidate(options);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return failed([{ code: 'INVALID_SCHEMA_FILE', message: error instanceof Error ? error.message : String(error), sameCause: [] }]);
  }
  const composed = composeSupergraph(candidate.subgraphs);
  if (!composed.ok) return failed(composed.explained ?? composed.problems.map((message) => ({ code: 'COMPOSITION', message, sameCause: [] })), candidate.newDepartment);

  const before = buildCatalog(options.supergraph, options.undeclaredSharingClass);
  const after = buildCatalog(composed.supergraph, options.undeclaredSharingClass);
  const changes: Record<ChangeLevel, SchemaChange[]> = { breaking: [], dangerous: [], safe: [] };
  for (const change of await schemaChanges(before, after)) changes[change.level].push(change);
  const { apps, notChecked } = await breakageByApp({ before, after, contracts: options.contracts, declarations: options.declarations, operations: options.operations, now: options.now });
  return {
    department: options.department,
    newDepartment: candidate.newDepartment,
    composition: { ok: true },
    changes,
    apps,
    notChecked,
    breaking: changes.breaking.length > 0 || apps.length > 0,
  };
}

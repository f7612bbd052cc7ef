/**
 * Runs @apollo/query-planner's plans itself: the department calls go straight through the department
 * fetcher (gateway token, request id, timeouts, breaker), results are merged in place, and the answer is
 * shaped by a shaper compiled once per operation (`result-shaper.ts`) and cached with the plan — where
 * @apollo/gateway rebuilds its operation model and walks it for every row of every request, which was
 * the largest part of the gateway's own time on lists.
 *
 * Plans that need what this executor does not do — @defer, subscriptions, the data rewrites of
 * @interfaceObject and @fromContext — are answered by @apollo/gateway's executor (`fallback`), so every
 * supergraph keeps working.
 */
import { Supergraph, operationFromDocument, type VariableDefinitions } from '@apollo/federation-internals';
import { QueryPlanner, evaluateCondition, type FetchNode, type PlanNode, type QueryPlan, type QueryPlanSelectionNode } from '@apollo/query-planner';
import { GraphQLError, isCompositeType, isObjectType, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import type { Caller } from '../contracts/caller';
import { SPAN_ATTRIBUTES, type SpanNotes, type Tracing } from '../http/tracing';
import type { DepartmentCall } from './department-call';
import { answerError } from './errors';
import { compileShaper, type Shaper } from './result-shaper';

type Row = Record<string, unknown>;
type Path = Array<string | number>;

export interface PlanRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null | undefined;
  /** The plan-cache key: the operation text's hash (rewritten operations have their own). */
  queryHash: string;
  variables: Readonly<Record<string, unknown>>;
  caller: Caller;
  /**
   * Whether to shape the answer by the document. Not when the result gate follows: it shapes the merged
   * data by the client's own document itself, so shaping twice would be wasted.
   */
  shape: boolean;
}

export interface PlanResult {
  data?: Row | null;
  errors?: GraphQLError[];
  extensions?: Record<string, unknown>;
}

interface Prepared {
  plan: QueryPlan;
  variableDefinitions: VariableDefinitions;
  shape: Shaper;
}

/** How many operations' plans and shapers are kept; past it the cache starts again. */
const PLAN_CACHE_SIZE = 2000;

function isObject(value: unknown): value is Row {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Merges what a department returned into the row it belongs to (objects field by field, lists item by item). */
function mergeInto(target: Row, source: Row): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) continue;
    const current = target[key];
    if (isObject(current) && isObject(value)) mergeInto(current, value);
    else if (Array.isArray(current) && Array.isArray(value) && current.length === value.length) {
      for (let i = 0; i < value.length; i++) {
        if (isObject(current[i]) && isObject(value[i])) mergeInto(current[i] as Row, value[i] as Row);
        else current[i] = value[i];
      }
    } else target[key] = value;
  }
}

/** Whether the executor can run the plan itself (else @apollo/gateway's executor does). */
function supported(node: PlanNode | QueryPlan['node']): boolean {
  if (!node) return true;
  switch (node.kind) {
    case 'Sequence':
    case 'Parallel':
      return node.nodes.every(supported);
    case 'Flatten':
      return node.path.every((p) => p === '@' || (typeof p === 'string' && !p.startsWith('...'))) && supported(node.node);
    case 'Condition':
      return supported(node.ifClause) && supported(node.elseClause);
    case 'Fetch':
      return !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length && !node.hasDefers;
    default:
      return false;
  }
}

/** The rows at a plan path (`@` steps into every item of a list), with their paths in the answer. */
function rowsAt(data: unknown, path: ReadonlyArray<string | number>, at: Path, into: Array<{ row: Row; path: Path }>): void {
  if (data === null || data === undefined) return;
  if (path.length === 0) {
    if (Array.isArray(data)) data.forEach((item, i) => rowsAt(item, path, [...at, i], into));
    else if (isObject(data)) into.push({ row: data, path: at });
    return;
  }
  const [head, ...rest] = path;
  if (head === '@') {
    if (Array.isArray(data)) data.forEach((item, i) => rowsAt(item, rest, [...at, i], into));
    return;
  }
  if (isObject(data)) rowsAt(data[head as string], rest, [...at, head as string], into);
}

export interface PlanExecutorOptions {
  supergraphSdl: string;
  apiSchema: GraphQLSchema;
  call: DepartmentCall;
  logger: Logger;
  /** Told once per distinct operation which executor will run it. */
  planned?: (executor: 'govgraph' | 'apollo') => void;
  tracing: Tracing;
}

export function createPlanExecutor(options: PlanExecutorOptions) {
  const supergraph = Supergraph.build(options.supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  const apiSchema = supergraph.apiSchema();
  const schema = options.apiSchema;
  const prepared = new Map<string, Prepared | 'unsupported'>();

  /** The key and typename fields a department needs to find an entity, taken from the row. */
  const representation = (source: unknown, selections: readonly QueryPlanSelectionNode[]): unknown => {
    if (!isObject(source)) return source;
    const out: Row = {};
    for (const selection of selections) {
      if (selection.kind === 'Field') {
        const key = selection.alias ?? selection.name;
        const value = source[key];
        if (value === undefined) return null;
        const nested = selection.selections;
        out[key] = nested && value !== null ? (Array.isArray(value) ? value.map((v) => representation(v, nested)) : representation(value, nested)) : value;
        continue;
      }
      const typename = source['__typename'];
      if (!selection.typeCondition || typeof typename !== 'string') continue;
      const actual = schema.getType(typename);
      const condition = schema.getType(selection.typeCondition);
      const applies = typename === selection.typeCondition || (actual && condition && isObjectType(actual) && isCompositeType(condition) && !isObjectType(condition) && schema.isSubType(condition, actual));
      if (applies) Object.assign(out, representation(source, selection.selections));
    }
    return out;
  };

  const fetch = async (node: FetchNode, rows: Array<{ row: Row; path: Path }>, request: PlanRequest, errors: GraphQLError[]) => {
    const variables: Row = {};
    for (const name of node.variableUsages ?? []) if (request.variables[name] !== undefined) variables[name] = request.variables[name];
    const targets: Array<{ row: Row; path: Path }> = [];
    if (node.requires) {
      const representations: unknown[] = [];
      for (const target of rows) {
        const found = representation(target.row, node.requires);
        if (!isObject(found) || !found['__typename']) continue;
        representations.push(found);
        targets.push(target);
      }
      if (representations.length === 0) return;
      variables['representations'] = representations;
    }
    const answer = await options.call(node.serviceName, { query: node.operation, variables, operationName: node.operationName }, request.caller);
    const pathOf = (error: GraphQLFormattedError): Path | undefined => {
      if (!error.path) return undefined;
      if (node.requires && typeof error.path[1] === 'number') return [...(targets[error.path[1]]?.path ?? []), ...error.path.slice(2)];
      return [...(rows[0]?.path ?? []), ...error.path];
    };
    for (const error of answer.errors ?? []) {
      const path = pathOf(error);
      errors.push(
        answerError(error.message || `Error while fetching subquery from service "${node.serviceName}"`, {
          ...(path && { path }),
          extensions: { ...error.extensions, code: error.extensions?.['code'] ?? 'DOWNSTREAM_SERVICE_ERROR', serviceName: node.serviceName },
        }),
      );
    }
    const data = answer.data;
    if (!isObject(data)) return;
    if (!node.requires) {
      for (const { row } of rows) mergeInto(row, data);
      return;
    }
    const entities = data['_entities'];
    if (!Array.isArray(entities) || entities.length !== targets.length) throw new Error(`${node.serviceName} answered ${targets.length} representations with a different number of entities`);
    entities.forEach((entity, i) => {
      if (!isObject(entity)) return;
      const target = targets[i]!.row;
      if (!entity['__typename']) entity['__typename'] = target['__typename'];
      mergeInto(target, entity);
    });
  };

  const run = async (node: PlanNode, data: Row, at: ReadonlyArray<string | number>, request: PlanRequest, variableDefinitions: VariableDefinitions, errors: GraphQLError[]): Promise<void> => {
    switch (node.kind) {
      case 'Sequence':
        for (const child of node.nodes) await run(child, data, at, request, variableDefinitions, errors);
        return;
      case 'Parallel':
        await Promise.all(node.nodes.map((child) => run(child, data, at, request, variableDefinitions, errors)));
        return;
      case 'Flatten':
        return run(node.node, data, [...at, ...node.path], request, variableDefinitions, errors);
      case 'Condition': {
        const chosen = evaluateCondition(node, variableDefinitions, request.variables) ? node.ifClause : node.elseClause;
        if (chosen) await run(chosen, data, at, request, variableDefinitions, errors);
        return;
      }
      case 'Fetch': {
        const rows: Array<{ row: Row; path: Path }> = [];
        rowsAt(data, at, [], rows);
        if (rows.length === 0) return;
        try {
          await fetch(node, rows, request, errors);
        } catch (error) {
          errors.push(error instanceof GraphQLError ? error : new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : undefined }));
        }
        return;
      }
      default:
        throw new Error(`plan node ${node.kind} is not run by this executor`);
    }
  };

  const prepare = (request: PlanRequest, span: SpanNotes): Prepared | 'unsupported' => {
    const key = `${request.queryHash}\u0000${request.operationName ?? ''}`;
    let entry = prepared.get(key);
    span.set({ [SPAN_ATTRIBUTES.planCached]: entry !== undefined });
    if (entry) return entry;
    try {
      const operation = operationFromDocument(apiSchema, request.document, { operationName: request.operationName ?? undefined });
      const plan = planner.buildQueryPlan(operation);
      entry = supported(plan.node) ? { plan, variableDefinitions: operation.variableDefinitions, shape: compileShaper(schema, request.document, request.operation) } : 'unsupported';
    } catch (error) {
      // Apollo's executor answers it instead, with its own error if the operation cannot be planned at all.
      options.logger.warn({ err: error, queryHash: request.queryHash }, 'operation left to @apollo/gateway: the plan executor could not prepare it');
      entry = 'unsupported';
    }
    options.planned?.(entry === 'unsupported' ? 'apollo' : 'govgraph');
    if (prepared.size >= PLAN_CACHE_SIZE) prepared.clear();
    prepared.set(key, entry);
    return entry;
  };

  /** The answer, or undefined when @apollo/gateway's executor must run this operation. */
  return async function executePlan(request: PlanRequest): Promise<PlanResult | undefined> {
    const entry = await options.tracing.span('planning', {}, async (span) => {
      const found = prepare(request, span);
      span.set({ [SPAN_ATTRIBUTES.planExecutor]: found === 'unsupported' ? 'apollo' : 'govgraph' });
      return found;
    });
    if (entry === 'unsupported') return undefined;
    const merged: Row = {};
    const errors: GraphQLError[] = [];
    if (entry.plan.node) await run(entry.plan.node as PlanNode, merged, [], request, entry.variableDefinitions, errors);
    if (!request.shape) return errors.length > 0 ? { data: merged, errors } : { data: merged };
    const shaped = entry.shape(merged, request.variables);
    if (errors.length > 0) return { data: shaped.data, errors };
    return shaped.errors.length > 0 ? { data: shaped.data, extensions: { valueCompletion: shaped.errors } } : { data: shaped.data };
  };
}

export type PlanExecutor = ReturnType<typeof createPlanExecutor>;

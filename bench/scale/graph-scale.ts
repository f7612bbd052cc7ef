/**
 * A large graph (issue 24, "Graph size"): a generated supergraph of 50 departments and about 500 object
 * types against the reference one — composition time, the built gateway's start time and memory over it,
 * and the query planner: building it, and planning a cold operation (the first time it is seen) about one
 * person across the reference departments and, on the large graph, across ten generated ones.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse, type DocumentNode } from 'graphql';
import { composeSupergraph, referenceSubgraphs, type SubgraphSource } from '../../scripts/compose-supergraph';
import { measureGatewayStart, type GatewayStart } from './gateway-start';
import { fanOutOperation, generatedGraph, objectTypeNames } from './generated-graph';

export interface GraphFigures {
  departments: number;
  types: number;
  composeSeconds: number;
  start: GatewayStart;
  plannerSeconds: number;
  /** A cold plan of the profile operation, and (large graph) of one reading ten generated departments. */
  coldPlanMs: { profile: number; fanOut?: number };
}

/** The profile of compare-gateways.ts: a person from public security, civil affairs, market regulation and the service hall. */
export const PROFILE = parse(`query Profile($id: IdNumber!) {
  person(idNumber: $id) { name gender household { address } maritalStatus marriages { kind spouse { name } } enterprises { name status } applications { id status } }
}`);

const WARM_UP = parse('query WarmUp($code: CreditCode!) { enterprise(creditCode: $code) { name status } }');

function compose(subgraphs: readonly SubgraphSource[]): { supergraph: string; seconds: number } {
  const started = performance.now();
  const result = composeSupergraph(subgraphs);
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok) throw new Error(`the generated graph does not compose:\n${result.problems.slice(0, 10).join('\n')}`);
  return { supergraph: result.supergraph, seconds };
}

export function planning(supergraphSdl: string, operations: DocumentNode[]): { plannerSeconds: number; coldMs: number[] } {
  const started = performance.now();
  const supergraph = Supergraph.build(supergraphSdl);
  const planner = new QueryPlanner(supergraph);
  const apiSchema = supergraph.apiSchema();
  const plannerSeconds = (performance.now() - started) / 1000;
  // One other operation first, so that the planner's own code is compiled alike on either graph.
  planner.buildQueryPlan(operationFromDocument(apiSchema, WARM_UP));
  const coldMs = operations.map((document) => {
    const t = performance.now();
    planner.buildQueryPlan(operationFromDocument(apiSchema, document));
    return performance.now() - t;
  });
  return { plannerSeconds, coldMs };
}

async function measureGraph(dir: string, subgraphs: readonly SubgraphSource[], operations: DocumentNode[]): Promise<GraphFigures> {
  const { supergraph, seconds } = compose(subgraphs);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'supergraph.graphql');
  writeFileSync(file, supergraph);
  const start = await measureGatewayStart(join(dir, 'gateway-data'), { SUPERGRAPH_FILE: file }, async () => undefined);
  const { plannerSeconds, coldMs } = planning(supergraph, operations);
  return {
    departments: subgraphs.length,
    types: objectTypeNames(subgraphs).size,
    composeSeconds: seconds,
    start: { startSeconds: start.startSeconds, rssMb: start.rssMb },
    plannerSeconds,
    coldPlanMs: { profile: coldMs[0]!, ...(coldMs[1] !== undefined && { fanOut: coldMs[1] }) },
  };
}

export async function measureGraphs(options: { dataDir: string; departments: number; types: number; log: (line: string) => void }): Promise<{ reference: GraphFigures; generated: GraphFigures }> {
  const dir = join(options.dataDir, 'graph');
  rmSync(dir, { recursive: true, force: true });
  options.log('graph: the reference supergraph');
  const reference = await measureGraph(join(dir, 'reference'), referenceSubgraphs(), [PROFILE]);
  options.log(`graph: ${options.departments} departments, about ${options.types} types`);
  const graph = generatedGraph(join(dir, 'schemas'), options.departments, options.types);
  const generated = await measureGraph(join(dir, 'generated'), graph.subgraphs, [PROFILE, fanOutOperation(Math.min(10, graph.generatedDepartments))]);
  return { reference, generated };
}

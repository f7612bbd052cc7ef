/**
 * Prometheus metrics of one department service, in a registry of its own (tests run several services in
 * one process).
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface SubgraphMetrics {
  registry: Registry;
  requests: Counter<'subgraph' | 'outcome'>;
  duration: Histogram<'subgraph'>;
  statements: Counter<'subgraph'>;
}

export function createSubgraphMetrics(subgraph: string, withProcessMetrics: boolean): SubgraphMetrics {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  const metrics: SubgraphMetrics = {
    registry,
    requests: new Counter({
      name: 'govgraph_subgraph_requests_total',
      help: 'GraphQL requests to this department, by outcome (ok, error, unauthenticated).',
      labelNames: ['subgraph', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'govgraph_subgraph_request_duration_seconds',
      help: 'Time to answer a GraphQL request in this department.',
      labelNames: ['subgraph'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    statements: new Counter({
      name: 'govgraph_db_statements_total',
      help: "SQL statements executed against this department's data (its access log's writes are not counted).",
      labelNames: ['subgraph'],
      registers: [registry],
    }),
  };
  for (const outcome of ['ok', 'error', 'unauthenticated']) metrics.requests.inc({ subgraph, outcome }, 0);
  metrics.statements.inc({ subgraph }, 0);
  return metrics;
}

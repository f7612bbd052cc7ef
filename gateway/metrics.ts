/** Prometheus metrics of the gateway, in a registry of its own. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type RequestOutcome = 'ok' | 'error' | 'unauthenticated' | 'bad_request' | 'rate_limited';

export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  duration: Histogram<'outcome'>;
  /** Distinct operations planned, by the executor that runs them. */
  plans: Counter<'executor'>;
}

export function createGatewayMetrics(withProcessMetrics: boolean): GatewayMetrics {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'govgraph_gateway_requests_total',
    help: 'GraphQL requests to the gateway, by outcome (ok, error, unauthenticated, bad_request, rate_limited).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  for (const outcome of ['ok', 'error', 'unauthenticated', 'bad_request', 'rate_limited'] satisfies RequestOutcome[]) requests.inc({ outcome }, 0);
  const plans = new Counter({
    name: 'govgraph_gateway_operations_planned_total',
    help: "Distinct operations planned, by executor: govgraph, or apollo for plans GovGraph's executor leaves to @apollo/gateway's (@defer, subscriptions, data rewrites).",
    labelNames: ['executor'],
    registers: [registry],
  });
  for (const executor of ['govgraph', 'apollo']) plans.inc({ executor }, 0);
  return {
    registry,
    requests,
    plans,
    duration: new Histogram({
      name: 'govgraph_gateway_request_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its response.',
      labelNames: ['outcome'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

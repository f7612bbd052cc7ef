/**
 * Two replicas on one PostgreSQL chain (issue 24): the 100-enterprise page through GovGraph with its audit
 * trail in SQLite (one gateway), in PostgreSQL (`AUDIT_DATABASE_URL`, one gateway) and in PostgreSQL shared
 * by two gateway processes, each configuration in turn over the same seeded departments. Load comes from
 * the latency probe's closed-loop clients in processes of their own, split evenly across the gateways.
 */
import { PAGE_QUERY } from '../agreement';
import { PURPOSE, newDataDir, startDepartments, type Departments } from '../deployment';
import { measureLatency, type LatencyResult } from '../latency-probe';
import { builtProgram, stopTree, waitFor, type Started } from '../processes';
import { freePort } from '../../tests/support/graph';

export type TrailConfiguration = 'sqlite, one gateway' | 'postgres, one gateway' | 'postgres, two gateways';
export const CONFIGURATIONS: readonly TrailConfiguration[] = ['sqlite, one gateway', 'postgres, one gateway', 'postgres, two gateways'];

export interface ReplicaMeasurement {
  configuration: TrailConfiguration;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface ReplicaOptions {
  postgresUrl: string;
  seconds: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

/** The first gateway on the port the departments were told the gateway is at (they read other departments' data through it). */
async function startGateways(departments: Departments, firstPort: number, count: number, env: Record<string, string>): Promise<Array<{ url: string; started: Started }>> {
  const gateways = [];
  for (let i = 0; i < count; i++) {
    const port = i === 0 ? firstPort : await freePort();
    const started = departments.start(`gateway-${port}`, builtProgram('gateway/index.ts'), [], {
      DATA_DIR: departments.dataDir, CONTRACTS_DIR: departments.contractsDir, SUBGRAPH_URLS: departments.subgraphUrls, PORT: String(port), CONSOLE: 'off', ...env,
    });
    gateways.push({ url: `http://127.0.0.1:${port}/graphql`, started });
  }
  for (const g of gateways) await waitFor(new URL('/readyz', g.url).href, g.started);
  return gateways;
}

async function measureConfiguration(departments: Departments, gatewayPort: number, configuration: TrailConfiguration, round: number, options: ReplicaOptions): Promise<ReplicaMeasurement> {
  const env: Record<string, string> = configuration.startsWith('postgres') ? { AUDIT_DATABASE_URL: options.postgresUrl } : {};
  const gateways = await startGateways(departments, gatewayPort, configuration.endsWith('two gateways') ? 2 : 1, env);
  try {
    const headers = { authorization: `Bearer ${departments.appToken}`, 'x-purpose': PURPOSE };
    const body = JSON.stringify({ query: PAGE_QUERY });
    const perGateway = Math.max(1, Math.floor(options.connections / gateways.length));
    const results: LatencyResult[] = await Promise.all(gateways.map((g) => measureLatency(g.url, headers, body, 3, options.seconds, perGateway)));
    const requests = results.reduce((n, r) => n + r.requests, 0);
    return {
      configuration,
      round,
      rps: results.reduce((n, r) => n + r.rps, 0),
      // Each probe's own percentiles, weighted by what it answered: close enough for two even halves.
      p50: results.reduce((n, r) => n + r.p50 * r.requests, 0) / requests,
      p99: Math.max(...results.map((r) => r.p99)),
      errors: results.reduce((n, r) => n + r.errors, 0),
    };
  } finally {
    await Promise.all(gateways.map((g) => stopTree(g.started.process)));
  }
}

export async function measureReplicas(options: ReplicaOptions): Promise<ReplicaMeasurement[]> {
  const gatewayPort = await freePort();
  options.log('replicas: seeding and starting the departments');
  const departments = await startDepartments(newDataDir(), 4710, `http://127.0.0.1:${gatewayPort}/graphql`);
  const measurements: ReplicaMeasurement[] = [];
  try {
    for (let round = 1; round <= options.rounds; round++) {
      // The order rotates each round, so no configuration always runs first.
      const order = CONFIGURATIONS.map((_, i) => CONFIGURATIONS[(i + round - 1) % CONFIGURATIONS.length]!);
      for (const configuration of order) {
        options.log(`replicas: round ${round}, ${configuration}`);
        measurements.push(await measureConfiguration(departments, gatewayPort, configuration, round, options));
      }
    }
  } finally {
    await departments.stop();
  }
  return measurements;
}


/**
 * The gateways compared, each started as its own process (or process tree, with workers) over the same
 * departments and supergraph, on loopback ports from the run's port base (4400 unless told otherwise). A
 * contender that may legitimately be
 * missing — GovGraph's workers before GATEWAY_WORKERS exists, Hive's Rust planner where it does not load —
 * is reported with the reason instead of failing the run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Target } from './agreement';
import { APP, PURPOSE, SUPERGRAPH_FILE, type Departments } from './deployment';
import { builtProgram, nodeProcesses, stopTree, waitFor, type Started } from './processes';

export const GOVGRAPH = 'GovGraph (all security on)';
export const BARE = 'bare @apollo/gateway';
export const HIVE = 'Hive Gateway';
export const HIVE_RUST = 'Hive Gateway (Rust planner)';
/** The references measured beside the gateways (compare-gateways.ts). */
export const DIRECT = 'the department directly (limit)';
export const FIXED_PLAN = 'fixed-plan proxy (reference: no planning, no security)';

export interface Contender extends Target {
  started: Started;
}

interface ContenderSpec {
  name: string;
  /** Its port is the run's port base plus this. */
  portOffset: number;
  /** The GraphQL path and the path that answers once the gateway serves. */
  path: string;
  ready: string;
  /** When the contender may be missing from a section: never, only with workers, or always. */
  mayBeMissing: 'never' | 'workers' | 'always';
  /** The program run by node — a TypeScript source of ours, run from its build, or a peer's JavaScript — its arguments and environment. */
  program(): string;
  args(workers: number, port: number): string[];
  env(departments: Departments, workers: number): Record<string, string>;
  headers(departments: Departments): Record<string, string>;
  /** Why a started contender is not what was asked for, read from its log. */
  problem?(log: string): string | undefined;
}

/** Hive Gateway's own CLI over the local supergraph file and bench/hive-gateway.config.ts, with its own --fork. */
function hive(name: string, portOffset: number, extraArgs: string[]): Omit<ContenderSpec, 'mayBeMissing'> {
  return {
    name,
    portOffset,
    path: '/graphql',
    ready: '/healthcheck',
    program: () => join(__dirname, 'node_modules', '@graphql-hive', 'gateway', 'dist', 'bin.js'),
    args: (workers, port) => ['supergraph', SUPERGRAPH_FILE, '-c', join(__dirname, 'hive-gateway.config.ts'), '-h', '127.0.0.1', '-p', String(port), '--fork', String(workers), ...extraArgs],
    env: (d) => ({ SUBGRAPH_URLS: d.subgraphUrls, SIGNING_KEY_FILE: d.keys.gatewayPrivate, APP, PURPOSE }),
    headers: () => ({}),
  };
}

export const CONTENDERS: readonly ContenderSpec[] = [
  {
    name: GOVGRAPH,
    portOffset: 0,
    path: '/graphql',
    ready: '/healthz',
    mayBeMissing: 'workers',
    program: () => builtProgram('gateway/index.ts'),
    args: () => [],
    env: (d, workers) => ({ DATA_DIR: d.dataDir, CONTRACTS_DIR: d.contractsDir, SUBGRAPH_URLS: d.subgraphUrls, ...(workers > 1 && { GATEWAY_WORKERS: String(workers) }) }),
    headers: (d) => ({ authorization: `Bearer ${d.appToken}`, 'x-purpose': PURPOSE }),
  },
  {
    name: BARE,
    portOffset: 1,
    path: '/',
    ready: '/',
    mayBeMissing: 'never',
    program: () => builtProgram('bench/bare-apollo-gateway.ts'),
    args: () => [],
    env: (d, workers) => ({ SUPERGRAPH_FILE, SUBGRAPH_URLS: d.subgraphUrls, SIGNING_KEY_FILE: d.keys.gatewayPrivate, APP, PURPOSE, WORKERS: String(workers) }),
    headers: () => ({ 'apollo-require-preflight': '1' }),
  },
  { ...hive(HIVE, 2, []), mayBeMissing: 'never' },
  {
    ...hive(HIVE_RUST, 3, ['--hive-router-runtime']),
    mayBeMissing: 'always',
    // The CLI falls back to the JavaScript planner, with a warning, when the runtime does not load.
    problem: (log) => (/Could not load the @graphql-hive\/router-runtime/.test(log) ? 'the @graphql-hive/router-runtime package did not load, and Hive fell back to its JavaScript planner' : undefined),
  },
];

/**
 * Starts one contender with `workers` processes on its port from `portBase`; when it is not what was asked
 * for, stops it and says why.
 */
export async function startContender(departments: Departments, name: string, workers: number, portBase: number): Promise<Contender | { reason: string }> {
  const spec = CONTENDERS.find((c) => c.name === name)!;
  const port = portBase + spec.portOffset;
  const base = `http://127.0.0.1:${port}`;
  const env = { ...spec.env(departments, workers), PORT: String(port) };
  const started = departments.start(`gateway-${port}-x${workers}`, spec.program(), spec.args(workers, port), env);
  let reason: string | undefined;
  try {
    await waitFor(`${base}${spec.ready}`, started);
    reason = spec.problem?.(readFileSync(started.log, 'utf8'));
    const processes = nodeProcesses(started.process.pid).length;
    if (workers > 1 && processes < workers) reason = `not supported by this build: asked for ${workers} workers, it runs ${processes} process${processes === 1 ? '' : 'es'}`;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (reason !== undefined) {
    await stopTree(started.process);
    return { reason };
  }
  const headers = spec.headers(departments);
  return { name, url: `${base}${spec.path}`, headers: async () => headers, started };
}

export interface Launched {
  contenders: Contender[];
  /** Contenders left out of this section, and why. */
  missing: Array<{ name: string; reason: string }>;
}

/** Starts every contender with `workers` processes each, on ports from `portBase`; fails on one that must be there and is not. */
export async function launchContenders(departments: Departments, workers: number, portBase: number): Promise<Launched> {
  const launched: Launched = { contenders: [], missing: [] };
  for (const spec of CONTENDERS) {
    const result = await startContender(departments, spec.name, workers, portBase);
    if (!('reason' in result)) {
      launched.contenders.push(result);
      continue;
    }
    const mayBeMissing = spec.mayBeMissing === 'always' || (spec.mayBeMissing === 'workers' && workers > 1);
    if (!mayBeMissing) throw new Error(`${spec.name} with ${workers} worker(s): ${result.reason}`);
    process.stderr.write(`${spec.name} left out: ${result.reason}\n`);
    launched.missing.push({ name: spec.name, reason: result.reason.split('\n')[0]! });
  }
  return launched;
}

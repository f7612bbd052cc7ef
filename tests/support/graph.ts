/**
 * Starts the real reference deployment for a test file: five departments over fresh SQLite files in a
 * temporary folder, seeded with a small synthetic world, and the real gateway over the committed
 * supergraph — every one on a free loopback port, talking HTTP. Nothing is mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import type { GatewayConfig } from '../../gateway/config';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { DEPARTMENTS } from '../../scripts/departments';
import { ensureDevKeys, type DevKeyFiles } from '../../scripts/dev-keys';
import { mintAppToken, type AppTokenRequest } from '../../scripts/mint-app-token';
import { sqliteFileFor } from '../../subgraphs/kit/config';
import type { DatabaseLocation } from '../../subgraphs/kit/database';
import { startDepartment, type RunningService } from '../../subgraphs/kit/server';
import type { WorldSize } from '../../subgraphs/kit/synthetic/world';

export const TEST_WORLD: WorldSize = { persons: 800, enterprises: 160, applications: 80, cityEvents: 200 };

export interface TestGraph {
  gateway: RunningGateway;
  subgraphs: RunningService[];
  keys: DevKeyFiles;
  dataDir: string;
  token(request?: Partial<AppTokenRequest>): Promise<string>;
  /** POSTs an operation to the gateway as an app (a fresh token unless one is given). */
  query(query: string, options?: { variables?: Record<string, unknown>; token?: string | null; headers?: Record<string, string> }): Promise<GraphQLResponse>;
  /** The sum of a counter over every department's /metrics. */
  subgraphCounter(name: string): Promise<number>;
  stopSubgraph(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

const silent = pino({ level: 'silent' });

export function gatewayConfigFor(keys: DevKeyFiles, subgraphUrls: Record<string, string>): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    supergraphFile: resolve(__dirname, '..', '..', 'supergraph.graphql'),
    appKeys: { kind: 'file', file: keys.appIssuerJwks },
    appTokenIssuer: 'govgraph-dev-idp',
    appTokenAudience: 'govgraph',
    appTokenLeewaySeconds: 5,
    signingKeyFile: keys.gatewayPrivate,
    subgraphTokenTtlSeconds: 60,
    subgraphUrls,
    readinessTimeoutMs: 1000,
    logLevel: 'silent',
  };
}

export async function readCounter(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? ([0-9.e+]+)$`).exec(line);
    if (match) total += Number(match[2]);
  }
  return total;
}

export interface GraphOptions {
  size?: WorldSize;
  /** Where each department keeps its data; a fresh SQLite file in the temporary folder by default. */
  databaseFor?: (department: string, dataDir: string) => DatabaseLocation;
}

export async function startGraph(options: GraphOptions = {}): Promise<TestGraph> {
  const size = options.size ?? TEST_WORLD;
  const databaseFor = options.databaseFor ?? ((department: string, dir: string) => ({ kind: 'sqlite', file: sqliteFileFor(dir, department) }) as const);
  const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-test-'));
  const keys = await ensureDevKeys(dataDir);
  const subgraphs: RunningService[] = [];
  for (const department of DEPARTMENTS) {
    subgraphs.push(
      await startDepartment(
        department,
        {
          host: '127.0.0.1',
          port: 0,
          database: databaseFor(department.name, dataDir),
          gatewayJwksFile: keys.gatewayJwks,
          tokenLeewaySeconds: 5,
          logLevel: 'silent',
        },
        { seedIfEmpty: size, processMetrics: false, logger: silent },
      ),
    );
  }
  const gateway = await startGateway(gatewayConfigFor(keys, Object.fromEntries(subgraphs.map((s) => [s.name, s.url]))), {
    processMetrics: false,
    logger: silent,
  });
  const stopped = new Set<string>();

  const graph: TestGraph = {
    gateway,
    subgraphs,
    keys,
    dataDir,
    token: (request = {}) => mintAppToken(keys.appIssuerPrivate, { app: 'test-app', ...request }),
    async query(query, options = {}) {
      const token = options.token === undefined ? await graph.token() : options.token;
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token !== null && { authorization: `Bearer ${token}` }),
          ...options.headers,
        },
        body: JSON.stringify({ query, variables: options.variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
    },
    async subgraphCounter(name) {
      let total = 0;
      for (const s of subgraphs) if (!stopped.has(s.name)) total += await readCounter(new URL('/metrics', s.url).href, name);
      return total;
    },
    async stopSubgraph(name) {
      stopped.add(name);
      await subgraphs.find((s) => s.name === name)!.stop();
    },
    async stop() {
      await gateway.stop();
      for (const s of subgraphs) if (!stopped.has(s.name)) await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return graph;
}

/**
 * Starts the real reference deployment for a test file: every department found under subgraphs/
 * (scripts/departments.ts) over fresh SQLite files in a temporary folder, seeded with a small synthetic
 * world, and the real gateway over the committed supergraph — every one on a free loopback port, talking
 * HTTP. Nothing is mocked.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import pino from 'pino';
import { readChainKey, type ChainKeys } from '../../audit/chain-keys';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { DEFAULT_RETENTION_DAYS } from '../../audit/verify-chain';
import { EXTRACT_FILE, extractForDepartment } from '../../contracts/department-extract';
import { loadContracts, loadPlatform } from '../../contracts/load-contracts';
import { subjectArguments } from '../../contracts/subject-arguments';
import { buildCatalog } from '../../contracts/supergraph-catalog';
import type { GatewayConfig } from '../../gateway/config';
import { traceLogFields } from '../../http/tracing';
import { tracingSettingsOf } from '../../http/tracing-settings';
import { DEFAULT_LIMITS } from '../../gateway/limits';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { departments, type AnyDepartment } from '../../scripts/departments';
import { DEV_PLATFORM_ISSUER, ensureDevKeys, internalAppKeyFile, internalAppsOf, type DevKeyFiles } from '../../scripts/dev-keys';
import { mintAppToken, type AppTokenRequest } from '../../scripts/mint-app-token';
import { writeOwnContract } from '../../scripts/own-contract';
import { sqliteFileFor, type SubgraphConfig } from '../../subgraphs/kit/config';
import type { DatabaseLocation } from '../../subgraphs/kit/database';
import { startDepartment, type RunningService } from '../../subgraphs/kit/server';
import type { WorldSize } from '../../subgraphs/kit/synthetic/world';

const ROOT = resolve(__dirname, '..', '..');
export const DEMO_CONTRACTS = join(ROOT, 'contracts', 'apps');
export const PLATFORM_FILE = join(ROOT, 'contracts', 'platform.yaml');

/** The app the foundation tests read as: granted every shareable field under one purpose. */
export const EVERYTHING_APP = 'test-everything';
export const EVERYTHING_PURPOSE = 'TEST';
/** An app that may send only this operation text. */
export const PERSISTED_APP = 'test-persisted';
export const PERSISTED_OPERATION = '{ serviceItems { code } }';
/** An app whose contract allows 5 requests and 12 cost units a minute. */
export const LIMITED_APP = 'test-limited';

/** A test contract: the fields every contract needs, and the test's own. */
export function writeContract(dir: string, contract: { app: string; name: string } & Record<string, unknown>): void {
  writeOwnContract(dir, { name: 'GovGraph developers', contact: 'CI' }, contract);
}

/** The demo contracts plus a test contract that grants every field not marked NONE and every argument naming a subject, and two for limits. */
function writeTestContracts(dir: string, appContracts: string, supergraphFile: string): string {
  const contractsDir = join(dir, 'contracts');
  mkdirSync(contractsDir, { recursive: true });
  for (const name of readdirSync(appContracts)) copyFileSync(join(appContracts, name), join(contractsDir, name));
  const catalog = buildCatalog(readFileSync(supergraphFile, 'utf8'));
  const { platform } = loadPlatform(PLATFORM_FILE);
  const namingSubjects = subjectArguments(catalog.apiSchema, platform!).byCoordinate.keys();
  const grants = [...[...catalog.fields.values()].filter((f) => f.sharing.class !== 'NONE').map((f) => f.coordinate), ...namingSubjects];
  writeContract(contractsDir, {
    app: EVERYTHING_APP,
    name: 'GovGraph test suite',
    legalBasis: 'test fixture: synthetic data only',
    // The suite sends many requests quickly; its own budget is generous.
    limits: { requestsPerMinute: 100_000, costPerMinute: 10_000_000 },
    purposes: [{ code: EVERYTHING_PURPOSE, description: 'end-to-end tests of the foundation', grants }],
  });
  // An app with a small budget, for the rate-limit tests.
  writeContract(contractsDir, {
    app: LIMITED_APP,
    name: 'GovGraph rate-limit test',
    limits: { requestsPerMinute: 5, costPerMinute: 12 },
    purposes: [{ code: 'BROWSE', description: 'the public catalogue', grants: ['Query.serviceItems', 'ServiceItem.code', 'ServiceItem.name', 'ServiceItem.department', 'ServiceItem.modes', 'ServiceItem.legalBasis'] }],
  });
  // An app that may send only its registered operation texts (persisted operations).
  writeContract(contractsDir, {
    app: PERSISTED_APP,
    name: 'GovGraph persisted-operations test',
    persistedOnly: true,
    operations: [{ name: 'Catalogue', sha256: createHash('sha256').update(PERSISTED_OPERATION).digest('hex'), purpose: 'BROWSE' }],
    purposes: [{ code: 'BROWSE', description: 'the public catalogue', grants: ['Query.serviceItems', 'ServiceItem.code', 'ServiceItem.name'] }],
  });
  return contractsDir;
}

/** A department's extract of the contracts, in a folder of its own: its CONTRACTS_DIR. */
function writeExtract(dataDir: string, contractsDir: string, supergraphFile: string, department: string): string {
  const dir = join(dataDir, 'extracts', department);
  mkdirSync(dir, { recursive: true });
  const catalog = buildCatalog(readFileSync(supergraphFile, 'utf8'));
  const extract = extractForDepartment(loadContracts(contractsDir).contracts.map((c) => c.contract), catalog, department);
  writeFileSync(join(dir, EXTRACT_FILE), JSON.stringify(extract));
  return dir;
}

/** The test gateways sign a checkpoint every this many records. */
export const TEST_CHECKPOINT_EVERY = 10;

/** The keys and interval a test graph's audit trail is written with, to verify it. */
export function trailKeys(keys: DevKeyFiles): ChainKeys {
  return { chainKey: readChainKey(keys.auditChainKey, false), checkpointKeys: readCheckpointKeys(keys.auditCheckpointKey, false), checkpointEvery: TEST_CHECKPOINT_EVERY };
}

export const TEST_WORLD: WorldSize = { persons: 800, enterprises: 160, applications: 80, cityEvents: 200 };

export interface TestGraph {
  gateway: RunningGateway;
  /** Stops the gateway and starts it again on its port over the same trail; resolves with why the stop failed, if it did. */
  restartGateway(): Promise<string | undefined>;
  contractsDir: string;
  /** Another gateway over the same departments, e.g. in filter mode; stopped with the graph. */
  startGateway(overrides?: Partial<GatewayConfig>): Promise<RunningGateway>;
  /** POSTs an operation as a given app, with its purpose, case, operator and region. */
  queryAs(
    caller: { app: string; purpose?: string; caseId?: string; operator?: string; region?: string; url?: string },
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse>;
  subgraphs: RunningService[];
  keys: DevKeyFiles;
  dataDir: string;
  token(request?: Partial<AppTokenRequest>): Promise<string>;
  /** POSTs an operation to the gateway as an app (a fresh token unless one is given). */
  query(query: string, options?: { variables?: Record<string, unknown>; token?: string | null; headers?: Record<string, string> }): Promise<GraphQLResponse>;
  /** The sum of a counter over every department's /metrics. */
  subgraphCounter(name: string): Promise<number>;
  stopSubgraph(name: string): Promise<void>;
  /** Starts a stopped department again, on the same port and database. */
  restartSubgraph(name: string): Promise<void>;
  /** Stops the gateways started with startGateway (so their stores can be dropped). */
  stopExtraGateways(): Promise<void>;
  stop(): Promise<void>;
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

const silent = pino({ level: 'silent' });

export function gatewayConfigFor(keys: DevKeyFiles, subgraphUrls: Record<string, string>, contractsDir: string, auditFile = join(keys.dir, '..', 'db', 'audit.sqlite')): GatewayConfig {
  return {
    audit: {
      location: { kind: 'sqlite', file: auditFile, busyTimeoutMs: 500 },
      hmacKeyFile: keys.auditHmacKey,
      chainKeyFile: keys.auditChainKey,
      checkpointKeyFile: keys.auditCheckpointKey,
      headFile: join(keys.dir, `${basename(auditFile, '.sqlite')}-head.json`),
      checkpointEvery: TEST_CHECKPOINT_EVERY,
    },
    host: '127.0.0.1',
    port: 0,
    supergraphFile: resolve(__dirname, '..', '..', 'supergraph.graphql'),
    contractsDir,
    platformFile: PLATFORM_FILE,
    accessMode: 'reject',
    appKeys: { kind: 'file', file: keys.appIssuerJwks },
    appTokenIssuer: 'govgraph-dev-idp',
    appTokenAudience: 'govgraph',
    appTokenLeewaySeconds: 5,
    platformKeys: { kind: 'file', file: keys.platformIssuerJwks },
    platformTokenIssuer: DEV_PLATFORM_ISSUER,
    signingKeyFile: keys.gatewayPrivate,
    subgraphTokenTtlSeconds: 60,
    subgraphUrls,
    // As the launcher does: each department's readiness is its /readyz, which checks its database too.
    subgraphHealthUrls: Object.fromEntries(Object.entries(subgraphUrls).map(([name, url]) => [name, new URL('/readyz', url).href])),
    readinessTimeoutMs: 1000,
    shutdown: { delayMs: 0, timeoutMs: 10_000 },
    limits: { ...DEFAULT_LIMITS },
    maxBodyBytes: 1_000_000,
    maxBatch: 0,
    departmentCalls: { timeoutMs: 1000, maxResponseBytes: 5_000_000, breakerFailures: 3, breakerCooldownMs: 1500 },
    requestTimeoutMs: 4000,
    workers: 1,
    console: { enabled: true, explorer: true, dir: join(ROOT, 'console', 'dist') },
    cors: { origins: [], maxAgeSeconds: 600 },
    logLevel: 'silent',
  };
}

/**
 * A free loopback port, held until `release()`: released just before the service starts, so that no other
 * listener or outgoing connection (jest runs suites in parallel) takes it while the departments start.
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  const { port, release } = await reservePort();
  await release();
  return port;
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
  /** Collects every service's log lines (JSON) here, at debug level, instead of discarding them. */
  logs?: string[];
  /** Where each department keeps its data; a fresh SQLite file in the temporary folder by default. */
  databaseFor?: (department: string, dataDir: string) => DatabaseLocation;
  /** The departments to start; the reference deployment's by default. */
  departments?: readonly AnyDepartment[];
  /** The supergraph they compose into; the committed one by default. */
  supergraphFile?: string;
  /** The app contracts the graph enforces, beside the test apps'; the shipped ones by default. */
  appContracts?: string;
  /**
   * Departments that enforce only their extract of the contracts (`npm run contracts -- extract`), as a
   * department from another organisation does, rather than the whole contracts folder.
   */
  extractsFor?: readonly string[];
  /** Every service exports its spans to this OTLP/HTTP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT), each under its own service.name. */
  tracesEndpoint?: string;
}

export async function startGraph(options: GraphOptions = {}): Promise<TestGraph> {
  const size = options.size ?? TEST_WORLD;
  const graphDepartments = options.departments ?? departments();
  const supergraphFile = options.supergraphFile ?? join(ROOT, 'supergraph.graphql');
  const databaseFor = options.databaseFor ?? ((department: string, dir: string) => ({ kind: 'sqlite', file: sqliteFileFor(dir, department) }) as const);
  const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-test-'));
  const logs = options.logs;
  // With the trace ids the services' own loggers add to a line written during a traced request.
  const logger = logs ? pino({ level: 'debug', mixin: traceLogFields }, { write: (line: string) => void logs.push(line) }) : silent;
  const tracing = (service: string) => {
    const settings = options.tracesEndpoint === undefined ? undefined : tracingSettingsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: options.tracesEndpoint }, service);
    return settings && { tracing: settings };
  };
  const contractsDir = writeTestContracts(dataDir, options.appContracts ?? DEMO_CONTRACTS, supergraphFile);
  const keys = await ensureDevKeys(dataDir, internalAppsOf(contractsDir, PLATFORM_FILE));
  const contractsOf = (department: string) => (options.extractsFor?.includes(department) ? writeExtract(dataDir, contractsDir, supergraphFile, department) : contractsDir);
  const remember = (name: string, config: SubgraphConfig) => {
    configs.set(name, config);
    return config;
  };
  // The gateway's port is chosen first: departments that read through the gateway need its address.
  const reserved = await reservePort();
  const gatewayPort = reserved.port;
  const subgraphs: RunningService[] = [];
  const configs = new Map<string, SubgraphConfig>();
  for (const department of graphDepartments) {
    subgraphs.push(
      await startDepartment(
        department,
        remember(department.name, {
          host: '127.0.0.1',
          port: 0,
          database: databaseFor(department.name, dataDir),
          gatewayJwksFile: keys.gatewayJwks,
          tokenLeewaySeconds: 5,
          contractsDir: contractsOf(department.name),
          platformFile: PLATFORM_FILE,
          auditHmacKeyFile: keys.auditHmacKey,
          auditChainKeyFile: keys.auditChainKey,
          auditCheckpointKeyFile: keys.auditCheckpointKey,
          auditCheckpointEvery: TEST_CHECKPOINT_EVERY,
          auditRetentionDays: DEFAULT_RETENTION_DAYS,
          supergraphFile,
          gatewayClient: { url: `http://127.0.0.1:${gatewayPort}/graphql`, app: department.name, keyFile: internalAppKeyFile(keys.dir, department.name), issuer: DEV_PLATFORM_ISSUER, audience: 'govgraph' },
          shutdown: { delayMs: 0, timeoutMs: 10_000 },
          logLevel: 'silent',
          ...tracing(department.name),
        }),
        { seedIfEmpty: size, processMetrics: false, logger: logger.child({ service: department.name }) },
      ),
    );
  }
  await reserved.release();
  const startMainGateway = () =>
    startGateway({ ...gatewayConfigFor(keys, Object.fromEntries(subgraphs.map((s) => [s.name, s.url])), contractsDir), supergraphFile, port: gatewayPort, ...tracing('gateway') }, {
      processMetrics: false,
      logger: logger.child({ service: 'gateway' }),
    });
  let gateway = await startMainGateway();
  const stopped = new Set<string>();
  const extraGateways: RunningGateway[] = [];
  const subgraphUrls = Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
  const post = async (url: string, token: string | null, headers: Record<string, string>, query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token !== null && { authorization: `Bearer ${token}` }), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse['body'] };
  };

  const graph: TestGraph = {
    get gateway() {
      return gateway;
    },
    async restartGateway() {
      const failure = await gateway.stop().then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      gateway = await startMainGateway();
      return failure;
    },
    contractsDir,
    async startGateway(overrides = {}) {
      // A SQLite trail has one writer: each extra gateway gets its own (replicas share PostgreSQL).
      const auditFile = join(dataDir, 'db', `audit-${extraGateways.length + 1}.sqlite`);
      const extra = await startGateway({ ...gatewayConfigFor(keys, subgraphUrls, contractsDir, auditFile), supergraphFile, ...overrides }, { processMetrics: false, logger: silent });
      extraGateways.push(extra);
      return extra;
    },
    async queryAs(caller, query, variables) {
      const token = await mintAppToken(keys.appIssuerPrivate, {
        app: caller.app,
        ...(caller.operator !== undefined && { operator: caller.operator }),
        ...(caller.region !== undefined && { region: caller.region }),
      });
      const headers: Record<string, string> = {
        ...(caller.purpose !== undefined && { 'x-purpose': caller.purpose }),
        ...(caller.caseId !== undefined && { 'x-case-id': caller.caseId }),
      };
      return post(caller.url ?? gateway.url, token, headers, query, variables);
    },
    subgraphs,
    keys,
    dataDir,
    token: (request = {}) => mintAppToken(keys.appIssuerPrivate, { app: EVERYTHING_APP, ...request }),
    async query(query, options = {}) {
      const token = options.token === undefined ? await graph.token() : options.token;
      const headers = { ...(options.token === undefined && { 'x-purpose': EVERYTHING_PURPOSE }), ...options.headers };
      return post(gateway.url, token, headers, query, options.variables);
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
    async restartSubgraph(name) {
      const index = subgraphs.findIndex((s) => s.name === name);
      const department = graphDepartments.find((d) => d.name === name)!;
      subgraphs[index] = await startDepartment(department, { ...configs.get(name)!, port: subgraphs[index]!.port }, { processMetrics: false, logger: logger.child({ service: name }) });
      stopped.delete(name);
    },
    async stopExtraGateways() {
      for (const extra of extraGateways.splice(0)) await extra.stop();
    },
    async stop() {
      for (const extra of extraGateways) await extra.stop();
      await gateway.stop();
      for (const s of subgraphs) if (!stopped.has(s.name)) await s.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return graph;
}

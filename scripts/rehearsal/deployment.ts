/**
 * The deployment the replica rehearsal runs on this machine, from the production build: every department
 * as a process of its own over a PostgreSQL database of its own; gateway replicas as processes of their
 * own, sharing one audit chain (the audit department's database, AUDIT_DATABASE_URL) and one set of rate
 * limits (RATE_LIMIT_REDIS_URL); HAProxy in front of the replicas. Everything lives in a temporary
 * folder and temporary databases, and on free loopback ports.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { departments } from '../departments';
import { ensureDevKeys, type DevKeyFiles } from '../dev-keys';
import { writeOwnContract } from '../own-contract';
import { PROJECT_ROOT } from '../program';
import { haproxyBinary, startHaproxy, type HealthChecks, type LoadBalancer } from './haproxy';
import { createDatabases, type TemporaryDatabases } from './postgres-databases';
import { startService, type ServiceProcess } from './service-process';

/** The app the load reads as: a budget no rehearsal reaches. */
export const LOAD_APP = 'rehearsal-load';
export const LOAD_PURPOSE = 'REHEARSAL';
/** Two departments per request (market regulation, public security): one audit record each. */
export const LOAD_QUERY = '{ enterprises(first: 2) { nodes { name legalRepresentative { name } } } }';
export const LIMITED_PURPOSE = 'BROWSE';
export const LIMITED_QUERY = '{ serviceItems { code } }';
export const LIMITED_REQUESTS_PER_MINUTE = 5;

export interface DeploymentOptions {
  /** A PostgreSQL server the rehearsal may create and drop databases on (as its administrator). */
  postgresUrl: string;
  redisUrl: string;
  /** How long a replica serves on once SIGTERM made it not ready (SHUTDOWN_DELAY_SECONDS). */
  shutdownDelaySeconds: number;
  checks: HealthChecks;
  log(line: string): void;
}

export interface Deployment {
  keys: DevKeyFiles;
  auditDatabaseUrl: string;
  lb: LoadBalancer;
  /** The replicas running, by name (replica-1, replica-2). */
  replicas: Map<string, ServiceProcess>;
  /** Starts a replica under that name on its port (again, after it stopped) and waits until it is ready. */
  startReplica(name: string): Promise<ServiceProcess>;
  /** An app of its own with a small budget, named afresh for each rehearsal so that no earlier count in Redis is met. */
  limitedApp: string;
  /** Stops every process it started, the gateways first (each signs the audit chain's head as it stops). */
  stopServices(): Promise<void>;
  /** Drops the databases and the temporary folder (after stopServices). */
  remove(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The shipped contracts, and the rehearsal's two apps beside them. */
function writeContracts(dir: string, limitedApp: string): string {
  const contractsDir = join(dir, 'contracts');
  mkdirSync(contractsDir, { recursive: true });
  cpSync(join(PROJECT_ROOT, 'contracts', 'apps'), contractsDir, { recursive: true });
  const apps = [
    {
      app: LOAD_APP,
      limits: { requestsPerMinute: 1_000_000, costPerMinute: 100_000_000 },
      purposes: [{ code: LOAD_PURPOSE, description: 'load of the replica rehearsal', grants: ['Query.enterprises', 'EnterpriseConnection.nodes', 'Enterprise.name', 'Enterprise.legalRepresentative', 'Person.name'] }],
    },
    {
      app: limitedApp,
      limits: { requestsPerMinute: LIMITED_REQUESTS_PER_MINUTE, costPerMinute: 1000 },
      purposes: [{ code: LIMITED_PURPOSE, description: 'shared rate limits of the replica rehearsal', grants: ['Query.serviceItems', 'ServiceItem.code'] }],
    },
  ];
  for (const app of apps) writeOwnContract(contractsDir, { name: 'GovGraph operations', contact: 'replica rehearsal' }, { name: app.app, legalBasis: 'rehearsal on synthetic data', ...app });
  return contractsDir;
}

export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  // Missing, it would stop the rehearsal only once everything else is up.
  haproxyBinary();
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-rehearsal-'));
  const started: ServiceProcess[] = [];
  let databases: TemporaryDatabases | undefined;
  let lb: LoadBalancer | undefined;
  const replicas = new Map<string, ServiceProcess>();
  const stopServices = async () => {
    await Promise.all([...replicas.values()].map((replica) => replica.stop()));
    await lb?.stop();
    await Promise.all(started.map((service) => service.stop()));
  };
  let removed: Promise<void> | undefined;
  const remove = () =>
    (removed ??= (async () => {
      await databases?.drop();
      rmSync(dir, { recursive: true, force: true });
    })());
  try {
    const keys = await ensureDevKeys(dir);
    const limitedApp = `rehearsal-limited-${Date.now().toString(36)}`;
    const contractsDir = writeContracts(dir, limitedApp);
    const names = departments().map((d) => d.name);
    databases = await createDatabases(options.postgresUrl, names);
    const lbPort = await freePort();
    const lbUrl = `http://127.0.0.1:${lbPort}/graphql`;
    const common = { DATA_DIR: dir, CONTRACTS_DIR: contractsDir, NODE_ENV: 'production', LOG_LEVEL: 'warn' };

    options.log(`starting ${names.length} departments on PostgreSQL (each seeds its database)`);
    const departmentPorts = new Map<string, number>();
    for (const name of names) departmentPorts.set(name, await freePort());
    for (const name of names) {
      // The departments read through the gateway (the service hall's prefill) behind the load balancer too.
      const env = { ...common, DATABASE_URL: databases.urlOf(name), GATEWAY_URL: lbUrl, SHUTDOWN_DELAY_SECONDS: '0' };
      started.push(startService(name, `subgraphs/${name}/index.ts`, departmentPorts.get(name)!, env));
    }
    await Promise.all(started.map((service) => service.answers('/readyz', 180_000)));

    const auditDatabaseUrl = databases.urlOf('audit');
    const gatewayEnv = {
      ...common,
      AUDIT_DATABASE_URL: auditDatabaseUrl,
      RATE_LIMIT_REDIS_URL: options.redisUrl,
      SUBGRAPH_URLS: names.map((name) => `${name}=http://127.0.0.1:${departmentPorts.get(name)}/graphql`).join(','),
      CONSOLE: 'off',
      SHUTDOWN_DELAY_SECONDS: String(options.shutdownDelaySeconds),
      SHUTDOWN_TIMEOUT_SECONDS: '10',
    };
    const replicaPorts = new Map([
      ['replica-1', await freePort()],
      ['replica-2', await freePort()],
    ]);
    const startReplica = async (name: string) => {
      const replica = startService(name, 'gateway/index.ts', replicaPorts.get(name)!, gatewayEnv);
      replicas.set(name, replica);
      await replica.answers('/readyz', 60_000);
      return replica;
    };
    options.log('starting two gateway replicas sharing the PostgreSQL audit chain and the Redis rate limits');
    await Promise.all([...replicaPorts.keys()].map(startReplica));
    lb = await startHaproxy(dir, lbPort, await freePort(), [...replicaPorts].map(([name, port]) => ({ name, port })), options.checks);
    await Promise.all([...replicaPorts.keys()].map((name) => lb!.until(name, 'UP', 30_000)));
    options.log(`HAProxy in front of them at ${lb.url}`);
    return { keys, auditDatabaseUrl, lb, replicas, startReplica, limitedApp, stopServices, remove };
  } catch (error) {
    await stopServices();
    await remove();
    throw error;
  }
}

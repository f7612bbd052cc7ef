/**
 * The departments the benchmarks run against: a data folder with development keys, the demo contracts
 * plus a benchmark app granted every shareable field and every argument naming a subject (persons' names
 * and phone numbers masked) with limits out of the way, and a process for every department found under
 * subgraphs/, their declared ports shifted alike so the lowest is `basePort`, seeded with the default
 * world unless the folder already holds one.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlatform } from '../contracts/load-contracts';
import { subjectArguments } from '../contracts/subject-arguments';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { departmentPorts, departments } from '../scripts/departments';
import { ensureDevKeys, type DevKeyFiles } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { PLATFORM_FILE, readCounter } from '../tests/support/graph';
import { ROOT, builtProgram, cpuMs, startNode, stopTree, waitFor, type Started } from './processes';

export const APP = 'bench-reader';
export const PURPOSE = 'BENCH';
export const SUPERGRAPH_FILE = join(ROOT, 'supergraph.graphql');

export interface Departments {
  dataDir: string;
  keys: DevKeyFiles;
  contractsDir: string;
  /** Each department's GraphQL URL, in port order. */
  urls: Array<{ name: string; url: string }>;
  /** `name=url,...` as the gateways' SUBGRAPH_URLS read it. */
  subgraphUrls: string;
  /** A token of the benchmark app, for GovGraph. */
  appToken: string;
  /** A Prometheus counter summed over every department's /metrics. */
  counter(name: string): Promise<number>;
  /** CPU time the department processes have used so far, in ms. */
  cpuMs(): number;
  /** Starts a JavaScript program with its log in the data folder; stopped with the departments. */
  start(name: string, program: string, args: string[], env: Record<string, string>): Started;
  stop(): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'govgraph-bench-'));
}

/**
 * Masked as a real contract would mask them, so GovGraph's masking (and its result gate) is part of what
 * is measured. Not key fields: the departments mask these for every contender's calls, so all answer alike.
 */
const MASKED: Record<string, 'NAME' | 'PHONE'> = { 'Person.name': 'NAME', 'Person.phone': 'PHONE' };

/** Every shareable field, and every argument naming a data subject (granted by its own coordinate). */
function writeBenchContract(contractsDir: string): void {
  const catalog = buildCatalog(readFileSync(SUPERGRAPH_FILE, 'utf8'));
  // An argument naming a subject (`Query.enterprise(creditCode:)`) is granted like a field.
  const namingSubjects = subjectArguments(catalog.apiSchema, loadPlatform(PLATFORM_FILE).platform!).byCoordinate.keys();
  writeFileSync(
    join(contractsDir, `${APP}.yaml`),
    stringify({
      app: APP, name: 'Benchmark reader', owner: 'GovGraph developers', contact: { name: 'bench' }, legalBasis: 'benchmark on synthetic data',
      validFrom: '2020-01-01', validUntil: '2099-12-31', approvedBy: 'GovGraph developers', approvedOn: '2020-01-01',
      limits: { requestsPerMinute: 10_000_000, costPerMinute: 1_000_000_000 },
      purposes: [
        {
          code: PURPOSE,
          description: 'benchmark',
          grants: [
            ...[...catalog.fields.values()]
              .filter((f) => f.sharing.class !== 'NONE')
              .map((f) => (MASKED[f.coordinate] ? { field: f.coordinate, mask: MASKED[f.coordinate] } : f.coordinate)),
            ...namingSubjects,
          ],
        },
      ],
    }),
  );
}

/** Starts the departments over `dataDir` (removed on stop); `gatewayUrl` is where they read other departments' data. */
export async function startDepartments(dataDir: string, basePort: number, gatewayUrl: string): Promise<Departments> {
  const keys = await ensureDevKeys(dataDir);
  const contractsDir = join(dataDir, 'contracts');
  const logs = join(dataDir, 'logs');
  mkdirSync(contractsDir, { recursive: true });
  mkdirSync(logs, { recursive: true });
  for (const name of readdirSync(join(ROOT, 'contracts', 'apps'))) copyFileSync(join(ROOT, 'contracts', 'apps', name), join(contractsDir, name));
  writeBenchContract(contractsDir);

  const running: Started[] = [];
  const start: Departments['start'] = (name, program, args, env) => {
    const started = startNode(program, args, env, join(logs, `${name}.log`));
    running.push(started);
    return started;
  };
  const stop = async () => {
    await Promise.all(running.map((s) => stopTree(s.process)));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ports = departmentPorts(departments(), basePort);
    const urls = departments().map((department) => {
      const port = ports.get(department.name)!;
      const started = start(department.name, builtProgram(`subgraphs/${department.name}/index.ts`), [], { PORT: String(port), DATA_DIR: dataDir, CONTRACTS_DIR: contractsDir, GATEWAY_URL: gatewayUrl });
      return { name: department.name, url: `http://127.0.0.1:${port}/graphql`, started };
    });
    for (const { url, started } of urls) await waitFor(new URL('/readyz', url).href, started);
    return {
      dataDir,
      keys,
      contractsDir,
      urls: urls.map(({ name, url }) => ({ name, url })),
      subgraphUrls: urls.map(({ name, url }) => `${name}=${url}`).join(','),
      appToken: await mintAppToken(keys.appIssuerPrivate, { app: APP, ttl: '4h' }),
      counter: async (name) => {
        let total = 0;
        for (const { url } of urls) total += await readCounter(new URL('/metrics', url).href, name);
        return total;
      },
      cpuMs: () => urls.reduce((total, { started }) => total + cpuMs(started.process.pid), 0),
      start,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Gateways side by side on the same seeded departments, the same supergraph, the same machine, in one run
 * (issue: benchmarks). Each contender runs in its own process; autocannon runs in another; contenders take
 * turns over several rounds, each measurement after a discarded warm-up. Throughput, p50, p99, errors and
 * each gateway's peak memory, with ratios against bare @apollo/gateway.
 * Contenders so far: GovGraph with all security on (app JWT, both gates, masks, audit), bare
 * @apollo/gateway, and — for the single-department query — the department itself (the limit).
 * Run: npm run bench   (writes bench/results/latest.md and latest.json)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { buildCatalog } from '../contracts/supergraph-catalog';
import { DEPARTMENTS } from '../scripts/departments';
import { ensureDevKeys } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';

const ROOT = join(__dirname, '..');
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' }, connections: { type: 'string', default: '10' } } });
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const CONNECTIONS = Number(values.connections);
const BASE_PORT = 4400;
const APP = 'bench-reader';
const PURPOSE = 'BENCH';

interface Contender {
  name: string;
  url: string;
  process: ChildProcess;
  headers: Record<string, string>;
}

interface Measurement {
  contender: string;
  query: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function tsx(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(ROOT, entry)], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
}

async function waitFor(url: string, ms = 180_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.status < 500, () => false)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 102.4) / 10;
  } catch {
    return 0;
  }
}

function autocannon(url: string, headers: Record<string, string>, body: string, seconds: number): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const args = ['-c', String(CONNECTIONS), '-d', String(seconds), '-m', 'POST', '--json', '-H', 'content-type=application/json', '-b', body];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const child = spawn(join(__dirname, 'node_modules', '.bin', 'autocannon'), [...args, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', () => {
      try {
        const result = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
        resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors });
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-bench-'));
  const keys = await ensureDevKeys(dataDir);
  const contractsDir = join(dataDir, 'contracts');
  mkdirSync(contractsDir);
  for (const name of readdirSync(join(ROOT, 'contracts', 'apps'))) copyFileSync(join(ROOT, 'contracts', 'apps', name), join(contractsDir, name));
  const catalog = buildCatalog(readFileSync(join(ROOT, 'supergraph.graphql'), 'utf8'));
  writeFileSync(
    join(contractsDir, `${APP}.yaml`),
    stringify({
      app: APP, name: 'Benchmark reader', owner: 'GovGraph developers', contact: { name: 'bench' }, legalBasis: 'benchmark on synthetic data',
      validFrom: '2020-01-01', validUntil: '2099-12-31', approvedBy: 'GovGraph developers', approvedOn: '2020-01-01',
      limits: { requestsPerMinute: 10_000_000, costPerMinute: 1_000_000_000 },
      purposes: [{ code: PURPOSE, description: 'benchmark', grants: [...catalog.fields.values()].filter((f) => f.sharing.class !== 'NONE').map((f) => f.coordinate) }],
    }),
  );
  const children: ChildProcess[] = [];
  try {
    const departmentUrls = DEPARTMENTS.map((department, i) => {
      const port = BASE_PORT + 10 + i;
      children.push(tsx(`subgraphs/${department.name}/index.ts`, { PORT: String(port), DATA_DIR: dataDir, CONTRACTS_DIR: contractsDir, GATEWAY_URL: `http://127.0.0.1:${BASE_PORT}/graphql` }));
      return { name: department.name, url: `http://127.0.0.1:${port}/graphql` };
    });
    for (const { url } of departmentUrls) await waitFor(new URL('/readyz', url).href);
    const subgraphUrls = departmentUrls.map(({ name, url }) => `${name}=${url}`).join(',');

    const govgraph = tsx('gateway/index.ts', { PORT: String(BASE_PORT), DATA_DIR: dataDir, CONTRACTS_DIR: contractsDir, SUBGRAPH_URLS: subgraphUrls });
    const bare = tsx('bench/bare-apollo-gateway.ts', { PORT: String(BASE_PORT + 1), SUPERGRAPH_FILE: join(ROOT, 'supergraph.graphql'), SUBGRAPH_URLS: subgraphUrls, SIGNING_KEY_FILE: keys.gatewayPrivate, APP, PURPOSE });
    children.push(govgraph, bare);
    await waitFor(`http://127.0.0.1:${BASE_PORT}/healthz`);
    await waitFor(`http://127.0.0.1:${BASE_PORT + 1}/`);

    const appToken = await mintAppToken(keys.appIssuerPrivate, { app: APP, ttl: '2h' });
    const sign = await createSubgraphTokenSigner({ signingKeyFile: keys.gatewayPrivate, ttlSeconds: 600 });
    const marketUrl = departmentUrls.find((d) => d.name === 'market-regulation')!.url;
    const contenders: Contender[] = [
      { name: 'GovGraph (all security on)', url: `http://127.0.0.1:${BASE_PORT}/graphql`, process: govgraph, headers: { authorization: `Bearer ${appToken}`, 'x-purpose': PURPOSE } },
      { name: 'bare @apollo/gateway', url: `http://127.0.0.1:${BASE_PORT + 1}/`, process: bare, headers: { 'apollo-require-preflight': '1' } },
    ];
    const direct: Contender = {
      name: 'the department directly (limit)',
      url: marketUrl,
      process: children[1]!,
      headers: { authorization: `Bearer ${await sign({ app: APP, purpose: PURPOSE, requestId: 'bench' }, 'market-regulation')}` },
    };

    const page = (await (await fetch(contenders[0]!.url, { method: 'POST', headers: { 'content-type': 'application/json', ...contenders[0]!.headers }, body: JSON.stringify({ query: '{ enterprises(first: 1) { nodes { creditCode legalRepresentative { idNumber } } } }' }) })).json()) as any;
    const { creditCode } = page.data.enterprises.nodes[0];
    const person = page.data.enterprises.nodes[0].legalRepresentative.idNumber;
    const queries: Array<{ name: string; query: string; direct?: boolean }> = [
      { name: 'single-department lookup', query: `{ enterprise(creditCode: "${creditCode}") { name status registeredCapital licences { kind validUntil } penalties { amount } } }`, direct: true },
      { name: 'three-department person profile', query: `{ person(idNumber: "${person}") { name gender household { address } maritalStatus marriages { kind spouse { name } } enterprises { name status } applications { id status } } }` },
      { name: '100 enterprises with representatives and licences', query: '{ enterprises(first: 100) { nodes { creditCode name status legalRepresentative { name phone } licences { kind number validUntil } } } }' },
      { name: 'one-screen city overview', query: '{ operationsOverview(regionCode: "440100") { openEvents overdueEvents byCategory { category open overdue } indicators { code value alerting } latestEvents { id category grid { name } } } }' },
    ];

    const measurements: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const q of queries) {
        const body = JSON.stringify({ query: q.query });
        for (const contender of [...contenders, ...(q.direct ? [direct] : [])]) {
          await autocannon(contender.url, contender.headers, body, 3); // warm-up, discarded
          const result = await autocannon(contender.url, contender.headers, body, SECONDS);
          measurements.push({ contender: contender.name, query: q.name, round, ...result });
          process.stdout.write(`round ${round} · ${q.name} · ${contender.name}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}\n`);
        }
      }
    }
    const memory = Object.fromEntries(contenders.map((c) => [c.name, peakRssMb(c.process.pid)]));
    const best = (contender: string, query: string) => {
      const runs = measurements.filter((m) => m.contender === contender && m.query === query);
      return runs.reduce((a, b) => (b.rps > a.rps ? b : a), runs[0]!);
    };
    const rows = queries.flatMap((q) =>
      [...contenders, ...(q.direct ? [direct] : [])].map((c) => {
        const m = best(c.name, q.name);
        const baseline = best('bare @apollo/gateway', q.name);
        return `| ${q.name} | ${c.name} | ${m.rps} | ${(m.rps / baseline.rps).toFixed(2)}× | ${m.p50} | ${m.p99} | ${m.errors} |`;
      }),
    );
    const report = `# Gateways compared

${new Date().toISOString().slice(0, 10)}: \`npm run bench\` — ${ROUNDS} rounds, contenders in turn, ${SECONDS} s per measurement after a
3 s warm-up, ${CONNECTIONS} connections (autocannon, its own process), every gateway a single process, the six
departments in their own processes over the default seeded world, all on this 2-core machine. The best round
of each is shown; ratios are against bare @apollo/gateway in the same run.

| query | contender | req/s | vs bare | p50 ms | p99 ms | errors |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Peak memory (RSS): ${Object.entries(memory).map(([name, mb]) => `${name} ${mb} MB`).join(' · ')}

Not yet in this harness: Hive Gateway, the worker-per-core figures, the database figures.
`;
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'latest.json'), `${JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, measurements, memory }, null, 2)}\n`);
    writeFileSync(join(__dirname, 'results', 'latest.md'), report);
    process.stdout.write(`\n${report}`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

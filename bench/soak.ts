/**
 * The soak run (issue: hardening): the whole graph under a mixed workload at a fixed rate for a set
 * duration, on this machine's loopback only. Reports throughput, p50/p99, errors by code and the gateway's
 * memory over time. The bar: zero unexpected errors and flat memory over 5 minutes.
 * Run: npm run build:server && npx tsx bench/soak.ts [--seconds 300] [--rate 40]   (writes bench/results/soak.md
 * and .json); the graph runs from the build, as `npm start` runs it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevKeys } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { builtProgram } from './processes';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '300' }, rate: { type: 'string', default: '40' } } });
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const GATEWAY_PORT = 4300;
const ROOT = join(__dirname, '..');
const URL_ = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;

interface Job {
  name: string;
  app: string;
  operator?: string;
  purpose?: string;
  query: string;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready`);
}

async function memoryMb(): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${GATEWAY_PORT}/metrics`)).text();
  const bytes = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
  return Math.round(bytes / 1e5) / 10;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'govgraph-soak-'));
  const keys = await ensureDevKeys(dataDir);
  const launcher = spawn(process.execPath, [builtProgram('scripts/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, GATEWAY_PORT: String(GATEWAY_PORT), SUBGRAPH_BASE_PORT: String(GATEWAY_PORT + 1), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    await waitFor(`http://127.0.0.1:${GATEWAY_PORT}/readyz`, 180_000);
    const probe = await mintAppToken(keys.appIssuerPrivate, { app: 'market-supervision' });
    const page = (await (
      await fetch(URL_, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${probe}`, 'x-purpose': 'LEGAL_REPRESENTATIVE_CHECK' }, body: JSON.stringify({ query: '{ enterprises(first: 20) { nodes { creditCode legalRepresentative { idNumber } } } }' }) })
    ).json()) as any;
    const citizen = '440103197804018432';
    const jobs: Job[] = [
      { name: 'enterprise page with representatives', app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', query: '{ enterprises(first: 20) { nodes { name licences { kind } legalRepresentative { name idNumber } } } }' },
      { name: 'one screen', app: 'city-ops-center', purpose: 'CITY_OPERATIONS', query: '{ operationsOverview(regionCode: "440100") { openEvents overdueEvents indicators { code value alerting } latestEvents { id category } } }' },
      { name: 'citizen profile', app: 'oneservice-portal', purpose: 'SELF_SERVICE', operator: citizen, query: `{ person(idNumber: "${citizen}") { name household { address } maritalStatus applications { id status } } }` },
      { name: 'desk queue', app: 'crossprovince-desk', purpose: 'CASE_QUEUE', query: '{ applications(first: 10, regionCode: "440000") { totalCount nodes { id status mode item { name } } } }' },
      { name: 'audit review', app: 'auditor', purpose: 'AUDIT_REVIEW', query: '{ auditRecords(first: 10) { totalCount nodes { app purpose decision } } }' },
      { name: 'enterprise lookup', app: 'market-supervision', query: `{ enterprise(creditCode: "${page.data.enterprises.nodes[0].creditCode}") { name status penalties { amount } cityEvents { id } } }` },
    ];
    const tokens = new Map<string, string>();
    for (const job of jobs) tokens.set(job.name, await mintAppToken(keys.appIssuerPrivate, { app: job.app, ttl: SECONDS + 600, ...(job.operator && { operator: job.operator }) }));

    const latencies: number[] = [];
    const errors = new Map<string, number>();
    const memory: Array<{ second: number; mb: number }> = [];
    let sent = 0;
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    const sampler = setInterval(() => void memoryMb().then((mb) => memory.push({ second: Math.round((Date.now() - started) / 1000), mb })), 10_000);
    while (Date.now() - started < SECONDS * 1000) {
      const job = jobs[sent % jobs.length]!;
      sent += 1;
      const t0 = performance.now();
      const request = fetch(URL_, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(job.name)}`, ...(job.purpose && { 'x-purpose': job.purpose }) },
        body: JSON.stringify({ query: job.query }),
      })
        .then(async (response) => {
          const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          latencies.push(performance.now() - t0);
          for (const error of body.errors ?? []) errors.set(error.extensions?.code ?? 'UNKNOWN', (errors.get(error.extensions?.code ?? 'UNKNOWN') ?? 0) + 1);
          if (response.status >= 500) errors.set(`HTTP_${response.status}`, (errors.get(`HTTP_${response.status}`) ?? 0) + 1);
        })
        .catch(() => void errors.set('NETWORK', (errors.get('NETWORK') ?? 0) + 1))
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
      const next = started + (sent * 1000) / RATE;
      await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    }
    await Promise.all(inFlight);
    clearInterval(sampler);
    memory.push({ second: SECONDS, mb: await memoryMb() });

    latencies.sort((a, b) => a - b);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
    const result = {
      date: new Date().toISOString(),
      seconds: SECONDS,
      targetRate: RATE,
      requests: sent,
      throughput: Math.round((latencies.length / SECONDS) * 10) / 10,
      p50ms: Math.round(pick(0.5) * 10) / 10,
      p99ms: Math.round(pick(0.99) * 10) / 10,
      errors: Object.fromEntries(errors),
      memoryMb: memory,
    };
    const first = memory[0]?.mb ?? 0;
    const last = memory[memory.length - 1]?.mb ?? 0;
    writeFileSync(join(__dirname, 'results', 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
    const report = `# Soak run

${result.date.slice(0, 10)}: \`npm run build:server && npx tsx bench/soak.ts --seconds ${SECONDS} --rate ${RATE}\` — the whole graph (\`npm start\`) on this
2-core machine, a mixed workload of ${jobs.length} operations (${jobs.map((j) => j.name).join(', ')}) as five apps, every
request authenticated, gated, audited.

| requests | throughput | p50 | p99 | errors | gateway memory (first → last sample) |
|---|---|---|---|---|---|
| ${result.requests} | ${result.throughput} req/s | ${result.p50ms} ms | ${result.p99ms} ms | ${Object.keys(result.errors).length === 0 ? 'none' : JSON.stringify(result.errors)} | ${first} MB → ${last} MB |

Memory samples (every 10 s, MB): ${memory.map((m) => m.mb).join(', ')}
`;
    writeFileSync(join(__dirname, 'results', 'soak.md'), report);
    process.stdout.write(report);
  } finally {
    launcher.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 3000));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

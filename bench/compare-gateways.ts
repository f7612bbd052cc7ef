/**
 * Gateways side by side on the same seeded departments, the same supergraph, the same machine, in one run
 * (issue: benchmarks). Each contender runs in its own process (or process tree); autocannon runs in
 * another; contenders take turns over several rounds, each measurement after a discarded warm-up.
 * Contenders: GovGraph with all security on (app JWT, both gates, masks, audit), bare @apollo/gateway,
 * Hive Gateway with its JavaScript planner and with its Rust planner, and — for the single-department
 * query's latency — the department itself (the limit); beside the single-process gateways, for every
 * query, a hand-written fixed-plan proxy (about the least work a Node gateway could do: a reference, not
 * a contender). Two sections: every gateway a single process, then a worker per core for each gateway that
 * can run workers. Throughput, p50, p99, errors, peak memory and CPU time per request, with throughput
 * ratios against bare @apollo/gateway and against Hive Gateway, and what each answered request cost the
 * departments during the measurement (their GraphQL requests and SQL statements); in the single-process
 * section, the lookup's latency at sub-millisecond resolution under the same connections and one request
 * at a time. The report opens with issue 24's targets judged from the run (bench/targets.ts).
 *
 * Run: npm run bench   (writes bench/results/latest.md and latest.json)
 * Options: --seconds N --rounds N --connections N; --only single|workers runs one section; --smoke is one
 * round of 2 s without warm-up; --port-base N (4400) puts the gateways on N…N+3, the proxy on N+4 and the
 * departments from N+10, so two runs can coexist. Runs with --only or --smoke write results/quick.md
 * and .json instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { PAGE_QUERY, QUERY, SCREEN_QUERY, checkAgreement, inTurn, post, profileQuery, targetsFor, type BenchQuery, type References, type Target } from './agreement';
import { autocannon } from './autocannon';
import { DIRECT, FIXED_PLAN, launchContenders } from './contenders';
import { APP, PURPOSE, newDataDir, startDepartments, type Departments } from './deployment';
import { measureLatency } from './latency-probe';
import { builtProgram, cpuMs, nodeProcesses, peakMemoryMb, stopTree, waitFor } from './processes';
import { renderReport, type LatencyMeasurement, type Measurement, type RunResult, type SectionResult } from './report';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    only: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    'port-base': { type: 'string', default: '4400' },
  },
});
const SMOKE = values.smoke;
const SECONDS = SMOKE ? 2 : Number(values.seconds);
const ROUNDS = SMOKE ? 1 : Number(values.rounds);
const WARM_UP_SECONDS = SMOKE ? 0 : 3;
const CONNECTIONS = Number(values.connections);
const PORT_BASE = Number(values['port-base']);
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1024 || PORT_BASE > 65_000) throw new Error('--port-base takes a port number from 1024 to 65000');
/** From the port base: the gateways at +0…+3, the fixed-plan proxy at +4, the departments from +10. */
const FIXED_PLAN_PORT = PORT_BASE + 4;
const DEPARTMENTS_PORT = PORT_BASE + 10;
const WORKERS = availableParallelism();
const SECTIONS = [
  { key: 'single', title: 'Every gateway a single process', workers: 1 },
  { key: 'workers', title: `A worker per core (${WORKERS} workers each)`, workers: WORKERS },
].filter((s) => values.only === undefined || values.only === s.key);
if (SECTIONS.length === 0) throw new Error('--only takes single or workers');
if (WORKERS < 2 && values.only !== 'single') throw new Error('The worker section needs at least 2 cores; run with --only single');
const OUTPUT = values.only === undefined && !SMOKE ? 'latest' : 'quick';

async function benchQueries(direct: Target): Promise<BenchQuery[]> {
  const page = await post(direct.url, await direct.headers(), '{ enterprises(first: 1) { nodes { creditCode legalRepresentative { idNumber } } } }');
  const first = (page.body.data as { enterprises: { nodes: Array<{ creditCode: string; legalRepresentative: { idNumber: string } }> } }).enterprises.nodes[0]!;
  return [
    { name: QUERY.lookup, query: `{ enterprise(creditCode: "${first.creditCode}") { name status registeredCapital licences { kind validUntil } penalties { amount } } }`, direct: true },
    { name: QUERY.profile, query: profileQuery(first.legalRepresentative.idNumber) },
    { name: QUERY.page, query: PAGE_QUERY },
    { name: QUERY.screen, query: SCREEN_QUERY },
  ];
}

/** The departments' own counts of GraphQL requests and SQL statements; only one measurement runs at a time. */
async function departmentCounters(departments: Departments): Promise<{ requests: number; statements: number }> {
  return { requests: await departments.counter('govgraph_subgraph_requests_total'), statements: await departments.counter('govgraph_db_statements_total') };
}

/**
 * The single-department lookup's latency at sub-millisecond resolution (bench/latency-probe.ts), under the
 * benchmark's connections and one request at a time, every target in turn as for throughput.
 */
async function measureLookupLatency(query: BenchQuery, targets: readonly Target[]): Promise<LatencyMeasurement[]> {
  const body = JSON.stringify({ query: query.query });
  const measurements: LatencyMeasurement[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const connections of new Set([CONNECTIONS, 1])) {
      for (const target of inTurn(targets, round)) {
        const result = await measureLatency(target.url, await target.headers(), body, WARM_UP_SECONDS, SECONDS, connections, target.signsEachRequest);
        measurements.push({ contender: target.name, connections, round, ...result });
        process.stdout.write(`latency · round ${round} · ${connections} connection(s) · ${target.name}: p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.rps} req/s\n`);
      }
    }
  }
  return measurements;
}

async function runSection(departments: Departments, section: (typeof SECTIONS)[number], queries: readonly BenchQuery[], references: References): Promise<SectionResult> {
  const { contenders, missing } = await launchContenders(departments, section.workers, PORT_BASE);
  try {
    await checkAgreement(queries, contenders, references);
    const measurements: Measurement[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const q of queries) {
        const body = JSON.stringify({ query: q.query });
        // autocannon sends the same headers every time: not to the department itself, whose tokens are single-use.
        const targets = targetsFor(q, contenders, references).filter((t) => t.signsEachRequest === undefined);
        for (const target of inTurn(targets, round)) {
          const headers = await target.headers();
          if (WARM_UP_SECONDS > 0) await autocannon(target.url, headers, body, WARM_UP_SECONDS, CONNECTIONS);
          const before = { ...(await departmentCounters(departments)), gatewayCpu: cpuMs(target.started?.process.pid), departmentCpu: departments.cpuMs() };
          const result = await autocannon(target.url, headers, body, SECONDS, CONNECTIONS);
          const after = { ...(await departmentCounters(departments)), gatewayCpu: cpuMs(target.started?.process.pid), departmentCpu: departments.cpuMs() };
          const perRequest = (n: number) => Math.round((n / Math.max(1, result.requests)) * 100) / 100;
          measurements.push({
            contender: target.name, query: q.name, round, ...result,
            departmentRequests: perRequest(after.requests - before.requests),
            statements: perRequest(after.statements - before.statements),
            gatewayCpuMs: perRequest(after.gatewayCpu - before.gatewayCpu),
            departmentCpuMs: perRequest(after.departmentCpu - before.departmentCpu),
          });
          process.stdout.write(`${section.key} · round ${round} · ${q.name} · ${target.name}: ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}\n`);
        }
      }
    }
    // Still the same answers after the load: tokens were renewed in time, no worker was lost.
    await checkAgreement(queries, contenders, references);
    const lookup = queries.find((q) => q.direct)!;
    const latency = section.workers === 1 ? await measureLookupLatency(lookup, targetsFor(lookup, contenders, references)) : [];
    const memory = contenders.map((c) => ({ contender: c.name, processes: nodeProcesses(c.started.process.pid).length, peakMb: peakMemoryMb(c.started.process.pid) }));
    return { title: section.title, workers: section.workers, measurements, latency, memory, missing };
  } finally {
    await Promise.all(contenders.map((c) => stopTree(c.started.process)));
  }
}

/** bench/fixed-plan-proxy.ts: stopped with the departments. */
async function startFixedPlanProxy(departments: Departments): Promise<Target> {
  const started = departments.start('fixed-plan-proxy', builtProgram('bench/fixed-plan-proxy.ts'), [], {
    PORT: String(FIXED_PLAN_PORT), SUBGRAPH_URLS: departments.subgraphUrls, SIGNING_KEY_FILE: departments.keys.gatewayPrivate, APP, PURPOSE,
  });
  const url = `http://127.0.0.1:${FIXED_PLAN_PORT}/graphql`;
  await waitFor(url, started);
  return { name: FIXED_PLAN, url, headers: async () => ({}), started };
}

async function main(): Promise<void> {
  const departments = await startDepartments(newDataDir(), DEPARTMENTS_PORT, `http://127.0.0.1:${PORT_BASE}/graphql`);
  try {
    const sign = await createSubgraphTokenSigner({ signingKeyFile: departments.keys.gatewayPrivate, ttlSeconds: 600 });
    const direct: Target = {
      name: DIRECT,
      url: departments.urls.find((d) => d.name === 'market-regulation')!.url,
      headers: async () => ({ authorization: `Bearer ${await sign({ app: APP, purpose: PURPOSE, requestId: 'bench' }, 'market-regulation')}`, 'x-request-id': 'bench' }),
      signsEachRequest: { signingKeyFile: departments.keys.gatewayPrivate, app: APP, purpose: PURPOSE, department: 'market-regulation' },
    };
    const fixedPlan = await startFixedPlanProxy(departments);
    const queries = await benchQueries(direct);
    const sections: SectionResult[] = [];
    // The proxy is one process: it is measured beside the single-process gateways only.
    for (const section of SECTIONS) sections.push(await runSection(departments, section, queries, section.workers === 1 ? { direct, fixedPlan } : { direct }));

    const run: RunResult = { date: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, warmUpSeconds: WARM_UP_SECONDS, connections: CONNECTIONS, queries: queries.map((q) => q.name), sections };
    const command = process.argv.length > 2 ? `npm run bench -- ${process.argv.slice(2).join(' ')}` : 'npm run bench';
    const report = renderReport(run, command);
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', `${OUTPUT}.json`), `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(join(__dirname, 'results', `${OUTPUT}.md`), report);
    process.stdout.write(`\n${report}`);
  } finally {
    await departments.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

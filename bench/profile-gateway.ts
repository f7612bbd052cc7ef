/**
 * GovGraph's own CPU per request, and where it goes: a tool for working on the gateway's hot path, not a
 * benchmark against other gateways (compare-gateways.ts is that). Builds the server, starts the six
 * departments (ports from 4610) and GovGraph from dist/ (port 4600) as the benchmark's `bench-reader` app,
 * and for each benchmark query sends a warm-up, then N requests from a few concurrent clients, reporting the
 * gateway process's CPU ms per request (user + system, from /proc). With --cpu-prof it then sends the
 * N requests again under V8's sampling profiler (over the inspector protocol, so start-up is not in it),
 * writes each query's profile to a new govgraph-profile- folder under the system's temporary folder and prints the functions with
 * the most self time and the modules with the most inclusive time. With --heap it reports where the gateway's
 * memory goes instead, and bare @apollo/gateway's beside it (port 4601, built by `npm run bench`): each one's
 * resident set and V8's heap at idle after start, its peak resident set over the queries, and, from V8's
 * sampling heap profiler, what the queries left allocated after a full collection, by module.
 *
 * Run: npx tsx bench/profile-gateway.ts [--requests 2000] [--clients 8] [--cpu-prof | --heap] [--top 25] [--only lookup,page]
 * [--no-build] [--out NAME]. Writes bench/results/NAME.md (profile.md unless told): the figures of the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { PAGE_QUERY, post } from './agreement';
import { APP, PURPOSE, SUPERGRAPH_FILE, newDataDir, startDepartments, type Departments } from './deployment';
import { ROOT, builtProgram, cpuMs, waitFor } from './processes';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '8' },
    'cpu-prof': { type: 'boolean', default: false },
    heap: { type: 'boolean', default: false },
    top: { type: 'string', default: '25' },
    only: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: 'profile' },
  },
});
const REQUESTS = Number(values.requests);
const CLIENTS = Number(values.clients);
const TOP = Number(values.top);
const GATEWAY_PORT = 4600;
const INSPECTOR_PORT = 4609;
const BARE_PORT = 4601;
const BARE_INSPECTOR_PORT = 4608;
const DEPARTMENT_BASE_PORT = 4610;

interface ProfiledQuery {
  key: string;
  query: string;
}

/** The benchmark's four queries (compare-gateways.ts), the lookup and profile over the first enterprise. */
async function queriesOf(departments: Departments): Promise<ProfiledQuery[]> {
  const sign = await createSubgraphTokenSigner({ signingKeyFile: departments.keys.gatewayPrivate, ttlSeconds: 600 });
  const market = departments.urls.find((d) => d.name === 'market-regulation')!.url;
  const headers = { authorization: `Bearer ${await sign({ app: APP, purpose: PURPOSE, requestId: 'profile' }, 'market-regulation')}`, 'x-request-id': 'profile' };
  const page = await post(market, headers, '{ enterprises(first: 1) { nodes { creditCode legalRepresentative { idNumber } } } }');
  const first = (page.body.data as { enterprises: { nodes: Array<{ creditCode: string; legalRepresentative: { idNumber: string } }> } }).enterprises.nodes[0]!;
  return [
    { key: 'lookup', query: `{ enterprise(creditCode: "${first.creditCode}") { name status registeredCapital licences { kind validUntil } penalties { amount } } }` },
    { key: 'profile', query: `{ person(idNumber: "${first.legalRepresentative.idNumber}") { name gender household { address } maritalStatus marriages { kind spouse { name } } enterprises { name status } applications { id status } } }` },
    { key: 'page', query: PAGE_QUERY },
    { key: 'screen', query: '{ operationsOverview(regionCode: "440100") { openEvents overdueEvents byCategory { category open overdue } indicators { code value alerting } latestEvents { id category grid { name } } } }' },
  ].filter((q) => values.only === undefined || values.only.split(',').includes(q.key));
}

/** `count` requests from CLIENTS clients, each sending its next when its answer has arrived; fails on any error. */
async function drive(url: string, headers: Record<string, string>, query: string, count: number): Promise<void> {
  const body = JSON.stringify({ query });
  let sent = 0;
  const client = async () => {
    while (sent < count) {
      sent++;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      const answer = (await response.json()) as { errors?: unknown[] };
      if (response.status !== 200 || answer.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
}

/** One command over the inspector protocol. */
function inspector(socket: WebSocket): (method: string, params?: object) => Promise<Record<string, unknown>> {
  let id = 0;
  const waiting = new Map<number, (result: Record<string, unknown>) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result ?? {});
  });
  return (method, params = {}) =>
    new Promise((resolve) => {
      waiting.set(++id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

/** Where a frame's code lives: a package under node_modules, a file of ours, or V8/Node's own. */
function moduleOf(url: string): string {
  if (url === '') return '(native)';
  const path = url.replace(/^file:\/\//, '');
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inPackage) return inPackage[1]!;
  if (path.startsWith('node:')) return path;
  return relative(ROOT, path).replace(/^dist\//, '');
}

/** The functions with the most self time and the modules with the most inclusive time, as % of the samples. */
function summarise(profile: CpuProfile): { functions: Array<[string, number]>; modules: Array<[string, number]> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
  let counted = 0;
  for (const sample of profile.samples) {
    const leaf = byId.get(sample)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    counted++;
    const where = idle.has(leaf.callFrame.functionName) ? leaf.callFrame.functionName : `${leaf.callFrame.functionName || '(anonymous)'} ${moduleOf(leaf.callFrame.url)}:${leaf.callFrame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + 1);
    const modules = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.url !== '') modules.add(moduleOf(frame.url));
    }
    for (const m of modules) inclusive.set(m, (inclusive.get(m) ?? 0) + 1);
  }
  const top = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([name, n]): [string, number] => [name, Math.round((n / Math.max(1, counted)) * 1000) / 10]);
  return { functions: top(self), modules: top(inclusive) };
}

interface SamplingHeapNode {
  callFrame: { url: string };
  selfSize: number;
  children: SamplingHeapNode[];
}

/** Bytes still allocated, by the module of the frame that allocated them, largest first. */
function heapByModule(head: SamplingHeapNode): Array<[string, number]> {
  const bytes = new Map<string, number>();
  const visit = (node: SamplingHeapNode) => {
    const where = moduleOf(node.callFrame.url);
    bytes.set(where, (bytes.get(where) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(head);
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, TOP);
}

/** A process's resident set now and at its peak (VmRSS, VmHWM), in MB. */
function residentMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The gateway's memory as V8 and Node see it, in MB, read inside it over the inspector. */
async function memoryUsageMb(send: ReturnType<typeof inspector>): Promise<Record<string, number>> {
  const { result } = (await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result: { value: string } };
  return Object.fromEntries(Object.entries(JSON.parse(result.value) as Record<string, number>).map(([k, v]) => [k, Math.round(v / 1048576)]));
}

async function connectInspector(port = INSPECTOR_PORT): Promise<{ socket: WebSocket; send: ReturnType<typeof inspector> }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return { socket, send: inspector(socket) };
}

async function main(): Promise<void> {
  if (values['cpu-prof'] && values.heap) throw new Error('--cpu-prof and --heap profile separately: give one');
  if (!values['no-build']) execFileSync('npm', ['run', '-s', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  const gatewayUrl = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
  const departments = await startDepartments(newDataDir(), DEPARTMENT_BASE_PORT, gatewayUrl);
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  try {
    const gateway = departments.start('gateway', builtProgram('gateway/index.ts'), [], {
      PORT: String(GATEWAY_PORT), DATA_DIR: departments.dataDir, CONTRACTS_DIR: departments.contractsDir, SUBGRAPH_URLS: departments.subgraphUrls,
      ...((values['cpu-prof'] || values.heap) && { NODE_OPTIONS: `--inspect=127.0.0.1:${INSPECTOR_PORT}` }),
    });
    await waitFor(`http://127.0.0.1:${GATEWAY_PORT}/healthz`, gateway);
    const headers = { authorization: `Bearer ${departments.appToken}`, 'x-purpose': PURPOSE };
    const pid = gateway.process.pid!;
    const queries = await queriesOf(departments);
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    say(`# GovGraph gateway profile\n\n${new Date().toISOString()}, commit ${commit}: \`npx tsx bench/profile-gateway.ts ${process.argv.slice(2).join(' ')}\` — ${REQUESTS} requests per query from ${CLIENTS} clients${values.heap ? ', GovGraph then bare @apollo/gateway, each started afresh with the departments running' : ` after ${Math.round(REQUESTS / 4)} of warm-up; gateway CPU is user + system of its process from /proc (10 ms ticks)`}.\n`);
    if (values.heap) {
      const bare = departments.start('bare', builtProgram('bench/bare-apollo-gateway.ts'), [], {
        PORT: String(BARE_PORT), SUPERGRAPH_FILE, SUBGRAPH_URLS: departments.subgraphUrls, SIGNING_KEY_FILE: departments.keys.gatewayPrivate, APP, PURPOSE,
        NODE_OPTIONS: `--inspect=127.0.0.1:${BARE_INSPECTOR_PORT}`,
      });
      await waitFor(`http://127.0.0.1:${BARE_PORT}/`, bare);
      say(`\nMemory in MB; the peak is the resident set's high-water mark (VmHWM) over ${REQUESTS} requests of each query; "after" follows a full collection.\n`);
      say('| gateway | rss idle | heap used idle | peak rss over the load | rss after | heap used after | external after |\n|---|---|---|---|---|---|---|');
      const govgraph = await profileHeap({ name: 'GovGraph', url: gatewayUrl, headers, pid, inspectorPort: INSPECTOR_PORT }, queries, say);
      const baseline = await profileHeap({ name: 'bare @apollo/gateway', url: `http://127.0.0.1:${BARE_PORT}/`, headers: { 'apollo-require-preflight': '1' }, pid: bare.process.pid!, inspectorPort: BARE_INSPECTOR_PORT }, queries, say);
      for (const [name, modules] of [['GovGraph', govgraph], ['bare @apollo/gateway', baseline]] as const) {
        say(`\n## ${name}: left allocated by the load after a full collection, by module (V8 sampling heap profiler)\n\n| module | KB |\n|---|---|`);
        for (const [module, bytes] of modules) say(`| ${module} | ${Math.round(bytes / 1024)} |`);
      }
      writeFileSync(join(__dirname, 'results', `${values.out}.md`), `${lines.join('\n')}\n`);
      return;
    }
    say('| query | gateway CPU ms/req | req/s |\n|---|---|---|');
    const measured: Array<{ key: string; query: string }> = [];
    for (const q of queries) {
      await drive(gatewayUrl, headers, q.query, Math.round(REQUESTS / 4));
      const before = cpuMs(pid);
      const started = performance.now();
      await drive(gatewayUrl, headers, q.query, REQUESTS);
      const seconds = (performance.now() - started) / 1000;
      say(`| ${q.key} | ${((cpuMs(pid) - before) / REQUESTS).toFixed(3)} | ${Math.round(REQUESTS / seconds)} |`);
      measured.push(q);
    }
    if (values['cpu-prof']) {
      const { socket, send } = await connectInspector();
      await send('Profiler.enable');
      await send('Profiler.setSamplingInterval', { interval: 200 });
      const folder = mkdtempSync(join(tmpdir(), 'govgraph-profile-'));
      process.stdout.write(`V8 CPU profiles in ${folder}\n`);
      for (const q of measured) {
        await send('Profiler.start');
        await drive(gatewayUrl, headers, q.query, REQUESTS);
        const { profile } = (await send('Profiler.stop')) as { profile: CpuProfile };
        writeFileSync(join(folder, `${q.key}.cpuprofile`), JSON.stringify(profile));
        const { functions, modules } = summarise(profile);
        say(`\n## ${q.key}: top self time (% of the gateway's busy samples)\n\n| function | % |\n|---|---|`);
        for (const [name, pct] of functions) say(`| ${name.replace(/\|/g, '\\|')} | ${pct} |`);
        say(`\n## ${q.key}: modules by inclusive time\n\n| module | % |\n|---|---|`);
        for (const [name, pct] of modules) say(`| ${name} | ${pct} |`);
      }
      socket.close();
    }
    writeFileSync(join(__dirname, 'results', `${values.out}.md`), `${lines.join('\n')}\n`);
  } finally {
    await departments.stop();
  }
}

interface ProfiledGateway {
  name: string;
  url: string;
  headers: Record<string, string>;
  pid: number;
  inspectorPort: number;
}

/**
 * Where a gateway's memory goes: at idle after start (what start-up holds: schemas, planner, contracts,
 * code), its peak over every query's load (what requests add on top, garbage not yet collected included),
 * and what the load left allocated after a full collection (caches), by the module that allocated it. Says
 * the figures as a row; returns the modules.
 */
async function profileHeap(gateway: ProfiledGateway, queries: ProfiledQuery[], say: (line: string) => void): Promise<Array<[string, number]>> {
  const { socket, send } = await connectInspector(gateway.inspectorPort);
  await send('HeapProfiler.enable');
  await send('HeapProfiler.collectGarbage');
  const idle: Record<string, number> = { ...(await memoryUsageMb(send)), rss: Math.round(residentMb(gateway.pid).now) };
  await send('HeapProfiler.startSampling', { samplingInterval: 4096 });
  for (const q of queries) await drive(gateway.url, gateway.headers, q.query, REQUESTS);
  const peak = Math.round(residentMb(gateway.pid).peak);
  await send('HeapProfiler.collectGarbage');
  const after: Record<string, number> = { ...(await memoryUsageMb(send)), rss: Math.round(residentMb(gateway.pid).now) };
  const { profile } = (await send('HeapProfiler.stopSampling')) as { profile: { head: SamplingHeapNode } };
  socket.close();
  say(`| ${gateway.name} | ${idle['rss']} | ${idle['heapUsed']} | ${peak} | ${after['rss']} | ${after['heapUsed']} | ${after['external']} |`);
  return heapByModule(profile.head);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

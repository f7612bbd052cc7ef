/**
 * GovGraph's own CPU per request, and where it goes: a tool for working on the gateway's hot path, not a
 * benchmark against other gateways (compare-gateways.ts is that). Builds the server, starts the six
 * departments (ports from 4610) and GovGraph from dist/ (port 4600) as the benchmark's `bench-reader` app,
 * and for each benchmark query sends a warm-up, then N requests from a few concurrent clients, reporting the
 * gateway process's CPU ms per request (user + system, from /proc). With --cpu-prof it then sends the
 * N requests again under V8's sampling profiler (over the inspector protocol, so start-up is not in it),
 * writes each query's profile to a new govgraph-profile- folder under the system's temporary folder and prints the functions with
 * the most self time and the modules with the most inclusive time.
 *
 * Run: npx tsx bench/profile-gateway.ts [--requests 2000] [--clients 8] [--cpu-prof] [--top 25] [--only lookup,page]
 * [--no-build] [--out NAME]. Writes bench/results/NAME.md (profile.md unless told): the figures of the run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { PAGE_QUERY, post } from './agreement';
import { APP, PURPOSE, newDataDir, startDepartments, type Departments } from './deployment';
import { ROOT, builtProgram, cpuMs, waitFor } from './processes';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    clients: { type: 'string', default: '8' },
    'cpu-prof': { type: 'boolean', default: false },
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

async function main(): Promise<void> {
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
      ...(values['cpu-prof'] && { NODE_OPTIONS: `--inspect=127.0.0.1:${INSPECTOR_PORT}` }),
    });
    await waitFor(`http://127.0.0.1:${GATEWAY_PORT}/healthz`, gateway);
    const headers = { authorization: `Bearer ${departments.appToken}`, 'x-purpose': PURPOSE };
    const pid = gateway.process.pid!;
    const queries = await queriesOf(departments);
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    say(`# GovGraph gateway profile\n\n${new Date().toISOString()}, commit ${commit}: \`npx tsx bench/profile-gateway.ts ${process.argv.slice(2).join(' ')}\` — ${REQUESTS} requests per query from ${CLIENTS} clients after ${Math.round(REQUESTS / 4)} of warm-up; gateway CPU is user + system of its process from /proc (10 ms ticks).\n`);
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
      const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
      const socket = new WebSocket(targets[0]!.webSocketDebuggerUrl);
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const send = inspector(socket);
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

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

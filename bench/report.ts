/** The comparison's results as JSON and as the markdown report: per section, the best round of each contender. */
import type { LoadResult } from './autocannon';
import { BARE, HIVE } from './contenders';
import type { LatencyResult } from './latency-probe';
import { best, lowestP50, p50RatiosByRound, rangeText, throughputRatiosByRound } from './ratios';
import { targetsMarkdown } from './targets';

export interface Measurement extends LoadResult {
  contender: string;
  query: string;
  round: number;
  /** Per answered request, during the measurement: the departments' GraphQL requests and SQL statements. */
  departmentRequests: number;
  statements: number;
  /** CPU time per answered request, in ms: the gateway's own processes, and the departments' together. */
  gatewayCpuMs: number;
  departmentCpuMs: number;
}

/** The single-department lookup's latency from bench/latency-probe.ts, at `connections` clients. */
export interface LatencyMeasurement extends LatencyResult {
  contender: string;
  connections: number;
  round: number;
}

export interface SectionResult {
  title: string;
  workers: number;
  measurements: Measurement[];
  /** Only in the single-process section. */
  latency: LatencyMeasurement[];
  memory: Array<{ contender: string; processes: number; peakMb: number }>;
  missing: Array<{ name: string; reason: string }>;
}

export interface RunResult {
  date: string;
  seconds: number;
  rounds: number;
  warmUpSeconds: number;
  connections: number;
  queries: string[];
  sections: SectionResult[];
}

function ratio(m: Measurement, baseline: Measurement | undefined): string {
  return baseline === undefined ? '—' : `${(m.rps / baseline.rps).toFixed(2)}×`;
}

function latencyMarkdown(section: SectionResult): string {
  const contenders = [...new Set(section.latency.map((m) => m.contender))];
  const loads = [...new Set(section.latency.map((m) => m.connections))];
  const rows = loads.flatMap((connections) =>
    contenders.map((contender) => {
      const m = lowestP50(section, contender, connections)!;
      return `| ${connections} | ${contender} | ${m.p50} | ${rangeText(p50RatiosByRound(section, contender, connections))} | ${m.p90} | ${m.p99} | ${m.rps} | ${m.errors} |`;
    }),
  );
  return `### Single-department lookup: latency at sub-millisecond resolution

Measured by bench/latency-probe.ts (autocannon keeps whole milliseconds): each client sends its next request
when the previous answer has arrived. The p50, p90, p99 and req/s are those of each target's round with the
lowest p50; "vs direct" is its p50 against the department's own in the same round, at the same number of
clients, as the range over the rounds.

| clients | contender | p50 ms | vs direct | p90 ms | p99 ms | req/s | errors |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

`;
}

function sectionMarkdown(section: SectionResult, queries: readonly string[]): string {
  const contenders = [...new Set(section.measurements.map((m) => m.contender))];
  const rows = queries.flatMap((query) =>
    contenders.flatMap((contender) => {
      const m = best(section, contender, query);
      if (m === undefined) return [];
      return [`| ${query} | ${contender} | ${m.rps} | ${ratio(m, best(section, BARE, query))} | ${rangeText(throughputRatiosByRound(section, contender, query, BARE))} | ${ratio(m, best(section, HIVE, query))} | ${rangeText(throughputRatiosByRound(section, contender, query, HIVE))} | ${m.p50} | ${m.p99} | ${m.errors} | ${m.departmentRequests} | ${m.statements} | ${m.gatewayCpuMs} | ${m.departmentCpuMs} |`];
    }),
  );
  const memory = section.memory.map((m) => `| ${m.contender} | ${m.processes} | ${m.peakMb} |`);
  const missing = section.missing.map((m) => `- ${m.name}: ${m.reason}`);
  return `## ${section.title}

| query | contender | req/s | vs bare | vs bare, by round | vs Hive | vs Hive, by round | p50 ms | p99 ms | errors | dept. calls/req | SQL/req | gateway CPU ms/req | departments CPU ms/req |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${section.latency.length > 0 ? latencyMarkdown(section) : ''}| contender | Node processes | peak RSS MB (sum of VmHWM) |
|---|---|---|
${memory.join('\n')}
${missing.length > 0 ? `\nNot in this section:\n\n${missing.join('\n')}\n` : ''}`;
}

export function renderReport(run: RunResult, command: string): string {
  return `# Gateways compared

${run.date.slice(0, 10)}: \`${command}\` — ${run.rounds} round(s), ${run.seconds} s per measurement${run.warmUpSeconds > 0 ? ` after a ${run.warmUpSeconds} s warm-up` : ' without warm-up'},
${run.connections} connections, on this 2-core machine shared with other work: absolute figures are noisy, the
ratios within one run are what compares (how it was measured follows the targets).

${targetsMarkdown(run)}
## How it was measured

Contenders in turn (the order rotates each round), autocannon in its own process, the departments in their
own processes over the default seeded world. Every contender answered every query with the same data and no
error before and after the measurements. The best round of each is shown; "vs bare" and "vs Hive" are
throughput ratios of those best rounds against bare @apollo/gateway and Hive Gateway (JavaScript planner) in
the same section of the same run, and "by round" the range of the ratios within each round (measurements
minutes apart, so less of the machine's drift); "the department directly", the limit no gateway can pass,
is measured by the latency probe only, which signs a token of its own for each request (a department
accepts a token once, for the request id it was signed for; autocannon sends the same headers every time);
"fixed-plan proxy" (bench/fixed-plan-proxy.ts, single-process section only) is a reference, not a gateway: a
hand-written proxy that makes for each query the department calls bare @apollo/gateway's query plan makes,
written out by hand (the lookup and the one-screen overview passed through to their department unread), and
never parses the operation, plans, checks or records anything — about the least work a Node gateway that
calls the departments for every request can do, so its "vs bare" shows roughly how far any such gateway
could get on this machine. "dept. calls/req" and "SQL/req" are what each answered request cost the
departments during that measurement (their own counters; a little above whole numbers, as calls still in
flight when autocannon stops are counted): the same for every gateway means the same work was done. Every
process runs compiled JavaScript with NODE_ENV=production, as deployed (bench/README.md). "CPU ms/req" is the
processor time each answered request cost the gateway's own processes and the departments (from /proc, user
+ system): on a machine where all of them share two cores, throughput is bounded by their sum, so it shows
how far a gateway's own cost can move the ratio. Hive Gateway runs with its in-flight deduplication of
identical department calls off (bench/hive-gateway.config.ts): with every client sending the same query, it
would otherwise answer several clients with one department call, which no other contender does. Peak memory
is that of the gateway's own processes only. GovGraph answers as an app whose contract masks persons' names
and phone numbers, so its masking and result gate are measured too; the departments mask those fields for
every contender's calls, which is why all answers agree.

${run.sections.map((s) => sectionMarkdown(s, run.queries)).join('\n')}
The database figures (SQL statements per request as lists grow; lookup latency at 10,000 and 1,000,000
persons) are in [database.md](database.md) (\`npm run build:server && npx tsx bench/database-figures.ts\`).
`;
}

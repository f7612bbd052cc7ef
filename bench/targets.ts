/**
 * The performance targets of issue 24, judged from one run, for GovGraph with every check on: per query,
 * its gateway CPU time per request ≤ 0.4× bare @apollo/gateway's and ≤ 2× the fixed-plan proxy's, its
 * throughput ≥ 85 % of the proxy's and ahead of Hive Gateway's Rust planner in every round; one request
 * at a time, what it adds to the department's own latency ≤ 2× what the proxy adds (measured on the
 * single-department lookup only); its peak memory ≤ bare @apollo/gateway's. Each is judged on the values
 * of best rounds (highest throughput, least CPU, least added latency) and on every round's own ratio (the
 * machine drifts between rounds); peak memory is one figure per section.
 */
import { QUERY } from './agreement';
import { BARE, FIXED_PLAN, GOVGRAPH, HIVE_RUST } from './contenders';
import { addedLatencyByRound, best, cpuRatiosByRound, lowestCpu, rangeText, throughputRatiosByRound } from './ratios';
import type { RunResult, SectionResult } from './report';

export type Verdict = 'met in every round' | 'met by the best rounds only' | 'met' | 'not met' | 'not measured';

export interface TargetVerdict {
  target: string;
  section: string;
  /** GovGraph's value and the baseline's, of their best rounds, in `unit`. */
  govgraph: number | undefined;
  baseline: number | undefined;
  unit: string;
  /** GovGraph's value against the baseline's: of best rounds, and each round's own. */
  ratio: number | undefined;
  byRound: number[];
  verdict: Verdict;
}

interface Measured {
  govgraph: number | undefined;
  baseline: number | undefined;
  /** Empty for a measure taken once per section (peak memory). */
  byRound: number[];
}

interface Target {
  target: string;
  unit: string;
  meets(ratio: number): boolean;
  /** Whether the section holds the measure at all: the proxy and the latency probe run in the single-process section only. */
  applies(section: SectionResult): boolean;
  measure(section: SectionResult): Measured;
  /** Measured once per section, not per round (peak memory). */
  once?: true;
}

const singleProcess = (section: SectionResult) => section.workers === 1;

function cpuAgainst(query: string, baseline: string): Target['measure'] {
  return (section) => ({
    govgraph: lowestCpu(section, GOVGRAPH, query)?.gatewayCpuMs,
    baseline: lowestCpu(section, baseline, query)?.gatewayCpuMs,
    byRound: cpuRatiosByRound(section, GOVGRAPH, query, baseline),
  });
}

function throughputAgainst(query: string, baseline: string): Target['measure'] {
  return (section) => ({
    govgraph: best(section, GOVGRAPH, query)?.rps,
    baseline: best(section, baseline, query)?.rps,
    byRound: throughputRatiosByRound(section, GOVGRAPH, query, baseline),
  });
}

/** One request at a time: the ms GovGraph adds to the department's p50 against the ms the proxy adds, in the same round. */
function addedLatencyAgainstProxy(section: SectionResult): Measured {
  const mine = addedLatencyByRound(section, GOVGRAPH, 1);
  const proxy = addedLatencyByRound(section, FIXED_PLAN, 1);
  const least = (added: ReadonlyArray<{ addedMs: number }>) => (added.length === 0 ? undefined : Math.round(Math.min(...added.map((a) => a.addedMs)) * 100) / 100);
  return {
    govgraph: least(mine),
    baseline: least(proxy),
    byRound: mine.flatMap((m) => {
      const base = proxy.find((p) => p.round === m.round);
      return base === undefined || base.addedMs <= 0 ? [] : [m.addedMs / base.addedMs];
    }),
  };
}

function peakMemoryAgainstBare(section: SectionResult): Measured {
  const peak = (contender: string) => section.memory.find((m) => m.contender === contender)?.peakMb;
  return { govgraph: peak(GOVGRAPH), baseline: peak(BARE), byRound: [] };
}

function targetsOf(run: RunResult): Target[] {
  const everywhere = () => true;
  const perQuery = run.queries.flatMap((query): Target[] => [
    { target: `${query}: gateway CPU/req ≤ 0.4× bare @apollo/gateway's`, unit: 'ms', meets: (r) => r <= 0.4, applies: everywhere, measure: cpuAgainst(query, BARE) },
    { target: `${query}: gateway CPU/req ≤ 2× the fixed-plan proxy's`, unit: 'ms', meets: (r) => r <= 2, applies: singleProcess, measure: cpuAgainst(query, FIXED_PLAN) },
    { target: `${query}: throughput ≥ 85 % of the fixed-plan proxy's`, unit: 'req/s', meets: (r) => r >= 0.85, applies: singleProcess, measure: throughputAgainst(query, FIXED_PLAN) },
    { target: `${query}: throughput ahead of ${HIVE_RUST}`, unit: 'req/s', meets: (r) => r > 1, applies: everywhere, measure: throughputAgainst(query, HIVE_RUST) },
  ]);
  return [
    ...perQuery,
    {
      target: `${QUERY.lookup}, one request at a time: latency added to the department's ≤ 2× what the fixed-plan proxy adds`,
      unit: 'ms',
      meets: (r) => r <= 2,
      applies: (section) => section.latency.length > 0,
      measure: addedLatencyAgainstProxy,
    },
    { target: "peak memory of the gateway's processes ≤ bare @apollo/gateway's", unit: 'MB', meets: (r) => r <= 1, applies: everywhere, measure: peakMemoryAgainstBare, once: true },
  ];
}

function ratioOf(measured: Measured): number | undefined {
  const { govgraph, baseline } = measured;
  return govgraph === undefined || baseline === undefined || baseline <= 0 ? undefined : govgraph / baseline;
}

function verdictOf(target: Target, ratio: number | undefined, measured: Measured): Verdict {
  if (ratio === undefined || (!target.once && measured.byRound.length === 0)) return 'not measured';
  if (!target.meets(ratio)) return 'not met';
  if (target.once) return 'met';
  return measured.byRound.every((r) => target.meets(r)) ? 'met in every round' : 'met by the best rounds only';
}

export function judgeTargets(run: RunResult): TargetVerdict[] {
  return targetsOf(run).flatMap((target) =>
    run.sections.filter(target.applies).map((section) => {
      const measured = target.measure(section);
      const ratio = ratioOf(measured);
      return { target: target.target, section: section.title, govgraph: measured.govgraph, baseline: measured.baseline, unit: target.unit, ratio, byRound: measured.byRound, verdict: verdictOf(target, ratio, measured) };
    }),
  );
}

const value = (v: number | undefined, unit: string) => (v === undefined ? '—' : `${Math.round(v * 100) / 100} ${unit}`);
const times = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(2)}×`);

export function targetsMarkdown(run: RunResult): string {
  const rows = judgeTargets(run).map((v) => `| ${v.target} | ${v.section} | ${value(v.govgraph, v.unit)} | ${value(v.baseline, v.unit)} | ${times(v.ratio)} | ${rangeText(v.byRound)} | ${v.verdict} |`);
  return `## Issue 24's targets

GovGraph with every check on against the target's baseline, in the same section of this run: "GovGraph" and
"baseline" are the values of their best rounds (the highest throughput, the least gateway CPU time per
request, the least latency added to the department's p50), "ratio" is the first against the second and
"by round" the range of each round's own ratio (measurements minutes apart, so less of the machine's
drift). A target is met in every round, by the best rounds only, or not; "throughput ahead of Hive Gateway
(Rust planner)" asks for every round. The fixed-plan proxy and the latency probe run in the single-process
section only, and the latency target is judged on the single-department lookup, the one query the probe
measures (its only query with a department to compare with). Peak memory is one figure per section, so it
is met or not.

| target | section | GovGraph | baseline | ratio | by round | verdict |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

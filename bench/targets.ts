/**
 * The performance targets of the benchmarks issue, judged from one run: GovGraph with all security on at
 * ≥ 2× bare @apollo/gateway's throughput and ≥ 1× Hive Gateway's on the three-department profile and the
 * enterprise page, and a single-department lookup's p50 ≤ 1.3× the department's own. Each is judged on the
 * ratio of best rounds and on every round's own ratio (the machine drifts between rounds), beside what the
 * fixed-plan proxy reached on the same measure where it runs — about the least work a Node gateway can do.
 */
import { QUERY } from './agreement';
import { BARE, DIRECT, FIXED_PLAN, GOVGRAPH, HIVE } from './contenders';
import { best, lowestP50, p50RatiosByRound, rangeText, throughputRatiosByRound } from './ratios';
import type { RunResult, SectionResult } from './report';

export interface TargetVerdict {
  target: string;
  section: string;
  /** The ratio of best rounds (throughput) or of lowest p50s (latency). */
  best: number | undefined;
  byRound: number[];
  verdict: 'met in every round' | 'met by the best rounds only' | 'not met' | 'not measured';
  /** The fixed-plan proxy's value of the same measure, where it runs. */
  fixedPlan: number | undefined;
}

interface Target {
  target: string;
  /** A throughput ratio must reach `atLeast`; a latency ratio stay within `atMost`. */
  atLeast?: number;
  atMost?: number;
  measure(section: SectionResult, contender: string): { best: number | undefined; byRound: number[] };
}

function throughputAgainst(query: string, baseline: string) {
  return (section: SectionResult, contender: string) => {
    const mine = best(section, contender, query);
    const base = best(section, baseline, query);
    return { best: mine && base ? mine.rps / base.rps : undefined, byRound: throughputRatiosByRound(section, contender, query, baseline) };
  };
}

function p50AgainstDirect(clients: number) {
  return (section: SectionResult, contender: string) => {
    const mine = lowestP50(section, contender, clients);
    const direct = lowestP50(section, DIRECT, clients);
    return { best: mine && direct ? mine.p50 / direct.p50 : undefined, byRound: p50RatiosByRound(section, contender, clients) };
  };
}

function targetsOf(run: RunResult): Target[] {
  return [
    { target: `${QUERY.profile}: ≥ 2× bare @apollo/gateway`, atLeast: 2, measure: throughputAgainst(QUERY.profile, BARE) },
    { target: `${QUERY.profile}: ≥ 1× Hive Gateway`, atLeast: 1, measure: throughputAgainst(QUERY.profile, HIVE) },
    { target: `${QUERY.page}: ≥ 2× bare @apollo/gateway`, atLeast: 2, measure: throughputAgainst(QUERY.page, BARE) },
    { target: `${QUERY.page}: ≥ 1× Hive Gateway`, atLeast: 1, measure: throughputAgainst(QUERY.page, HIVE) },
    { target: `${QUERY.lookup}: p50 ≤ 1.3× the department's, ${run.connections} connections`, atMost: 1.3, measure: p50AgainstDirect(run.connections) },
    { target: `${QUERY.lookup}: p50 ≤ 1.3× the department's, one at a time`, atMost: 1.3, measure: p50AgainstDirect(1) },
  ];
}

function verdictOf(target: Target, best: number | undefined, byRound: readonly number[]): TargetVerdict['verdict'] {
  if (best === undefined || byRound.length === 0) return 'not measured';
  const meets = (value: number) => (target.atLeast !== undefined ? value >= target.atLeast : value <= target.atMost!);
  if (!meets(best)) return 'not met';
  return byRound.every(meets) ? 'met in every round' : 'met by the best rounds only';
}

export function judgeTargets(run: RunResult): TargetVerdict[] {
  return targetsOf(run).flatMap((target) =>
    run.sections.flatMap((section) => {
      // Latency is measured in the single-process section only.
      if (target.atMost !== undefined && section.latency.length === 0) return [];
      const mine = target.measure(section, GOVGRAPH);
      return [{ target: target.target, section: section.title, best: mine.best, byRound: mine.byRound, verdict: verdictOf(target, mine.best, mine.byRound), fixedPlan: target.measure(section, FIXED_PLAN).best }];
    }),
  );
}

const times = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(2)}×`);

export function targetsMarkdown(run: RunResult): string {
  const rows = judgeTargets(run).map((v) => `| ${v.target} | ${v.section} | ${times(v.best)} | ${rangeText(v.byRound)} | ${v.verdict} | ${times(v.fixedPlan)} |`);
  return `## The issue's targets

GovGraph with all security on, judged on the ratio of best rounds (for latency, of the lowest p50s) and on
each round's own ratio; "fixed-plan proxy" is the same measure for the hand-written reference proxy, where it
runs (the lookup and the page, single process). A target beyond what the proxy reached asks more of
GovGraph, with all its checks, than a Node gateway doing the least work that calls the departments
achieved on this machine in this run.

| target | section | GovGraph | by round | verdict | fixed-plan proxy |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

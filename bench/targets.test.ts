import { QUERY } from './agreement';
import { BARE, DIRECT, FIXED_PLAN, GOVGRAPH, HIVE } from './contenders';
import type { LatencyMeasurement, Measurement, RunResult, SectionResult } from './report';
import { judgeTargets } from './targets';

function measured(contender: string, query: string, round: number, rps: number): Measurement {
  return { contender, query, round, rps, requests: rps * 10, p50: 1, p99: 2, errors: 0, departmentRequests: 1, statements: 1, gatewayCpuMs: 1, departmentCpuMs: 1 };
}

function latency(contender: string, connections: number, round: number, p50: number): LatencyMeasurement {
  return { contender, connections, round, p50, p90: p50, p99: p50, requests: 10, rps: 1, errors: 0 };
}

/** Two rounds: the profile at 2.2× and 1.8× bare, the page at 2.1× and 2.05× bare, Hive well behind. */
const single: SectionResult = {
  title: 'single',
  workers: 1,
  measurements: [
    ...[1, 2].flatMap((round) => [measured(BARE, QUERY.profile, round, 100), measured(HIVE, QUERY.profile, round, 90), measured(BARE, QUERY.page, round, 100), measured(HIVE, QUERY.page, round, 50), measured(FIXED_PLAN, QUERY.page, round, 170)]),
    measured(GOVGRAPH, QUERY.profile, 1, 220),
    measured(GOVGRAPH, QUERY.profile, 2, 180),
    measured(GOVGRAPH, QUERY.page, 1, 210),
    measured(GOVGRAPH, QUERY.page, 2, 205),
  ],
  latency: [
    latency(DIRECT, 10, 1, 4), latency(DIRECT, 10, 2, 5), latency(GOVGRAPH, 10, 1, 8), latency(GOVGRAPH, 10, 2, 6), latency(FIXED_PLAN, 10, 1, 4.4),
    latency(DIRECT, 1, 1, 1), latency(GOVGRAPH, 1, 1, 1.2),
  ],
  memory: [],
  missing: [],
};
const run: RunResult = { date: '2026-11-29', seconds: 10, rounds: 2, warmUpSeconds: 3, connections: 10, queries: Object.values(QUERY), sections: [single, { ...single, title: 'workers', latency: [] }] };

const verdict = (target: string, section = 'single') => judgeTargets(run).find((v) => v.target.startsWith(target) && v.section === section);

describe('the performance targets judged from a run', () => {
  it('tells a target met in every round from one met only by the best rounds', () => {
    expect(verdict(`${QUERY.page}: ≥ 2×`)).toMatchObject({ best: 2.1, verdict: 'met in every round', fixedPlan: 1.7 });
    expect(verdict(`${QUERY.profile}: ≥ 2×`)).toMatchObject({ best: 2.2, byRound: [2.2, 1.8], verdict: 'met by the best rounds only', fixedPlan: undefined });
  });

  it('judges the lookup p50 against the department in the same round, lower being better', () => {
    const loaded = verdict(`${QUERY.lookup}: p50 ≤ 1.3× the department's, 10`)!;
    expect(loaded.best).toBeCloseTo(1.5);
    expect(loaded.byRound).toEqual([2, 1.2]);
    expect(loaded.verdict).toBe('not met');
    expect(loaded.fixedPlan).toBeCloseTo(1.1);
    expect(verdict(`${QUERY.lookup}: p50 ≤ 1.3× the department's, one at a time`)).toMatchObject({ verdict: 'met in every round' });
  });

  it('judges latency only where it was measured, and says when a measure is missing', () => {
    expect(verdict(`${QUERY.lookup}: p50`, 'workers')).toBeUndefined();
    const withoutHive: RunResult = { ...run, sections: [{ ...single, measurements: single.measurements.filter((m) => m.contender !== HIVE) }] };
    expect(judgeTargets(withoutHive).find((v) => v.target.startsWith(`${QUERY.page}: ≥ 1× Hive`))?.verdict).toBe('not measured');
  });
});

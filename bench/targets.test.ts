import { QUERY } from './agreement';
import { BARE, DIRECT, FIXED_PLAN, GOVGRAPH, HIVE_RUST } from './contenders';
import type { LatencyMeasurement, Measurement, RunResult, SectionResult } from './report';
import { judgeTargets } from './targets';

function measured(contender: string, query: string, round: number, rps: number, gatewayCpuMs: number): Measurement {
  return { contender, query, round, rps, requests: rps * 10, p50: 1, p99: 2, errors: 0, departmentRequests: 1, statements: 1, gatewayCpuMs, departmentCpuMs: 1 };
}

function latency(contender: string, round: number, p50: number): LatencyMeasurement {
  return { contender, connections: 1, round, p50, p90: p50, p99: p50, requests: 10, rps: 1, errors: 0 };
}

/**
 * Two rounds of the page: GovGraph at 0.30 and 0.50 ms CPU/req against bare's 1.0 and the proxy's 0.1,
 * at 1.2× and 0.9× the proxy's throughput, ahead of Hive's Rust planner in both rounds; the lookup adds
 * 0.4 then 0.9 ms to the department's p50 where the proxy adds 0.3 then 0.2 ms.
 */
const single: SectionResult = {
  title: 'single',
  workers: 1,
  measurements: [
    ...[1, 2].flatMap((round) => [measured(BARE, QUERY.page, round, 100, 1), measured(HIVE_RUST, QUERY.page, round, 150, 0.9), measured(FIXED_PLAN, QUERY.page, round, 200, 0.1)]),
    measured(GOVGRAPH, QUERY.page, 1, 240, 0.3),
    measured(GOVGRAPH, QUERY.page, 2, 180, 0.5),
  ],
  latency: [latency(DIRECT, 1, 0.5), latency(DIRECT, 2, 0.6), latency(GOVGRAPH, 1, 0.9), latency(GOVGRAPH, 2, 1.5), latency(FIXED_PLAN, 1, 0.8), latency(FIXED_PLAN, 2, 0.8)],
  memory: [
    { contender: GOVGRAPH, processes: 1, peakMb: 300 },
    { contender: BARE, processes: 1, peakMb: 250 },
  ],
  missing: [],
};
/** Two workers each, without the proxy or the latency probe; GovGraph uses less memory than bare there. */
const workers: SectionResult = {
  ...single,
  title: 'workers',
  workers: 2,
  measurements: single.measurements.filter((m) => m.contender !== FIXED_PLAN),
  latency: [],
  memory: [
    { contender: GOVGRAPH, processes: 3, peakMb: 500 },
    { contender: BARE, processes: 3, peakMb: 600 },
  ],
};
const run: RunResult = { date: '2026-12-06', seconds: 10, rounds: 2, warmUpSeconds: 3, connections: 10, queries: [QUERY.page], sections: [single, workers] };

const verdict = (target: string, section = 'single') => judgeTargets(run).find((v) => v.target.includes(target) && v.section === section);

describe("issue 24's targets judged from a run", () => {
  it("judges CPU per request against bare's and the proxy's, lower being better, round by round", () => {
    const againstBare = verdict('CPU/req ≤ 0.4× bare')!;
    expect(againstBare).toMatchObject({ target: `${QUERY.page}: gateway CPU/req ≤ 0.4× bare @apollo/gateway's`, govgraph: 0.3, baseline: 1, verdict: 'met by the best rounds only' });
    expect(againstBare.ratio).toBeCloseTo(0.3);
    expect(againstBare.byRound).toEqual([0.3, 0.5]);
    const againstProxy = verdict("CPU/req ≤ 2× the fixed-plan proxy's")!;
    expect(againstProxy.ratio).toBeCloseTo(3);
    expect(againstProxy.verdict).toBe('not met');
  });

  it("judges throughput against the proxy's share and Hive's Rust planner, higher being better", () => {
    expect(verdict('≥ 85 %')).toMatchObject({ govgraph: 240, baseline: 200, ratio: 1.2, byRound: [1.2, 0.9], verdict: 'met in every round' });
    const rust = verdict(`ahead of ${HIVE_RUST}`)!;
    expect(rust.ratio).toBeCloseTo(1.6);
    expect(rust.verdict).toBe('met in every round');
    const behindOnce: RunResult = { ...run, sections: [{ ...single, measurements: [...single.measurements.filter((m) => !(m.contender === GOVGRAPH && m.round === 2)), measured(GOVGRAPH, QUERY.page, 2, 150, 0.5)] }] };
    expect(judgeTargets(behindOnce).find((v) => v.target.includes(`ahead of ${HIVE_RUST}`))?.verdict).toBe('met by the best rounds only');
  });

  it('judges the latency GovGraph adds to the department against what the proxy adds, in the same round', () => {
    const added = verdict('latency added')!;
    expect(added.govgraph).toBeCloseTo(0.4);
    expect(added.baseline).toBeCloseTo(0.2);
    expect(added.byRound[0]).toBeCloseTo(4 / 3);
    expect(added.byRound[1]).toBeCloseTo(4.5);
    expect(added.verdict).toBe('met by the best rounds only');
  });

  it('judges peak memory once per section', () => {
    expect(verdict('peak memory')).toMatchObject({ govgraph: 300, baseline: 250, verdict: 'not met' });
    expect(verdict('peak memory', 'workers')).toMatchObject({ govgraph: 500, baseline: 600, verdict: 'met' });
  });

  it('leaves out what a section does not measure, and says when a measure is missing', () => {
    const inWorkers = judgeTargets(run).filter((v) => v.section === 'workers').map((v) => v.target);
    expect(inWorkers).toEqual([`${QUERY.page}: gateway CPU/req ≤ 0.4× bare @apollo/gateway's`, `${QUERY.page}: throughput ahead of ${HIVE_RUST}`, "peak memory of the gateway's processes ≤ bare @apollo/gateway's"]);
    const withoutRust: RunResult = { ...run, sections: [{ ...single, measurements: single.measurements.filter((m) => m.contender !== HIVE_RUST) }] };
    expect(judgeTargets(withoutRust).find((v) => v.target.includes(`ahead of ${HIVE_RUST}`))?.verdict).toBe('not measured');
  });
});

/** Ratios over a run's results: best rounds, and the same-round ratios that carry less of the machine's drift. */
import { DIRECT } from './contenders';
import type { LatencyMeasurement, Measurement, SectionResult } from './report';

export function best(section: SectionResult, contender: string, query: string): Measurement | undefined {
  return section.measurements.filter((m) => m.contender === contender && m.query === query).reduce<Measurement | undefined>((a, b) => (a === undefined || b.rps > a.rps ? b : a), undefined);
}

/**
 * Each of `mine` against the baseline's measurement of the same round: the machine drifts between rounds,
 * and a ratio of two measurements taken minutes apart carries that drift.
 */
function sameRoundRatios<T extends { round: number }>(mine: readonly T[], baseline: readonly T[], value: (m: T) => number): number[] {
  return mine.flatMap((m) => {
    const base = baseline.find((b) => b.round === m.round);
    return base === undefined ? [] : [value(m) / value(base)];
  });
}

/** Same-round ratios as a range, `1.21–1.38×`, or — when there are none. */
export function rangeText(ratios: readonly number[]): string {
  if (ratios.length === 0) return '—';
  const [low, high] = [Math.min(...ratios).toFixed(2), Math.max(...ratios).toFixed(2)];
  return low === high ? `${low}×` : `${low}–${high}×`;
}

/** A contender's throughput against a baseline's, round by round. */
export function throughputRatiosByRound(section: SectionResult, contender: string, query: string, baseline: string): number[] {
  const of = (name: string) => section.measurements.filter((m) => m.contender === name && m.query === query);
  return sameRoundRatios(of(contender), of(baseline), (m) => m.rps);
}

export function lowestP50(section: SectionResult, contender: string, connections: number): LatencyMeasurement | undefined {
  return section.latency.filter((m) => m.contender === contender && m.connections === connections).reduce<LatencyMeasurement | undefined>((a, b) => (a === undefined || b.p50 < a.p50 ? b : a), undefined);
}

/** A target's p50 against the department's, round by round. */
export function p50RatiosByRound(section: SectionResult, contender: string, connections: number): number[] {
  const of = (name: string) => section.latency.filter((m) => m.contender === name && m.connections === connections);
  return sameRoundRatios(of(contender), of(DIRECT), (m) => m.p50);
}

/** The measurement of a contender's round with the least gateway CPU time per request. */
export function lowestCpu(section: SectionResult, contender: string, query: string): Measurement | undefined {
  return section.measurements.filter((m) => m.contender === contender && m.query === query).reduce<Measurement | undefined>((a, b) => (a === undefined || b.gatewayCpuMs < a.gatewayCpuMs ? b : a), undefined);
}

/** A contender's gateway CPU time per request against a baseline's, round by round. */
export function cpuRatiosByRound(section: SectionResult, contender: string, query: string, baseline: string): number[] {
  const of = (name: string) => section.measurements.filter((m) => m.contender === name && m.query === query);
  return sameRoundRatios(of(contender), of(baseline), (m) => m.gatewayCpuMs);
}

/** What a contender adds to the department's own p50 at `connections` clients, in ms, round by round. */
export function addedLatencyByRound(section: SectionResult, contender: string, connections: number): Array<{ round: number; addedMs: number }> {
  const of = (name: string) => section.latency.filter((m) => m.contender === name && m.connections === connections);
  const direct = of(DIRECT);
  return of(contender).flatMap((m) => {
    const base = direct.find((d) => d.round === m.round);
    return base === undefined ? [] : [{ round: m.round, addedMs: m.p50 - base.p50 }];
  });
}

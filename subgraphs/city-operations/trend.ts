/**
 * The one screen's last 24 hours, hour by hour in China Standard Time: how many events were open and how
 * many overdue at the end of each hour (the current hour: now). China keeps no daylight saving time, so its
 * hours start when UTC hours do.
 */
import type { EventSummary, TrendDispatch } from './store';

export interface HourCount {
  /** The hour's start, written in China Standard Time. */
  hour: string;
  open: number;
  overdue: number;
}

const HOUR_MS = 3_600_000;
export const TREND_HOURS = 24;

const chinaTime = (ms: number) => `${new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 19)}+08:00`;

const unresolvedAt = (resolvedAt: string | null, at: number) => resolvedAt === null || Date.parse(resolvedAt) > at;

export function hourlyTrend(events: readonly EventSummary[], dispatches: readonly TrendDispatch[], now: number): HourCount[] {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  return Array.from({ length: TREND_HOURS }, (_, i) => {
    const start = currentHour - (TREND_HOURS - 1 - i) * HOUR_MS;
    const at = Math.min(start + HOUR_MS, now);
    const open = events.filter((e) => Date.parse(e.reportedAt) <= at && unresolvedAt(e.resolvedAt, at)).length;
    const overdue = new Set(
      dispatches.filter((d) => Date.parse(d.dispatchedAt) <= at && Date.parse(d.deadline) < at && unresolvedAt(d.resolvedAt, at)).map((d) => d.eventId),
    ).size;
    return { hour: chinaTime(start), open, overdue };
  });
}

/** Where the trend's dispatches start: anything resolved before the first hour cannot count in it. */
export function trendSince(now: number): string {
  return chinaTime(Math.floor(now / HOUR_MS) * HOUR_MS - (TREND_HOURS - 1) * HOUR_MS);
}

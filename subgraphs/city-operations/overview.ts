/**
 * The one screen 一屏 of a region: counts by category and grid, the vital signs, active alerts, the latest
 * events — and the alert rule: an indicator that crosses its threshold raises an alert; one that falls
 * back below clears it.
 */
import { computeIndicators, type IndicatorInputs, type IndicatorValue } from './indicators';
import type { CityOperationsStore, DispatchRow, EventSummary, OpenDispatch } from './store';
import { hourlyTrend, trendSince } from './trend';

const OPEN = new Set(['REPORTED', 'DISPATCHED', 'IN_PROGRESS']);
const LATEST_EVENTS = 10;
/** A grid with more overdue events than this needs the centre's attention: the one screen outlines it. */
export const GRID_OVERDUE_THRESHOLD = 4;

export function isOverdue(dispatch: Pick<DispatchRow, 'status' | 'deadline'>, now: number): boolean {
  return dispatch.status !== 'RESOLVED' && Date.parse(dispatch.deadline) < now;
}

type RegionIndicator = IndicatorValue & { regionCode: string };

function regionIndicators(regionPrefix: string, inputs: IndicatorInputs): RegionIndicator[] {
  return computeIndicators(inputs).map((i) => ({ ...i, regionCode: regionPrefix.padEnd(6, '0') }));
}

/** What the vital signs (and the one screen's counts) are computed from, read once for the region. */
interface RegionReading extends IndicatorInputs {
  events: EventSummary[];
  openDispatches: OpenDispatch[];
}

async function readRegion(store: CityOperationsStore, regionPrefix: string, now: number): Promise<RegionReading> {
  const [events, openDispatches, residents] = await Promise.all([
    store.eventSummariesInRegion(regionPrefix),
    store.openDispatchesInRegion(regionPrefix),
    store.residentsIn(regionPrefix),
  ]);
  return { now, events, openDispatches, residents };
}

export async function indicatorsOf(store: CityOperationsStore, regionPrefix: string, now = Date.now()): Promise<RegionIndicator[]> {
  return regionIndicators(regionPrefix, await readRegion(store, regionPrefix, now));
}

/** Raises or clears the alerts of a district after a change there. */
export async function reviewAlerts(store: CityOperationsStore, regionCode: string): Promise<void> {
  const now = new Date();
  const [indicators, active] = await Promise.all([indicatorsOf(store, regionCode, now.getTime()), store.alerts(regionCode, true)]);
  for (const indicator of indicators) {
    const open = active.find((a) => a.regionCode === regionCode && a.indicator === indicator.code);
    if (indicator.alerting && !open) {
      await store.raiseAlert({
        id: `${regionCode}:${indicator.code}:${now.toISOString()}`,
        regionCode,
        indicator: indicator.code,
        value: indicator.value,
        threshold: indicator.threshold,
        raisedAt: now.toISOString(),
        clearedAt: null,
      });
    } else if (!indicator.alerting && open) {
      await store.clearAlert(open.id, now.toISOString());
    }
  }
}

/** The counts and the vital signs come from one read of the region's events and open dispatches. */
export async function operationsOverview(store: CityOperationsStore, regionPrefix: string) {
  const now = Date.now();
  const [region, alerts, latestEvents, trendDispatches] = await Promise.all([
    readRegion(store, regionPrefix, now),
    store.alerts(regionPrefix, true),
    store.latestEventsInRegion(regionPrefix, LATEST_EVENTS),
    store.dispatchesUnresolvedSince(regionPrefix, trendSince(now)),
  ]);
  const { events, openDispatches } = region;
  const overdueEvents = new Set(openDispatches.filter((d) => isOverdue(d, now)).map((d) => d.eventId));
  const tally = <K extends string>(key: (e: EventSummary) => K) => {
    const counts = new Map<K, { open: number; overdue: number; resolved: number }>();
    for (const event of events) {
      const entry = counts.get(key(event)) ?? { open: 0, overdue: 0, resolved: 0 };
      if (OPEN.has(event.status)) entry.open += 1;
      else entry.resolved += 1;
      if (overdueEvents.has(event.id)) entry.overdue += 1;
      counts.set(key(event), entry);
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    regionCode: regionPrefix.padEnd(6, '0'),
    openEvents: events.filter((e) => OPEN.has(e.status)).length,
    overdueEvents: overdueEvents.size,
    resolvedEvents: events.filter((e) => !OPEN.has(e.status)).length,
    byCategory: tally((e) => e.category).map(([category, counts]) => ({ category, ...counts })),
    byGrid: tally((e) => e.gridCode).map(([gridCode, { open, overdue }]) => ({ grid: gridCode, open, overdue, alerting: overdue > GRID_OVERDUE_THRESHOLD })),
    gridOverdueThreshold: GRID_OVERDUE_THRESHOLD,
    trend: hourlyTrend(events, trendDispatches, now),
    indicators: regionIndicators(regionPrefix, region),
    alerts,
    latestEvents,
  };
}

/**
 * 一网统管 in writing: report an event once, dispatch it automatically, let each department accept and
 * resolve its part, close and evaluate. Every change checks the life cycle and the caller's region first.
 */
import { GraphQLError } from 'graphql';
import { outOfReach, withinRegions, type DepartmentContext } from '@govgraph/department-kit';
import { CATEGORIES } from './categories';
import { assertAllowed, statusAfterParts, type EventState } from './lifecycle';
import { reviewAlerts } from './overview';
import type { AlertView, CityEventRow, CityOperationsStore, DispatchRow } from './store';

type Caller = DepartmentContext<unknown, unknown>['caller'];

export interface ReportEventInput {
  category: string;
  source: string;
  gridCode: string;
  description: string;
  enterprise?: string | null;
  reporterPhone?: string | null;
}

const badInput = (message: string, argument?: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...(argument && { argument }) } });

const inRegion = (caller: Caller, regionCode: string) => withinRegions(regionCode, caller.regions ?? []);

/** China Standard Time, like every other time the department keeps. */
function nowInChina(offsetHours = 0): string {
  return `${new Date(Date.now() + (8 + offsetHours) * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

async function loadEvent(store: CityOperationsStore, caller: Caller, id: string): Promise<{ event: CityEventRow; dispatches: DispatchRow[]; state: EventState }> {
  const [event] = await store.eventsById([id]);
  if (!event || !inRegion(caller, event.regionCode)) throw outOfReach('city event', id, 'eventId');
  const dispatches = await store.dispatchesOf([id]);
  return { event, dispatches, state: { status: event.status, evaluated: event.rating !== null, dispatches } };
}

export async function reportEvent(store: CityOperationsStore, caller: Caller, input: ReportEventInput): Promise<CityEventRow> {
  const rule = CATEGORIES[input.category];
  if (!rule) throw badInput(`Unknown category ${input.category}.`, 'input');
  const description = input.description.trim();
  if (description.length < 4 || description.length > 200) throw badInput('The description must be 4 to 200 characters.', 'input');
  if (input.reporterPhone != null && !/^1[3-9]\d{9}$/.test(input.reporterPhone)) throw badInput('The reporter phone must be a mainland mobile number.', 'input');
  const [grid] = await store.gridsByCode([input.gridCode]);
  if (!grid || !inRegion(caller, grid.regionCode)) throw outOfReach('grid', input.gridCode, 'input');
  // Naming an enterprise is a read of it: held like the grid to the caller's regions, by its registering authority's division (credit code characters 3–8, GB 32100).
  if (input.enterprise != null && !inRegion(caller, input.enterprise.slice(2, 8))) throw outOfReach('enterprise', input.enterprise, 'input');
  const reportedAt = nowInChina();
  const event: CityEventRow = {
    id: await store.nextEventId(reportedAt.slice(0, 10)),
    category: input.category,
    status: 'DISPATCHED',
    source: input.source,
    regionCode: grid.regionCode,
    gridCode: grid.code,
    reportedAt,
    description,
    enterprise: input.enterprise ?? null,
    reporterPhone: input.reporterPhone ?? null,
    resolvedAt: null,
    closedAt: null,
    rating: null,
    evaluation: null,
  };
  const dispatches: DispatchRow[] = rule.departments.map((department) => ({
    eventId: event.id,
    department,
    status: 'DISPATCHED',
    dispatchedAt: reportedAt,
    deadline: nowInChina(rule.deadlineHours),
    acceptedAt: null,
    resolvedAt: null,
  }));
  await store.insert({ grids: [], events: [event], dispatches });
  await reviewAlerts(store, event.regionCode);
  return event;
}

export async function acceptDispatch(store: CityOperationsStore, caller: Caller, eventId: string, department: string): Promise<string> {
  const { event, dispatches, state } = await loadEvent(store, caller, eventId);
  assertAllowed(state, 'ACCEPT_DISPATCH', department);
  await store.updateDispatch(eventId, department, { status: 'ACCEPTED', acceptedAt: nowInChina() });
  const after = dispatches.map((d) => (d.department === department ? { ...d, status: 'ACCEPTED' as const } : d));
  await store.updateEvent(eventId, { status: statusAfterParts(after) });
  await reviewAlerts(store, event.regionCode);
  return eventId;
}

export async function resolvePart(store: CityOperationsStore, caller: Caller, eventId: string, department: string): Promise<string> {
  const { event, dispatches, state } = await loadEvent(store, caller, eventId);
  assertAllowed(state, 'RESOLVE_PART', department);
  const at = nowInChina();
  await store.updateDispatch(eventId, department, { status: 'RESOLVED', resolvedAt: at });
  const after = dispatches.map((d) => (d.department === department ? { ...d, status: 'RESOLVED' as const } : d));
  const status = statusAfterParts(after);
  await store.updateEvent(eventId, { status, ...(status === 'RESOLVED' && { resolvedAt: at }) });
  await reviewAlerts(store, event.regionCode);
  return eventId;
}

export async function closeEvent(store: CityOperationsStore, caller: Caller, eventId: string): Promise<string> {
  const { event, state } = await loadEvent(store, caller, eventId);
  assertAllowed(state, 'CLOSE');
  await store.updateEvent(eventId, { status: 'CLOSED', closedAt: nowInChina() });
  await reviewAlerts(store, event.regionCode);
  return eventId;
}

export async function evaluateEvent(store: CityOperationsStore, caller: Caller, eventId: string, rating: number, comment?: string | null): Promise<string> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badInput('The rating must be a whole number from 1 to 5.', 'rating');
  const { state } = await loadEvent(store, caller, eventId);
  assertAllowed(state, 'EVALUATE');
  await store.updateEvent(eventId, { rating, evaluation: comment ?? null });
  return eventId;
}

/** The centre takes note of an active alert; the first acknowledgement stands (acknowledging again changes nothing). */
export async function acknowledgeAlert(store: CityOperationsStore, caller: Caller, alertId: string): Promise<AlertView> {
  const alert = await store.alertById(alertId);
  if (!alert || !inRegion(caller, alert.regionCode)) throw outOfReach('alert', alertId, 'id');
  if (alert.clearedAt !== null) throw badInput(`The alert was cleared at ${alert.clearedAt}: only an active alert is acknowledged.`, 'id');
  await store.acknowledgeAlert({ alertId, acknowledgedAt: nowInChina(), acknowledgedBy: caller.app });
  return (await store.alertById(alertId))!;
}

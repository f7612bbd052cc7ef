import { DISTRICTS, emptyConnection, narrowRegion, readPage, regionPrefix, toConnection, type DepartmentContext, type DepartmentResolvers, type PageArguments } from '@govgraph/department-kit';
import { GraphQLError } from 'graphql';
import type { CityOperationsLoaders } from './loaders';
import { departmentAssessment } from './assessment';
import { acceptDispatch, acknowledgeAlert, closeEvent, evaluateEvent, reportEvent, resolvePart, type ReportEventInput } from './mutations';
import { indicatorsOf, isOverdue, operationsOverview } from './overview';
import type { CityEventFilter, CityEventRow, CityEventStatus, CityOperationsStore, DispatchRow } from './store';

type Context = DepartmentContext<CityOperationsStore, CityOperationsLoaders>;

/** The region a caller may see within the one it asks for, or null when they do not overlap. */
const regionFor = (regionCode: string, caller: Context['caller']) => narrowRegion(regionPrefix(regionCode), caller.regions);

const DISTRICT_NAMES = new Map(DISTRICTS.map((d) => [d.code, d.name]));
/** A district's name from the national division table; its code where the table does not know it. */
const regionName = (row: { regionCode: string }) => DISTRICT_NAMES.get(row.regionCode) ?? row.regionCode;

const outsideRegion = () => new GraphQLError("Forbidden: that region lies outside the caller's region.", { extensions: { code: 'FORBIDDEN' } });

/** Mutations answer with the event as it is now, not as a loader cached it earlier in the request. */
async function fresh(store: CityOperationsStore, id: string): Promise<CityEventRow> {
  const [event] = await store.eventsById([id]);
  return event!;
}

interface CityEventsArguments extends PageArguments {
  regionCode?: string | null;
  status?: CityEventStatus | null;
}

export const resolvers: DepartmentResolvers<CityOperationsStore, CityOperationsLoaders> = {
  Query: {
    cityEvents: async (_: unknown, args: CityEventsArguments, { store, loaders, caller }: Context) => {
      const page = readPage(args);
      // The caller's region restriction (its contract's, its token's) limits the rows at the source.
      const region = narrowRegion(args.regionCode ? regionPrefix(args.regionCode) : undefined, caller.regions);
      if (region === null) return emptyConnection();
      const filter: CityEventFilter = {
        ...(region && { regionPrefix: region }),
        ...(args.status && { status: args.status }),
      };
      const rows = await store.eventPage(filter, page.afterKey, page.fetch);
      for (const row of rows) loaders.event.prime(row.id, row);
      return toConnection(rows, page, (row) => row.id, () => store.countEvents(filter));
    },
    cityEvent: (_: unknown, args: { id: string }, { loaders }: Context) => loaders.event.load(args.id),
    grids: (_: unknown, args: { regionCode: string }, { store, caller }: Context) => {
      const region = regionFor(args.regionCode, caller);
      return region ? store.gridsInRegion(region) : [];
    },
    indicators: (_: unknown, args: { regionCode: string }, { store, caller }: Context) => {
      const region = regionFor(args.regionCode, caller);
      return region ? indicatorsOf(store, region) : [];
    },
    alerts: (_: unknown, args: { regionCode: string; active?: boolean | null }, { store, caller }: Context) => {
      const region = regionFor(args.regionCode, caller);
      return region ? store.alerts(region, args.active !== false) : [];
    },
    operationsOverview: (_: unknown, args: { regionCode: string }, { store, caller }: Context) => {
      const region = regionFor(args.regionCode, caller);
      if (region === null) throw outsideRegion();
      return operationsOverview(store, region ?? regionPrefix(args.regionCode));
    },
    departmentAssessment: (_: unknown, args: { regionCode: string; from: string; to: string }, { store, caller }: Context) => {
      const region = regionFor(args.regionCode, caller);
      if (region === null) throw outsideRegion();
      return departmentAssessment(store, region ?? regionPrefix(args.regionCode), args.from, args.to);
    },
  },
  Mutation: {
    reportEvent: (_: unknown, args: { input: ReportEventInput }, { store, caller }: Context) => reportEvent(store, caller, args.input),
    acceptDispatch: async (_: unknown, args: { eventId: string; department: string }, { store, caller }: Context) =>
      fresh(store, await acceptDispatch(store, caller, args.eventId, args.department)),
    resolveEvent: async (_: unknown, args: { eventId: string; department: string }, { store, caller }: Context) =>
      fresh(store, await resolvePart(store, caller, args.eventId, args.department)),
    closeEvent: async (_: unknown, args: { eventId: string }, { store, caller }: Context) => fresh(store, await closeEvent(store, caller, args.eventId)),
    evaluateEvent: async (_: unknown, args: { eventId: string; rating: number; comment?: string | null }, { store, caller }: Context) =>
      fresh(store, await evaluateEvent(store, caller, args.eventId, args.rating, args.comment)),
    acknowledgeAlert: (_: unknown, args: { id: string }, { store, caller }: Context) => acknowledgeAlert(store, caller, args.id),
  },
  Alert: { regionName },
  GridCount: {
    grid: (count: { grid: string }, _: unknown, { loaders }: Context) => loaders.grid.load(count.grid),
  },
  Dispatch: {
    overdue: (dispatch: DispatchRow) => isOverdue(dispatch, Date.now()),
  },
  CityEvent: {
    __resolveReference: (reference: { id: string }, { loaders }: Context) => loaders.event.load(reference.id),
    grid: (event: CityEventRow, _: unknown, { loaders }: Context) => loaders.grid.load(event.gridCode),
    enterprise: (event: CityEventRow) => (event.enterprise ? { creditCode: event.enterprise } : null),
    dispatches: (event: CityEventRow, _: unknown, { loaders }: Context) => loaders.dispatches.load(event.id),
    overdue: async (event: CityEventRow, _: unknown, { loaders }: Context) => (await loaders.dispatches.load(event.id)).some((d) => isOverdue(d, Date.now())),
  },
  Grid: {
    __resolveReference: (reference: { code: string }, { loaders }: Context) => loaders.grid.load(reference.code),
    regionName,
  },
  Enterprise: {
    cityEvents: (enterprise: { creditCode: string }, _: unknown, { loaders }: Context) => loaders.eventsOfEnterprise.load(enterprise.creditCode),
  },
};

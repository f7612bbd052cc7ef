/** City operations' own database: grids, events and their dispatches. */
import type { Kysely } from 'kysely';
import { insertInBatches, regionRange, storeLifecycle, type DepartmentStore, type StoreTables } from '@govgraph/department-kit';

export type CityEventStatus = 'REPORTED' | 'DISPATCHED' | 'IN_PROGRESS' | 'RESOLVED' | 'CLOSED';

export interface GridRow {
  code: string;
  name: string;
  regionCode: string;
}

export interface CityEventRow {
  id: string;
  category: string;
  status: CityEventStatus;
  source: string;
  regionCode: string;
  gridCode: string;
  reportedAt: string;
  description: string;
  enterprise: string | null;
  reporterPhone: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  rating: number | null;
  evaluation: string | null;
}

export interface DispatchRow {
  eventId: string;
  department: string;
  status: 'DISPATCHED' | 'ACCEPTED' | 'RESOLVED';
  dispatchedAt: string;
  deadline: string;
  acceptedAt: string | null;
  resolvedAt: string | null;
}

/** What the one screen counts of an event; the latest events are read whole, apart. */
export type EventSummary = Pick<CityEventRow, 'id' | 'category' | 'status' | 'gridCode' | 'reportedAt' | 'resolvedAt'>;

/** What the one screen needs of an unresolved dispatch. */
export type OpenDispatch = Pick<DispatchRow, 'eventId' | 'status' | 'deadline'>;

export interface ResidentsRow {
  regionCode: string;
  residents: number;
}

export interface AlertRow {
  id: string;
  regionCode: string;
  indicator: string;
  value: number;
  threshold: number;
  raisedAt: string;
  clearedAt: string | null;
}

/** Who at the centre took note of an alert, and when: kept apart so the alert itself stays as raised. */
export interface AlertAcknowledgementRow {
  alertId: string;
  acknowledgedAt: string;
  acknowledgedBy: string;
}

/** An alert as the one screen reads it: with its acknowledgement, if any. */
export type AlertView = AlertRow & { acknowledgedAt: string | null; acknowledgedBy: string | null };

/** A dispatch with the rating of its event, as the department assessment reads it. */
export type AssessedDispatch = Pick<DispatchRow, 'department' | 'dispatchedAt' | 'deadline' | 'resolvedAt'> & { rating: number | null };

/** What the hourly trend needs of a dispatch that was unresolved at some time in the window. */
export type TrendDispatch = Pick<DispatchRow, 'eventId' | 'dispatchedAt' | 'deadline' | 'resolvedAt'>;

export interface CityOperationsDatabase {
  grid: GridRow;
  cityEvent: CityEventRow;
  dispatch: DispatchRow;
  residents: ResidentsRow;
  alert: AlertRow;
  alertAcknowledgement: AlertAcknowledgementRow;
}

export interface CityEventFilter {
  regionPrefix?: string;
  status?: CityEventStatus;
}

export interface CityOperationsStore extends DepartmentStore {
  gridsByCode(codes: readonly string[]): Promise<GridRow[]>;
  gridsInRegion(regionPrefix: string): Promise<GridRow[]>;
  eventsById(ids: readonly string[]): Promise<CityEventRow[]>;
  eventsOfEnterprises(codes: readonly string[]): Promise<CityEventRow[]>;
  eventPage(filter: CityEventFilter, afterId: string | undefined, limit: number): Promise<CityEventRow[]>;
  countEvents(filter: CityEventFilter): Promise<number>;
  dispatchesOf(eventIds: readonly string[]): Promise<DispatchRow[]>;
  insert(rows: { grids: GridRow[]; events: CityEventRow[]; dispatches: DispatchRow[]; residents?: ResidentsRow[] }): Promise<void>;
  /** The next free event id of a day: E + YYYYMMDD + six digits. */
  nextEventId(day: string): Promise<string>;
  updateEvent(id: string, changes: Partial<Pick<CityEventRow, 'status' | 'resolvedAt' | 'closedAt' | 'rating' | 'evaluation'>>): Promise<void>;
  updateDispatch(eventId: string, department: string, changes: Partial<Pick<DispatchRow, 'status' | 'acceptedAt' | 'resolvedAt'>>): Promise<void>;
  eventSummariesInRegion(regionPrefix: string): Promise<EventSummary[]>;
  latestEventsInRegion(regionPrefix: string, limit: number): Promise<CityEventRow[]>;
  openDispatchesInRegion(regionPrefix: string): Promise<OpenDispatch[]>;
  residentsIn(regionPrefix: string): Promise<number>;
  alerts(regionPrefix: string, activeOnly: boolean): Promise<AlertView[]>;
  alertById(id: string): Promise<AlertView | undefined>;
  raiseAlert(alert: AlertRow): Promise<void>;
  clearAlert(id: string, at: string): Promise<void>;
  acknowledgeAlert(acknowledgement: AlertAcknowledgementRow): Promise<void>;
  /** Dispatches sent to departments of the region from `from` (inclusive) to `until` (exclusive), both China times. */
  dispatchesReceived(regionPrefix: string, from: string, until: string): Promise<AssessedDispatch[]>;
  /** Dispatches of the region unresolved at some moment since `since`: never resolved, or resolved after it. */
  dispatchesUnresolvedSince(regionPrefix: string, since: string): Promise<TrendDispatch[]>;
}

const TABLES: StoreTables<CityOperationsDatabase> = {
  seededBy: 'cityEvent',
  tables: {
    grid: {
      columns: (table) =>
        table
          .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(64)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull()),
    },
    cityEvent: {
      columns: (table) =>
        table
          .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
          .addColumn('category', 'varchar(24)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('source', 'varchar(16)', (c) => c.notNull())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
          .addColumn('gridCode', 'varchar(12)', (c) => c.notNull())
          .addColumn('reportedAt', 'varchar(32)', (c) => c.notNull())
          .addColumn('description', 'varchar(256)', (c) => c.notNull())
          .addColumn('enterprise', 'varchar(18)')
          .addColumn('reporterPhone', 'varchar(11)')
          .addColumn('resolvedAt', 'varchar(32)')
          .addColumn('closedAt', 'varchar(32)')
          .addColumn('rating', 'integer')
          .addColumn('evaluation', 'varchar(256)'),
      indexes: {
        city_event_enterprise: (index) => index.column('enterprise'),
        city_event_region: (index) => index.columns(['regionCode', 'id']),
      },
    },
    dispatch: {
      columns: (table) =>
        table
          .addColumn('eventId', 'varchar(24)', (c) => c.notNull())
          .addColumn('department', 'varchar(32)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('dispatchedAt', 'varchar(32)', (c) => c.notNull())
          .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
          .addColumn('acceptedAt', 'varchar(32)')
          .addColumn('resolvedAt', 'varchar(32)')
          .addPrimaryKeyConstraint('dispatch_pk', ['eventId', 'department']),
    },
    residents: {
      columns: (table) =>
        table
          .addColumn('regionCode', 'varchar(6)', (c) => c.primaryKey())
          .addColumn('residents', 'integer', (c) => c.notNull()),
    },
    alert: {
      columns: (table) =>
        table
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
          .addColumn('indicator', 'varchar(32)', (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addColumn('threshold', 'double precision', (c) => c.notNull())
          .addColumn('raisedAt', 'varchar(32)', (c) => c.notNull())
          .addColumn('clearedAt', 'varchar(32)'),
    },
    alertAcknowledgement: {
      columns: (table) =>
        table
          .addColumn('alertId', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('acknowledgedAt', 'varchar(32)', (c) => c.notNull())
          .addColumn('acknowledgedBy', 'varchar(64)', (c) => c.notNull()),
    },
  },
};

export function createCityOperationsStore(db: Kysely<CityOperationsDatabase>): CityOperationsStore {
  const filtered = (filter: CityEventFilter) => {
    let query = db.selectFrom('cityEvent');
    if (filter.regionPrefix) {
      const [low, high] = regionRange(filter.regionPrefix);
      query = query.where('regionCode', '>=', low).where('regionCode', '<=', high);
    }
    if (filter.status) query = query.where('status', '=', filter.status);
    return query;
  };

  const alertViews = () =>
    db
      .selectFrom('alert')
      .leftJoin('alertAcknowledgement', 'alertAcknowledgement.alertId', 'alert.id')
      .selectAll('alert')
      .select(['alertAcknowledgement.acknowledgedAt', 'alertAcknowledgement.acknowledgedBy']);
  const dispatchesInRegion = (prefix: string) => {
    const [low, high] = regionRange(prefix);
    return db.selectFrom('dispatch').innerJoin('cityEvent', 'cityEvent.id', 'dispatch.eventId').where('cityEvent.regionCode', '>=', low).where('cityEvent.regionCode', '<=', high);
  };

  return {
    ...storeLifecycle(db, TABLES),
    gridsByCode(codes) {
      return db.selectFrom('grid').selectAll().where('code', 'in', [...codes]).execute();
    },
    gridsInRegion(prefix) {
      const [low, high] = regionRange(prefix);
      return db.selectFrom('grid').selectAll().where('regionCode', '>=', low).where('regionCode', '<=', high).orderBy('code').execute();
    },
    eventsById(ids) {
      return db.selectFrom('cityEvent').selectAll().where('id', 'in', [...ids]).execute();
    },
    eventsOfEnterprises(codes) {
      return db.selectFrom('cityEvent').selectAll().where('enterprise', 'in', [...codes]).orderBy('id', 'desc').execute();
    },
    eventPage(filter, afterId, limit) {
      let query = filtered(filter).selectAll();
      if (afterId !== undefined) query = query.where('id', '<', afterId);
      return query.orderBy('id', 'desc').limit(limit).execute();
    },
    async countEvents(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
      return Number(row.count);
    },
    dispatchesOf(eventIds) {
      return db.selectFrom('dispatch').selectAll().where('eventId', 'in', [...eventIds]).orderBy('dispatchedAt').execute();
    },
    async insert(rows) {
      await insertInBatches(db, 'grid', rows.grids);
      await insertInBatches(db, 'cityEvent', rows.events);
      await insertInBatches(db, 'dispatch', rows.dispatches);
      await insertInBatches(db, 'residents', rows.residents ?? []);
    },
    async nextEventId(day) {
      const prefix = `E${day.replaceAll('-', '')}`;
      const last = await db.selectFrom('cityEvent').select('id').where('id', '>=', `${prefix}000000`).where('id', '<=', `${prefix}999999`).orderBy('id', 'desc').limit(1).executeTakeFirst();
      return `${prefix}${String(Number(last?.id.slice(9) ?? 0) + 1).padStart(6, '0')}`;
    },
    async updateEvent(id, changes) {
      await db.updateTable('cityEvent').set(changes).where('id', '=', id).execute();
    },
    async updateDispatch(eventId, department, changes) {
      await db.updateTable('dispatch').set(changes).where('eventId', '=', eventId).where('department', '=', department).execute();
    },
    eventSummariesInRegion(prefix) {
      return filtered({ regionPrefix: prefix }).select(['id', 'category', 'status', 'gridCode', 'reportedAt', 'resolvedAt']).execute();
    },
    latestEventsInRegion(prefix, limit) {
      return filtered({ regionPrefix: prefix }).selectAll().orderBy('reportedAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
    },
    openDispatchesInRegion(prefix) {
      return dispatchesInRegion(prefix).select(['dispatch.eventId', 'dispatch.status', 'dispatch.deadline']).where('dispatch.status', '!=', 'RESOLVED').execute();
    },
    async residentsIn(prefix) {
      const [low, high] = regionRange(prefix);
      const row = await db.selectFrom('residents').select((eb) => eb.fn.sum<number>('residents').as('total')).where('regionCode', '>=', low).where('regionCode', '<=', high).executeTakeFirst();
      return Number(row?.total ?? 0);
    },
    alerts(prefix, activeOnly) {
      const [low, high] = regionRange(prefix);
      let query = alertViews().where('alert.regionCode', '>=', low).where('alert.regionCode', '<=', high);
      if (activeOnly) query = query.where('alert.clearedAt', 'is', null);
      return query.orderBy('alert.raisedAt', 'desc').execute();
    },
    alertById(id) {
      return alertViews().where('alert.id', '=', id).executeTakeFirst();
    },
    async raiseAlert(alert) {
      await db.insertInto('alert').values(alert).execute();
    },
    async clearAlert(id, at) {
      await db.updateTable('alert').set({ clearedAt: at }).where('id', '=', id).execute();
    },
    async acknowledgeAlert(acknowledgement) {
      // The first acknowledgement stands: a second operator's click changes nothing.
      await db.insertInto('alertAcknowledgement').values(acknowledgement).onConflict((c) => c.column('alertId').doNothing()).execute();
    },
    dispatchesReceived(prefix, from, until) {
      return dispatchesInRegion(prefix)
        .select(['dispatch.department', 'dispatch.dispatchedAt', 'dispatch.deadline', 'dispatch.resolvedAt', 'cityEvent.rating'])
        .where('dispatch.dispatchedAt', '>=', from)
        .where('dispatch.dispatchedAt', '<', until)
        .execute();
    },
    dispatchesUnresolvedSince(prefix, since) {
      return dispatchesInRegion(prefix)
        .select(['dispatch.eventId', 'dispatch.dispatchedAt', 'dispatch.deadline', 'dispatch.resolvedAt'])
        .where((eb) => eb.or([eb('dispatch.resolvedAt', 'is', null), eb('dispatch.resolvedAt', '>=', since)]))
        .execute();
    },
  };
}

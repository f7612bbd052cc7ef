/** City operations' own database: grids, events and their dispatches. */
import type { Kysely } from 'kysely';
import { insertInBatches, regionRange } from '../kit/database';
import type { DepartmentStore } from '../kit/department';

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
}

export interface DispatchRow {
  eventId: string;
  department: string;
  dispatchedAt: string;
  deadline: string;
}

export interface CityOperationsDatabase {
  grid: GridRow;
  cityEvent: CityEventRow;
  dispatch: DispatchRow;
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
  insert(rows: { grids: GridRow[]; events: CityEventRow[]; dispatches: DispatchRow[] }): Promise<void>;
}

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

  return {
    async migrate() {
      await db.schema
        .createTable('grid')
        .ifNotExists()
        .addColumn('code', 'varchar(12)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(64)', (c) => c.notNull())
        .addColumn('regionCode', 'varchar(6)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cityEvent')
        .ifNotExists()
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
        .execute();
      await db.schema.createIndex('city_event_enterprise').ifNotExists().on('cityEvent').column('enterprise').execute();
      await db.schema.createIndex('city_event_region').ifNotExists().on('cityEvent').columns(['regionCode', 'id']).execute();
      await db.schema
        .createTable('dispatch')
        .ifNotExists()
        .addColumn('eventId', 'varchar(24)', (c) => c.notNull())
        .addColumn('department', 'varchar(32)', (c) => c.notNull())
        .addColumn('dispatchedAt', 'varchar(32)', (c) => c.notNull())
        .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dispatch_event').ifNotExists().on('dispatch').column('eventId').execute();
    },
    async isEmpty() {
      return (await db.selectFrom('cityEvent').select('id').limit(1).execute()).length === 0;
    },
    async drop() {
      for (const table of ['dispatch', 'cityEvent', 'grid'] as const) await db.schema.dropTable(table).ifExists().execute();
    },
    async ping() {
      await db.selectFrom('grid').select('code').limit(1).execute();
    },
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
    },
  };
}

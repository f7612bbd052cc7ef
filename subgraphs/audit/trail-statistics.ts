/**
 * Counts over a time range of the trail, for the auditors' charts: accesses per app and Beijing day, denials by
 * reason, top purposes. Each request counts once: by its own record, not the records of the reads it
 * caused (those name it as parent).
 */
import { sql, type Kysely } from 'kysely';
import type { AuditDatabase, AuditLocation } from '../../audit/audit-database';

export interface TrailStatistics {
  accessesPerAppDay: Array<{ app: string; day: string; count: number }>;
  denialsByReason: Array<{ reason: string; count: number }>;
  topPurposes: Array<{ purpose: string; count: number }>;
}

export interface StatisticsRange {
  from: string;
  to: string;
  app?: string;
}

const TOP_PURPOSES = 10;
const UNKNOWN_APP = '(unauthenticated)';

/**
 * The Beijing day (Asia/Shanghai, UTC+8 all year) of a record's time, an ISO 8601 UTC string: a request in
 * the small hours of a Beijing day counts on that day, not the one before.
 */
function beijingDay(kind: AuditLocation['kind']) {
  const time = sql.ref('time');
  return kind === 'postgres' ? sql<string>`to_char((${time})::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')` : sql<string>`substr(datetime(${time}, '+8 hours'), 1, 10)`;
}

export async function trailStatistics(db: Kysely<AuditDatabase>, kind: AuditLocation['kind'], range: StatisticsRange): Promise<TrailStatistics> {
  const inRange = () => {
    const query = db.selectFrom('auditRecord').where('parentRequestId', 'is', null).where('time', '>=', range.from).where('time', '<=', range.to);
    return range.app ? query.where('app', '=', range.app) : query;
  };
  const day = beijingDay(kind);
  const perAppDay = await inRange()
    .select((eb) => ['app', day.as('day'), eb.fn.countAll().as('count')])
    .groupBy(['app', day])
    .orderBy('day')
    .orderBy('app')
    .execute();
  const denied = await inRange().where('decision', '!=', 'PERMIT').select(['decision', 'errorCodes']).execute();
  const reasons = new Map<string, number>();
  for (const row of denied) {
    const codes = JSON.parse(row.errorCodes) as string[];
    for (const reason of codes.length > 0 ? new Set(codes) : [row.decision]) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const purposes = await inRange()
    .where('purpose', 'is not', null)
    .select((eb) => ['purpose', eb.fn.countAll().as('count')])
    .groupBy('purpose')
    .orderBy('count', 'desc')
    .limit(TOP_PURPOSES)
    .execute();
  return {
    accessesPerAppDay: perAppDay.map((row) => ({ app: row.app ?? UNKNOWN_APP, day: row.day, count: Number(row.count) })),
    denialsByReason: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    topPurposes: purposes.map((row) => ({ purpose: row.purpose ?? '', count: Number(row.count) })),
  };
}

/**
 * Records against answers: which requests of a run the shared audit chain holds, matched by request id
 * (the gateway mints one per request and answers with it in X-Request-Id).
 */
import type { AuditStore } from '../../audit/audit-store';

/** The seq of the chain's last record (0 when empty). */
export async function lastSeq(store: AuditStore): Promise<number> {
  const row = await store.db.selectFrom('auditRecord').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** How many records each request of `app` has after record `afterSeq`. */
export async function recordsByRequest(store: AuditStore, app: string, afterSeq: number): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('auditRecord')
    .select((eb) => ['requestId', eb.fn.countAll().as('records')])
    .where('app', '=', app)
    .where('seq', '>', afterSeq)
    .groupBy('requestId')
    .execute();
  return new Map(rows.map((row) => [row.requestId, Number(row.records)]));
}

export interface RecordMatch {
  /** Records of the run in the chain. */
  records: number;
  /** Answered requests with exactly one record. */
  answeredOnce: number;
  /** Answered requests with no record, or with more than one: each is a fault. */
  answeredWithout: string[];
  answeredTwice: string[];
  /** Records of requests whose callers got no answer (a replica killed after writing the record). */
  withoutAnswer: number;
}

export function matchRecords(answered: readonly string[], records: ReadonlyMap<string, number>): RecordMatch {
  const answeredIds = new Set(answered);
  return {
    records: [...records.values()].reduce((sum, n) => sum + n, 0),
    answeredOnce: answered.filter((id) => records.get(id) === 1).length,
    answeredWithout: answered.filter((id) => !records.has(id)),
    answeredTwice: answered.filter((id) => (records.get(id) ?? 0) > 1),
    withoutAnswer: [...records].filter(([id]) => !answeredIds.has(id)).reduce((sum, [, n]) => sum + n, 0),
  };
}

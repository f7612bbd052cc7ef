/**
 * `npm run audit -- access-log`: a department's own access log, read-only from the database the department
 * keeps it in (the launcher's: its own PostgreSQL URL, else its SQLite file under the data dir), oldest
 * first. Beside the gateway's trail, each line says whether the trail holds its request id: a department
 * read the trail does not know came from a token signed outside the gateway (a leaked key) or a faulty gateway.
 */
import { existsSync } from 'node:fs';
import type { AuditStore } from '../audit/audit-store';
import { ACCESS_LOG_DECISIONS, createAccessLog, type AccessLogDecision, type AccessLogFilter } from '../subgraphs/kit/access-log';
import { openDatabase } from '../subgraphs/kit/database';
import { departmentDatabase } from './department-database';
import { departments, unknownDepartment } from './departments';
import type { ScriptEnvironment } from './script-environment';

const PAGE = 1000;
/**
 * How far apart in time a department's line and the gateway's record of the same request can be: a gateway
 * token lives a minute and requests time out well within this; the margin only bounds the trail search.
 */
const TRAIL_MARGIN_MS = 3_600_000;

const shifted = (time: string, ms: number) => new Date(Date.parse(time) + ms).toISOString();

export function accessLogDecision(value: string | undefined): AccessLogDecision | undefined {
  if (value === undefined) return undefined;
  const decision = ACCESS_LOG_DECISIONS.find((d) => d === value.toUpperCase());
  if (!decision) throw new Error(`--decision must be one of ${ACCESS_LOG_DECISIONS.join(', ')}`);
  return decision;
}

export interface PrintedAccessLog {
  lines: number;
  /** Lines older than a pruned trail's oldest record: their `inTrail: false` proves nothing. */
  beforeTrail: number;
}

/** Writes the department's matching lines as JSON lines, each with `inTrail` when a trail is given. */
export async function printAccessLog(
  env: ScriptEnvironment,
  department: string,
  filter: AccessLogFilter,
  trail: AuditStore | undefined,
  write: (text: string) => void,
): Promise<PrintedAccessLog> {
  if (!departments().some((d) => d.name === department)) throw new Error(unknownDepartment(department));
  const location = departmentDatabase(env, department);
  if (location.kind === 'sqlite' && !existsSync(location.file)) throw new Error(`${department} has no database at ${location.file} (DATA_DIR is ${env.dataDir})`);
  const db = openDatabase<unknown>({ location, readOnly: true });
  try {
    if (!(await db.introspection.getTables()).some((t) => t.name === 'departmentAccessLog')) throw new Error(`the ${department} database holds no access log`);
    const log = createAccessLog(db);
    const oldest = trail && (await trail.recordsAfter(0, 1))[0];
    // The trail starts at record 1 unless older records were pruned: lines from before that cannot be judged.
    const prunedBefore = oldest && oldest.seq > 1 ? oldest.time : undefined;
    const printed: PrintedAccessLog = { lines: 0, beforeTrail: 0 };
    let last = 0;
    for (let page = await log.read(filter, last, PAGE); page.length > 0; page = await log.read(filter, last, PAGE)) {
      const times = page.map((l) => l.time).sort();
      const known = trail && (await trail.requestIdsIn(page.map((l) => l.requestId), shifted(times[0]!, -TRAIL_MARGIN_MS), shifted(times.at(-1)!, TRAIL_MARGIN_MS)));
      write(`${page.map((line) => JSON.stringify(known ? { ...line, inTrail: known.has(line.requestId) } : line)).join('\n')}\n`);
      printed.lines += page.length;
      if (prunedBefore) printed.beforeTrail += page.filter((l) => l.time < prunedBefore).length;
      last = page[page.length - 1]!.seq;
    }
    return printed;
  } finally {
    await db.destroy();
  }
}

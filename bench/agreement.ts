/**
 * Before (and after) anything is measured, every contender must answer each query with the same data and
 * no error: a gateway that answered faster by answering less, or wrong, would make its figures meaningless.
 * Throws, naming the query, the contenders and the first place where their answers differ.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Started } from './processes';

export interface BenchQuery {
  name: string;
  query: string;
  /** Also measured at the department itself. */
  direct?: boolean;
}

/** The query mix by name, as the report and the targets (bench/targets.ts) refer to them. */
export const QUERY = {
  lookup: 'single-department lookup',
  profile: 'three-department person profile',
  page: '100 enterprises with representatives and licences',
  screen: 'one-screen city overview',
} as const;

/** The queries as the benchmark sends them: the fixed-plan proxy recognises each by its text. */
export const PAGE_QUERY = '{ enterprises(first: 100) { nodes { creditCode name status legalRepresentative { name phone } licences { kind number validUntil } } } }';
export const SCREEN_QUERY = '{ operationsOverview(regionCode: "440100") { openEvents overdueEvents byCategory { category open overdue } indicators { code value alerting } latestEvents { id category grid { name } } } }';

export function profileQuery(idNumber: string): string {
  return `{ person(idNumber: "${idNumber}") { name gender household { address } maritalStatus marriages { kind spouse { name } } enterprises { name status } applications { id status } } }`;
}

/** A department's own token, good for one request: what a client of the department itself must sign each time. */
export interface DepartmentSigning {
  signingKeyFile: string;
  app: string;
  purpose: string;
  department: string;
}

/** Where a query is sent: a gateway, or the department itself; headers are asked for per use (tokens expire). */
export interface Target {
  name: string;
  url: string;
  headers(): Promise<Record<string, string>>;
  /** Set when the headers are good for one request only (the department's own token): each needs new ones. */
  signsEachRequest?: DepartmentSigning;
  /** The gateway's process tree; none when the target is a department itself. */
  started?: Started;
}

export async function post(url: string, headers: Record<string, string>, query: string): Promise<{ status: number; body: { data?: unknown; errors?: unknown[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

/** The first path at which two JSON values differ, e.g. `enterprises.nodes[3].name`. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path} (${a.length} against ${b.length} items)`;
    const i = a.findIndex((item, n) => !isDeepStrictEqual(item, b[n]));
    return firstDifference(a[i], b[i], `${path}[${i}]`);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    const key = [...keys].find((k) => !isDeepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))!;
    return firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
  }
  return `${path}: ${JSON.stringify(a)} against ${JSON.stringify(b)}`;
}

/** The references measured beside the gateways: the department itself (for the lookup), the fixed-plan proxy (every query). */
export interface References {
  direct: Target;
  fixedPlan?: Target;
}

export function targetsFor(q: BenchQuery, contenders: readonly Target[], references: References): Target[] {
  return [...contenders, ...(q.direct ? [references.direct] : []), ...(references.fixedPlan ? [references.fixedPlan] : [])];
}

/** The targets in the order of a round: each round starts with the next one, so that none is always first. */
export function inTurn<T>(targets: readonly T[], round: number): T[] {
  return targets.map((_, i) => targets[(i + round - 1) % targets.length]!);
}

/** Each contender answers each query twice (with workers, likely from two of them); all answers must agree. */
export async function checkAgreement(queries: readonly BenchQuery[], contenders: readonly Target[], references: References): Promise<void> {
  for (const q of queries) {
    let reference: { name: string; data: unknown } | undefined;
    for (const contender of targetsFor(q, contenders, references)) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const { status, body } = await post(contender.url, await contender.headers(), q.query);
        if (status !== 200 || body.errors !== undefined || body.data == null) {
          throw new Error(`${contender.name} did not answer "${q.name}" cleanly: HTTP ${status} ${JSON.stringify(body).slice(0, 500)}`);
        }
        reference ??= { name: contender.name, data: body.data };
        if (!isDeepStrictEqual(body.data, reference.data)) {
          throw new Error(`"${q.name}": ${contender.name} and ${reference.name} disagree at ${firstDifference(body.data, reference.data)}`);
        }
      }
    }
  }
}

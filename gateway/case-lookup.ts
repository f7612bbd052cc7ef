/**
 * Resolves the case a request names (X-Case-Id) through the graph itself, as the platform's own app under
 * its own contract (platform.yaml `cases`), so the gateway never reaches into a department and the
 * lookup is subject to the same rules as any reader.
 */
import type { Caller } from '../contracts/caller';
import type { Platform } from '../contracts/platform-schema';
import type { CaseInfo } from './row-rules';

/** Runs an operation as the platform's own app; its record names the request it serves as parent. */
export type RunOperation = (query: string, variables: Record<string, unknown>, caller: Omit<Caller, 'requestId'>, parentRequestId: string) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly unknown[] }>;

/** The case, or why it cannot open anything. */
export type CaseLookup = (caller: Caller) => Promise<CaseInfo | string>;

function collect(value: unknown, keys: ReadonlySet<string>, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, keys, into);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [name, child] of Object.entries(value)) {
    if (keys.has(name) && typeof child === 'string') into.add(child);
    else collect(child, keys, into);
  }
}

export function createCaseLookup(platform: Platform, run: RunOperation): CaseLookup {
  const cases = platform.cases;
  const subjectKeys = new Set(Object.values(platform.subjectKeys));
  return async (caller) => {
    if (!cases) return 'this deployment defines no cases';
    if (!caller.caseId) return 'no case was named';
    const result = await run(cases.query, { id: caller.caseId }, { app: cases.app, purpose: cases.purpose }, caller.requestId);
    const found = result.data ? (Object.values(result.data)[0] as Record<string, unknown> | null | undefined) : undefined;
    // A case that does not exist and one that is closed are refused alike: the answer tells an app nothing
    // of cases it may not open.
    const closed = `case ${caller.caseId} is not an open case`;
    if (!found) return result.errors?.length ? `case ${caller.caseId} could not be checked` : closed;
    const status = found[cases.statusField];
    if (typeof status !== 'string' || !cases.openStatuses.includes(status)) return closed;
    const subjects = new Set<string>();
    collect(found, subjectKeys, subjects);
    return { id: caller.caseId, subjects };
  };
}

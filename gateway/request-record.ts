/**
 * Exactly one audit record per request to /graphql, whatever happens to it (MLPS 2.0 level 3 audit;
 * THREATS G25). Each request opens a RequestRecord when it arrives, and everything that records the
 * request — the audit plugin, a mutation's intent — writes through it; the server answers only after
 * recording what nothing else recorded (`unrecordedEntry`): a refusal before GraphQL, Apollo Server's own
 * refusals (CSRF, batching off, wrong method, no query), an unexpected failure. So no path through the
 * server can forget the record, and none writes it twice.
 *
 * The platform's own reads that a request causes (the gateway's case lookup, a department's prefill
 * through the gateway) are records of their own, under their own request id, naming the request that
 * caused them as parent; the statistics count a request once, by the records that have no parent.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuditDecision, AuditEntry } from '../audit/audit-record';
import { PARENT_REQUEST_HEADER, type Caller } from '../contracts/caller';
import type { AuditTrail } from './audit-trail';

export interface RequestRecord {
  readonly requestId: string;
  /** The request that caused this one; absent on a request an app sent of its own accord. */
  readonly parentRequestId: string | undefined;
  /** Who asked, once the app token is verified. */
  readonly caller: Caller | undefined;
  /** Whether a record of this request has been written (or its writing begun: a failed write is not retried). */
  readonly recorded: boolean;
  identify(caller: Caller, parentRequestId?: string): void;
  append(entry: AuditEntry): Promise<void>;
  /** Milliseconds since the request arrived. */
  elapsedMs(): number;
}

export function openRequestRecord(trail: AuditTrail, requestId: string, parentRequestId?: string): RequestRecord {
  const started = process.hrtime.bigint();
  let recorded = false;
  let caller: Caller | undefined;
  let parent = parentRequestId;
  return {
    requestId,
    get parentRequestId() {
      return parent;
    },
    get caller() {
      return caller;
    },
    get recorded() {
      return recorded;
    },
    identify(who, named) {
      caller = who;
      parent = named;
    },
    append(entry) {
      recorded = true;
      return trail.append(entry);
    },
    elapsedMs: () => Number(process.hrtime.bigint() - started) / 1e6,
  };
}

/** A record for a read the platform itself makes because of `parent` (e.g. the case lookup). */
export function childRecord(trail: AuditTrail, parent: string): RequestRecord {
  return openRequestRecord(trail, randomUUID(), parent);
}

/**
 * The records of the requests this gateway process is answering now. A request id names one of them:
 * an id already in use is replaced by a fresh one. A request may name a parent only when it is a
 * department's read during the request that called it: the parent is being answered here and has called
 * the department whose app is asking (a department reads through the gateway as the app named after it,
 * `subgraphs/kit/config.ts`). Any other parent is ignored and the request counted as its own, so no app
 * can hide its requests from the statistics by naming a parent; a read that reaches another gateway
 * process, or a department that reads as an app of another name, is counted as a request of its own
 * (counted twice, never hidden).
 */
export function createRequestRecords(trail: AuditTrail) {
  const inFlight = new Map<string, { record: RequestRecord; called: Set<string> }>();
  return {
    /**
     * A new request's record, under an id the gateway mints: a client's `X-Request-Id` is never taken, so
     * no two requests share an id in the trail and no app can make its request look like another's.
     */
    open(): RequestRecord {
      const record = openRequestRecord(trail, randomUUID());
      inFlight.set(record.requestId, { record, called: new Set() });
      return record;
    },
    /** The request is calling a department (a department call carries its request id). */
    calling(requestId: string, department: string): void {
      inFlight.get(requestId)?.called.add(department);
    },
    /** The caller is known: the record takes it, and the parent the request names if it may name it. */
    identify(record: RequestRecord, caller: Caller, headers: IncomingHttpHeaders): void {
      const named = headers[PARENT_REQUEST_HEADER];
      const parent = typeof named === 'string' ? inFlight.get(named) : undefined;
      const caused = parent !== undefined && parent.record !== record && parent.called.has(caller.app);
      record.identify(caller, caused ? parent.record.requestId : undefined);
    },
    close(record: RequestRecord): void {
      if (inFlight.get(record.requestId)?.record === record) inFlight.delete(record.requestId);
    },
  };
}

const DENIAL_CODES = new Set(['FORBIDDEN', 'PURPOSE_REQUIRED', 'CASE_REQUIRED', 'RATE_LIMITED', 'LIMIT_EXCEEDED', 'AUDIT_UNAVAILABLE']);

/** The decision a refusal's error codes stand for, when no gate decided: never PERMIT. */
export function decisionOfErrors(errorCodes: readonly string[]): AuditDecision {
  if (errorCodes.includes('UNAUTHENTICATED')) return 'UNAUTHENTICATED';
  return errorCodes.some((code) => DENIAL_CODES.has(code)) ? 'DENY' : 'INVALID';
}

/** The record's caller fields, with the operator (possibly a citizen's ID number) as an HMAC. */
export function callerFields(trail: AuditTrail, caller: Partial<Caller> | undefined) {
  return {
    app: caller?.app ?? null,
    operator: caller?.operator ? trail.hashSubject(caller.operator) : null,
    region: caller?.regions?.join(',') ?? caller?.region ?? null,
    purpose: caller?.purpose ?? null,
    caseId: caller?.caseId ?? null,
  };
}

/**
 * The record of a request answered without any other record: refused before GraphQL ran, or by Apollo
 * Server before an operation was resolved. `rule` is the gateway's own wording, never the request's
 * content (a message may echo a variable, and a variable may be an ID number).
 */
export function unrecordedEntry(trail: AuditTrail, record: RequestRecord, errorCodes: readonly string[], rule: string): AuditEntry {
  return {
    time: new Date().toISOString(),
    requestId: record.requestId,
    ...(record.parentRequestId !== undefined && { parentRequestId: record.parentRequestId }),
    ...callerFields(trail, record.caller),
    operationName: null,
    operationHash: null,
    fields: [],
    subjects: [],
    decision: decisionOfErrors(errorCodes),
    rule,
    outcome: 'error',
    errorCodes: [...errorCodes],
    latencyMs: record.elapsedMs(),
    masked: [],
    refused: [],
  };
}

/** The record of a batch, written before its operations run; each operation is recorded as its child. */
export function batchEntry(trail: AuditTrail, record: RequestRecord, operations: number): AuditEntry {
  return {
    ...unrecordedEntry(trail, record, [], `batch of ${operations} operations, each recorded as a child of this request`),
    decision: 'PERMIT',
    outcome: 'pending',
  };
}

/**
 * The record of a CORS preflight (gateway/cors.ts), answered before authentication: it reads nothing and
 * names no app. Allowed, it is permitted; from an origin nothing lists, it is refused.
 */
export function preflightEntry(trail: AuditTrail, record: RequestRecord, allowed: boolean): AuditEntry {
  if (!allowed) return unrecordedEntry(trail, record, ['FORBIDDEN'], 'CORS preflight from an origin no contract and no platform setting lists');
  return { ...unrecordedEntry(trail, record, [], 'CORS preflight from a listed origin, answered before authentication: nothing read'), decision: 'PERMIT', outcome: 'ok' };
}

/**
 * Writes the audit record of every GraphQL request before its response is released, and fails closed:
 * if the record cannot be written, the data is withheld and the answer is AUDIT_UNAVAILABLE (HTTP 503,
 * THREATS F4). Service resumes by itself as soon as the store accepts records again. A mutation's intent
 * is written before it runs (`intentRecorder`); the record at its end is then the outcome, a child.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { AuditDecision, AuditEntry, FieldRefusal } from '../audit/audit-record';
import type { Caller } from '../contracts/caller';
import type { AuditTrail } from './audit-trail';
import { ERROR_CATALOGUE } from './errors';
import type { GuardOptions } from './guarded-gateway';
import { callerFields, childRecord, decisionOfErrors, type RequestRecord } from './request-record';

/** What the access gates learnt about a request, for its audit record. */
export interface AuditFacts {
  fields: Set<string>;
  subjects: Set<string>;
  /** Fields released masked: coordinate → mask (set once the request is let through). */
  masked?: ReadonlyMap<string, string>;
  /** Fields the gate refused, and why. */
  refused?: FieldRefusal[];
  decision?: AuditDecision;
  rule?: string;
  /** The mutation's intent is on the record: the record written when it ends is its outcome. */
  intentRecorded?: boolean;
}

export interface AuditedContext {
  caller: Caller;
  /** The request's one record (gateway/request-record.ts), which every record of it is written through. */
  record: RequestRecord;
  audit?: AuditFacts;
}

/** Why a request no gate decided was answered as it was. */
function defaultRule(decision: AuditDecision, errorCodes: readonly string[]): string {
  // Nothing ran: the client sent only a hash the gateway does not hold, and is to send the text (APQ).
  if (errorCodes.includes('PERSISTED_QUERY_NOT_FOUND')) return 'automatic persisted query not held: the client is to send its text';
  return decision === 'INVALID' ? 'the operation is not valid' : 'refused before the gate decided';
}

/** The record of the request as the gates left it: `decision` when they decided, otherwise what the errors say. */
function recordFields(trail: AuditTrail, context: AuditedContext, facts: AuditFacts | undefined, errorCodes: string[]): Omit<AuditEntry, 'time' | 'operationName' | 'operationHash' | 'latencyMs' | 'outcome'> {
  const decision: AuditDecision = facts?.decision ?? decisionOfErrors(errorCodes);
  const { record } = context;
  return {
    requestId: record.requestId,
    ...(record.parentRequestId !== undefined && { parentRequestId: record.parentRequestId }),
    ...callerFields(trail, context.caller),
    fields: [...(facts?.fields ?? [])].sort(),
    subjects: [...(facts?.subjects ?? [])].map(trail.hashSubject).sort(),
    decision,
    rule: facts?.rule ?? defaultRule(decision, errorCodes),
    errorCodes,
    masked: [...(facts?.masked ?? [])].map(([field, mask]) => ({ field, mask })).sort((a, b) => (a.field < b.field ? -1 : 1)),
    refused: facts?.refused ?? [],
  };
}

/** How an app names the software it sent a request with: a short lower-case name, or nothing recorded. */
const CLIENT_NAME = /^[a-z][a-z0-9-]{0,63}$/;

/** The client name a request carries (Apollo's apollographql-client-name header), if it is one. */
function clientOf(name: string | undefined): { client?: string } {
  return name !== undefined && CLIENT_NAME.test(name) ? { client: name } : {};
}

/**
 * Writes a mutation's intent before any department is called (THREATS F4: no effect without a record):
 * the request's own record, outcome `pending`. Its outcome follows when the request ends, as a record
 * of its own naming the request as parent. False when the intent could not be written: the mutation
 * must not run.
 */
export function intentRecorder(trail: AuditTrail, logger: Logger): GuardOptions['recordIntent'] {
  return async (context, operation) => {
    const facts = context.audit;
    try {
      await context.record.append({
        time: new Date().toISOString(),
        ...recordFields(trail, context, facts, []),
        rule: `intent: ${facts?.rule ?? 'none'}`,
        ...operation,
        outcome: 'pending',
        latencyMs: context.record.elapsedMs(),
      });
    } catch (error) {
      logger.error({ err: error, requestId: context.record.requestId }, 'intent of a mutation not recorded: mutation refused');
      return false;
    }
    if (facts) facts.intentRecorded = true;
    return true;
  };
}

export function auditPlugin(trail: AuditTrail, logger: Logger): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart({ requestIsBatched, contextValue }) {
      // Each operation of a batch is a request of its own, caused by the batch (which has its record).
      if (requestIsBatched) {
        const batch = contextValue.record;
        contextValue.record = childRecord(trail, batch.requestId);
        contextValue.caller = { ...contextValue.caller, requestId: contextValue.record.requestId };
      }
      return {
        async willSendResponse({ response, request, queryHash, operationName, contextValue: context }) {
          const facts = context.audit;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errorCodes = [...new Set((body?.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')))];
          const entry: AuditEntry = {
            time: new Date().toISOString(),
            ...recordFields(trail, context, facts, errorCodes),
            // After a recorded intent this is the outcome: a record of its own, caused by the request.
            ...(facts?.intentRecorded && { requestId: randomUUID(), parentRequestId: context.record.requestId }),
            operationName: operationName ?? request.operationName ?? null,
            operationHash: queryHash ?? null,
            ...clientOf(request.http?.headers.get('apollographql-client-name')),
            outcome: errorCodes.length > 0 ? 'error' : 'ok',
            latencyMs: context.record.elapsedMs(),
          };
          try {
            await context.record.append(entry);
          } catch (error) {
            logger.error({ err: error, requestId: entry.requestId }, 'audit record not written: response withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = {
                errors: [{ message: 'The audit trail cannot be written, so no data is released. Try again shortly.', extensions: { code: 'AUDIT_UNAVAILABLE' } }],
              };
            }
            response.http.status = ERROR_CATALOGUE.AUDIT_UNAVAILABLE.status;
          }
        },
      };
    },
  };
}

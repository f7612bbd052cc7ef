/**
 * Writes the audit record of every GraphQL request before its response is released, and fails closed:
 * if the record cannot be written, the data is withheld and the answer is AUDIT_UNAVAILABLE (HTTP 503,
 * THREATS F4). Service resumes by itself as soon as the store accepts records again.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { AuditDecision, AuditEntry } from '../audit/audit-record';
import type { Caller } from '../contracts/caller';
import type { AuditTrail } from './audit-trail';
import { ERROR_CATALOGUE } from './errors';

/** What the access gates learnt about a request, for its audit record. */
export interface AuditFacts {
  fields: Set<string>;
  subjects: Set<string>;
  decision?: AuditDecision;
  rule?: string;
}

export interface AuditedContext {
  caller: Caller;
  audit?: AuditFacts;
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

export function auditPlugin(trail: AuditTrail, logger: Logger): ApolloServerPlugin<AuditedContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, request, queryHash, operationName, contextValue: context }) {
          const facts = context.audit ?? contextValue.audit;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errorCodes = [...new Set((body?.errors ?? []).map((e) => String(e.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR')))];
          const decision: AuditDecision = facts?.decision ?? (facts ? 'PERMIT' : 'INVALID');
          const entry: AuditEntry = {
            time: new Date().toISOString(),
            requestId: context.caller?.requestId ?? 'unknown',
            ...callerFields(trail, context.caller),
            operationName: operationName ?? request.operationName ?? null,
            operationHash: queryHash ?? null,
            fields: [...(facts?.fields ?? [])].sort(),
            subjects: [...(facts?.subjects ?? [])].map(trail.hashSubject).sort(),
            decision,
            rule: facts?.rule ?? (decision === 'INVALID' ? 'the operation is not valid' : 'none'),
            outcome: errorCodes.length > 0 ? 'error' : 'ok',
            errorCodes,
            latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
          };
          try {
            await trail.append(entry);
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

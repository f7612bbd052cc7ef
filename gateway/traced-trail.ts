/**
 * The audit trail with every append in an "audit append" span. Whatever path answered a request — the
 * audit plugin, a mutation's intent, a refusal before GraphQL, a preflight — its record is where the
 * app, purpose, operation, decision and outcome are settled (gateway/request-record.ts), so the span
 * that writes it also gives them to the span it runs in: the request's own. Operators and subjects are
 * not given: the record holds them only as HMACs, and a span holds nothing of them.
 */
import type { Attributes } from '@opentelemetry/api';
import type { AuditEntry } from '../audit/audit-record';
import { SPAN_ATTRIBUTES, type Tracing } from '../http/tracing';
import type { AuditTrail } from './audit-trail';

/** What a record tells a trace: names, codes and the decision, never a subject, operator or case. */
export function recordAttributes(entry: AuditEntry): Attributes {
  return {
    ...(entry.app !== null && { [SPAN_ATTRIBUTES.app]: entry.app }),
    ...(entry.purpose !== null && { [SPAN_ATTRIBUTES.purpose]: entry.purpose }),
    ...(entry.operationName !== null && { [SPAN_ATTRIBUTES.operationName]: entry.operationName }),
    [SPAN_ATTRIBUTES.decision]: entry.decision,
    [SPAN_ATTRIBUTES.outcome]: entry.outcome,
    [SPAN_ATTRIBUTES.errorCodes]: entry.errorCodes,
  };
}

export function tracedTrail(trail: AuditTrail, tracing: Tracing): AuditTrail {
  if (!tracing.enabled) return trail;
  return {
    ...trail,
    append(entry) {
      const attributes = recordAttributes(entry);
      tracing.annotate(attributes);
      return tracing.span('audit append', attributes, () => trail.append(entry));
    },
  };
}

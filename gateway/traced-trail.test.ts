/** What an audit record tells the request's trace: names, codes and the decision, nothing that identifies anyone. */
import type { AuditEntry } from '../audit/audit-record';
import { startTracing } from '../http/tracing';
import type { AuditTrail } from './audit-trail';
import { recordAttributes, tracedTrail } from './traced-trail';

const entry: AuditEntry = {
  time: '2026-05-01T08:00:00.000Z',
  requestId: '6f1c2a9e-0000-4000-8000-000000000001',
  app: 'crossprovince-desk',
  operator: 'hmac-of-the-operator',
  region: '440100',
  purpose: 'CROSS_PROVINCE_CASE',
  caseId: 'KS-2026-000123',
  operationName: 'Applicant',
  operationHash: 'abc123',
  fields: ['Person.name'],
  subjects: ['hmac-of-the-subject'],
  decision: 'DENY',
  rule: 'case KS-2026-000123: case KS-2026-000123 is not an open case',
  outcome: 'error',
  errorCodes: ['FORBIDDEN'],
  latencyMs: 12,
};

test('app, purpose, operation, decision, outcome and error codes; no operator, subject, case, region or rule', () => {
  const attributes = recordAttributes(entry);
  expect(attributes).toEqual({
    'govgraph.app': 'crossprovince-desk',
    'govgraph.purpose': 'CROSS_PROVINCE_CASE',
    'graphql.operation.name': 'Applicant',
    'govgraph.decision': 'DENY',
    'govgraph.outcome': 'error',
    'govgraph.error_codes': ['FORBIDDEN'],
  });
  expect(JSON.stringify(attributes)).not.toMatch(/hmac|KS-2026|440100/);
});

test('a record of a request refused before its caller was known gives no app, purpose or operation', () => {
  expect(recordAttributes({ ...entry, app: null, purpose: null, operationName: null, decision: 'UNAUTHENTICATED', errorCodes: ['UNAUTHENTICATED'] })).toEqual({
    'govgraph.decision': 'UNAUTHENTICATED',
    'govgraph.outcome': 'error',
    'govgraph.error_codes': ['UNAUTHENTICATED'],
  });
});

test('without tracing the trail is the trail itself: nothing wraps an append', () => {
  const trail = { append: async () => {} } as unknown as AuditTrail;
  expect(tracedTrail(trail, startTracing(undefined))).toBe(trail);
});

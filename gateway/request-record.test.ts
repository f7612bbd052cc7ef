import type { AuditTrail } from './audit-trail';
import { createRequestRecords, decisionOfErrors } from './request-record';

// The registry never writes: a trail that accepts everything.
const trail: AuditTrail = {
  append: async () => undefined,
  hashSubject: (value) => `hmac:${value.length}`,
  probeWrite: async () => undefined,
  close: async () => undefined,
};

const caller = (app: string, requestId: string) => ({ app, requestId });

describe('which parent a request may name', () => {
  const records = createRequestRecords(trail);
  const portal = records.open({ 'x-request-id': 'parent-1' });
  records.identify(portal, caller('oneservice-portal', portal.requestId), {});
  records.calling('parent-1', 'service-hall');
  const named = (parent: string) => ({ 'x-parent-request-id': parent });

  test("the read of a department the request is calling, while it is answered: the department's prefill", () => {
    const prefill = records.open({ 'x-request-id': 'child-1' });
    records.identify(prefill, caller('service-hall', prefill.requestId), named('parent-1'));
    expect(prefill.parentRequestId).toBe('parent-1');
    records.close(prefill);
  });

  test('an app that is not a department the request called is not its child: not the app itself, not another app', () => {
    for (const app of ['oneservice-portal', 'crossprovince-desk', 'civil-affairs']) {
      const other = records.open({ 'x-request-id': `child-${app}` });
      records.identify(other, caller(app, other.requestId), named('parent-1'));
      expect(other.parentRequestId).toBeUndefined();
      records.close(other);
    }
  });

  test('a request not being answered here, or the request itself, is not a parent', () => {
    const unknown = records.open({ 'x-request-id': 'child-3' });
    records.calling('child-3', 'service-hall');
    records.identify(unknown, caller('service-hall', unknown.requestId), named('never-seen'));
    expect(unknown.parentRequestId).toBeUndefined();
    records.identify(unknown, caller('service-hall', unknown.requestId), named('child-3'));
    expect(unknown.parentRequestId).toBeUndefined();
    records.close(unknown);
  });

  test('once answered, a request is no one’s parent; an id in use is not given twice', () => {
    const twin = records.open({ 'x-request-id': 'parent-1' });
    expect(twin.requestId).not.toBe('parent-1');
    records.close(twin);
    records.close(portal);
    const late = records.open({ 'x-request-id': 'child-5' });
    records.identify(late, caller('service-hall', late.requestId), named('parent-1'));
    expect(late.parentRequestId).toBeUndefined();
    expect(records.open({ 'x-request-id': 'parent-1' }).requestId).toBe('parent-1');
  });
});

test('a refusal no gate decided is never PERMIT', () => {
  expect(decisionOfErrors(['UNAUTHENTICATED'])).toBe('UNAUTHENTICATED');
  expect(decisionOfErrors(['RATE_LIMITED'])).toBe('DENY');
  expect(decisionOfErrors(['LIMIT_EXCEEDED', 'BAD_REQUEST'])).toBe('DENY');
  expect(decisionOfErrors(['BAD_REQUEST'])).toBe('INVALID');
  expect(decisionOfErrors(['INTERNAL_SERVER_ERROR'])).toBe('INVALID');
  expect(decisionOfErrors([])).toBe('INVALID');
});

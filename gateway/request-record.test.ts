import type { AuditTrail } from './audit-trail';
import { createRequestRecords, decisionOfErrors } from './request-record';

// The registry never writes: a trail that accepts everything.
const trail: AuditTrail = {
  append: async () => undefined,
  hashSubject: (value) => `hmac:${value.length}`,
  ping: async () => undefined,
  close: async () => undefined,
};

const caller = (app: string, requestId: string) => ({ app, requestId });

describe('which parent a request may name', () => {
  const records = createRequestRecords(trail);
  const portal = records.open({ 'x-request-id': 'parent-1' });
  records.identify(portal, caller('oneservice-portal', portal.requestId), {});

  test("a request of another app, named while it is answered: a department's read", () => {
    const prefill = records.open({ 'x-request-id': 'child-1', 'x-parent-request-id': 'parent-1' });
    records.identify(prefill, caller('service-hall', prefill.requestId), { 'x-parent-request-id': 'parent-1' });
    expect(prefill.parentRequestId).toBe('parent-1');
    records.close(prefill);
  });

  test('a request of the same app is not a parent: an app cannot hide its own requests under one it keeps open', () => {
    const own = records.open({ 'x-request-id': 'child-2' });
    records.identify(own, caller('oneservice-portal', own.requestId), { 'x-parent-request-id': 'parent-1' });
    expect(own.parentRequestId).toBeUndefined();
    records.close(own);
  });

  test('a request not being answered here, or the request itself, is not a parent', () => {
    const unknown = records.open({ 'x-request-id': 'child-3' });
    records.identify(unknown, caller('service-hall', unknown.requestId), { 'x-parent-request-id': 'never-seen' });
    expect(unknown.parentRequestId).toBeUndefined();
    records.identify(unknown, caller('service-hall', unknown.requestId), { 'x-parent-request-id': 'child-3' });
    expect(unknown.parentRequestId).toBeUndefined();
    records.close(unknown);
  });

  test('an unauthenticated parent is not a parent', () => {
    const anonymous = records.open({ 'x-request-id': 'parent-2' });
    const child = records.open({ 'x-request-id': 'child-4' });
    records.identify(child, caller('service-hall', child.requestId), { 'x-parent-request-id': 'parent-2' });
    expect(child.parentRequestId).toBeUndefined();
    records.close(child);
    records.close(anonymous);
  });

  test('once answered, a request is no one’s parent; an id in use is not given twice', () => {
    const twin = records.open({ 'x-request-id': 'parent-1' });
    expect(twin.requestId).not.toBe('parent-1');
    records.close(twin);
    records.close(portal);
    const late = records.open({ 'x-request-id': 'child-5' });
    records.identify(late, caller('service-hall', late.requestId), { 'x-parent-request-id': 'parent-1' });
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

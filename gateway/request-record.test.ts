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
  const portal = records.open();
  records.identify(portal, caller('oneservice-portal', portal.requestId), {});
  records.calling(portal.requestId, 'service-hall');
  const named = (parent: string) => ({ 'x-parent-request-id': parent });

  test("the read of a department the request is calling, while it is answered: the department's prefill", () => {
    const prefill = records.open();
    records.identify(prefill, caller('service-hall', prefill.requestId), named(portal.requestId));
    expect(prefill.parentRequestId).toBe(portal.requestId);
    records.close(prefill);
  });

  test('an app that is not a department the request called is not its child: not the app itself, not another app', () => {
    for (const app of ['oneservice-portal', 'crossprovince-desk', 'civil-affairs']) {
      const other = records.open();
      records.identify(other, caller(app, other.requestId), named(portal.requestId));
      expect(other.parentRequestId).toBeUndefined();
      records.close(other);
    }
  });

  test('a request not being answered here, or the request itself, is not a parent', () => {
    const unknown = records.open();
    records.calling(unknown.requestId, 'service-hall');
    records.identify(unknown, caller('service-hall', unknown.requestId), named('never-seen'));
    expect(unknown.parentRequestId).toBeUndefined();
    records.identify(unknown, caller('service-hall', unknown.requestId), named(unknown.requestId));
    expect(unknown.parentRequestId).toBeUndefined();
    records.close(unknown);
  });

  test('once answered, a request is no one’s parent', () => {
    records.close(portal);
    const late = records.open();
    records.identify(late, caller('service-hall', late.requestId), named(portal.requestId));
    expect(late.parentRequestId).toBeUndefined();
  });

  test('every request gets an id of its own, minted by the gateway', () => {
    const ids = new Set(Array.from({ length: 50 }, () => records.open().requestId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
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

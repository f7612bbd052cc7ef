/**
 * A service's tracing against a real OTLP/HTTP receiver: spans nest under the active one, a failure is
 * marked by its code and never its message, a step reported after it ran joins a traced request only, and
 * the ids reach outgoing headers and log lines. Without settings nothing at all is made.
 */
import { trace } from '@opentelemetry/api';
import { GraphQLError } from 'graphql';
import { startOtlpReceiver, type OtlpReceiver } from '../tests/support/otlp-receiver';
import { startTracing, traceLogFields } from './tracing';
import type { TracingSettings } from './tracing-settings';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.payloads.length = 0;
  receiver.spans.length = 0;
});

const settings = (sampler: TracingSettings['sampler']['name'] = 'parentbased_always_on'): TracingSettings => ({
  url: `${receiver.endpoint}/v1/traces`,
  resource: { 'service.name': 'unit' },
  sampler: { name: sampler, ratio: 1 },
});

test('without settings: the work runs as it is, with no span, no header and no log ids', async () => {
  const tracing = startTracing(undefined);
  expect(tracing.enabled).toBe(false);
  const headers: Record<string, string> = {};
  const result = await tracing.span('step', {}, async (span) => {
    span.set({ counted: 1 });
    tracing.inject(headers);
    tracing.ended('SELECT person', {}, 3);
    return trace.getActiveSpan();
  });
  expect(result).toBeUndefined();
  expect(headers).toEqual({});
  expect(traceLogFields()).toEqual({});
  await tracing.shutdown();
  expect(receiver.payloads).toEqual([]);
});

test('spans nest under the active one; the ids reach outgoing headers and log lines', async () => {
  const tracing = startTracing(settings());
  const seen = await tracing.span('outer', { 'govgraph.app': 'desk' }, () =>
    tracing.span('inner', {}, async (span) => {
      span.set({ 'govgraph.access.denied': 0 });
      const headers: Record<string, string> = {};
      tracing.inject(headers);
      tracing.ended('SELECT person', { 'db.operation.name': 'SELECT' }, 2.5);
      return { headers, log: traceLogFields() };
    }),
  );
  await tracing.shutdown();
  const [outer, inner, statement] = ['outer', 'inner', 'SELECT person'].map((name) => receiver.spans.find((s) => s.name === name)!);
  expect(outer).toMatchObject({ service: 'unit', attributes: { 'govgraph.app': 'desk' } });
  expect(outer!.parentSpanId).toBeUndefined();
  expect(inner).toMatchObject({ traceId: outer!.traceId, parentSpanId: outer!.spanId, attributes: { 'govgraph.access.denied': 0 } });
  expect(statement).toMatchObject({ traceId: outer!.traceId, parentSpanId: inner!.spanId, kind: 3 });
  expect(seen.headers).toEqual({ traceparent: `00-${inner!.traceId}-${inner!.spanId}-01` });
  expect(seen.log).toEqual({ trace_id: inner!.traceId, span_id: inner!.spanId });
});

test('a failure is marked by its code or class, never by its message', async () => {
  const tracing = startTracing(settings());
  await expect(tracing.span('department call', {}, async () => Promise.reject(new GraphQLError('11010119900307663X is not valid', { extensions: { code: 'BAD_USER_INPUT' } })))).rejects.toThrow();
  await expect(tracing.span('planning', {}, async () => Promise.reject(new RangeError('11010119900307663X')))).rejects.toThrow(RangeError);
  await tracing.shutdown();
  expect(receiver.spans.map((s) => [s.name, s.attributes['error.type'], s.status?.code])).toEqual([
    ['department call', 'BAD_USER_INPUT', 2],
    ['planning', 'RangeError', 2],
  ]);
  expect(receiver.payloads.join()).not.toContain('11010119900307663X');
});

test('a step reported after it ran is a span only inside a traced request (a seed’s inserts make none)', async () => {
  const tracing = startTracing(settings());
  tracing.ended('INSERT person', {}, 1);
  await tracing.span('request', {}, async () => tracing.ended('SELECT person', {}, 1));
  await tracing.shutdown();
  expect(receiver.spans.map((s) => s.name).sort()).toEqual(['SELECT person', 'request']);
});

test('a sampler that samples nothing exports nothing, and the work still runs', async () => {
  const tracing = startTracing(settings('always_off'));
  expect(await tracing.span('request', {}, async () => 'answered')).toBe('answered');
  await tracing.shutdown();
  expect(receiver.payloads).toEqual([]);
});

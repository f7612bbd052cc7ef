/**
 * OpenTelemetry traces (docs/operations.md, "Reading traces"): with an OTLP endpoint set, one request is
 * one trace across the gateway and the departments it calls — each service exporting under its own
 * service.name to a real OTLP/HTTP receiver — with the gateway's steps, the departments' requests and
 * their SQL under the right parents, a client's traceparent continued, trace ids in the log lines, and no
 * raw identifier, field value or token anywhere in what is exported. Without an endpoint nothing is sent.
 *
 * The services run in this process (startGraph), each with a tracer provider of its own (http/tracing.ts),
 * so the test tells them apart by service.name as a collector would.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CONTRACTS, startGraph, writeContract, type TestGraph } from './support/graph';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { waitUntil } from './support/wait-until';

// The SDK reads its batch delay from the standard variable: spans leave within 100 ms instead of 5 s.
process.env['OTEL_BSP_SCHEDULE_DELAY'] = '100';

const APP = 'trace-desk';
const PURPOSE = 'IDENTITY_CHECK';
/** A person's name (public security, masked: so the result gate runs) and marital status (civil affairs). */
const LOOKUP = 'query Lookup($id: IdNumber!) { person(idNumber: $id) { name maritalStatus } }';
const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let graph: TestGraph;
let graphStopped = false;
let contracts: string;
const logs: string[] = [];
/** A person of the synthetic world: their ID number and unmasked name must appear in no span. */
let person: { idNumber: string; name: string };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  contracts = mkdtempSync(join(tmpdir(), 'govgraph-trace-contracts-'));
  cpSync(DEMO_CONTRACTS, contracts, { recursive: true });
  writeContract(contracts, {
    app: APP,
    name: 'Trace test desk',
    legalBasis: 'test fixture: synthetic data only',
    purposes: [
      {
        code: PURPOSE,
        description: 'checks a person’s identity and marital status',
        grants: ['Query.person', 'Query.person(idNumber:)', { field: 'Person.name', mask: 'NAME' }, 'Person.maritalStatus'],
      },
    ],
  });
  graph = await startGraph({ tracesEndpoint: receiver.endpoint, logs, appContracts: contracts });
  const page = await graph.query('{ applications(first: 1) { nodes { applicant { idNumber name } } } }');
  person = page.body.data.applications.nodes[0].applicant;
}, 120_000);

afterAll(async () => {
  if (!graphStopped) await graph?.stop();
  await receiver?.close();
  rmSync(contracts, { recursive: true, force: true });
});

const lookup = async (headers: Record<string, string> = {}, on: TestGraph = graph) => {
  const token = await on.token({ app: APP });
  return on.query(LOOKUP, { variables: { id: person.idNumber }, token, headers: { 'x-purpose': PURPOSE, ...headers } });
};

/** The spans of the trace whose gateway request span has this request id, once every listed service has sent its part. */
async function traceOf(requestId: string, services: string[]): Promise<{ root: ReceivedSpan; spans: ReceivedSpan[] }> {
  const rootOf = () => receiver.spans.find((s) => s.service === 'gateway' && s.kind === SERVER && s.attributes['govgraph.request_id'] === requestId);
  await waitUntil(`the trace of request ${requestId} from ${services.join(', ')}`, () => {
    const root = rootOf();
    return root !== undefined && services.every((service) => receiver.spans.some((s) => s.traceId === root.traceId && s.service === service && s.kind === SERVER));
  }, 10_000);
  const root = rootOf()!;
  return { root, spans: receiver.spans.filter((s) => s.traceId === root.traceId) };
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);

test('one request is one trace: the gateway’s steps, each department’s request under its call, and its SQL under that', async () => {
  const response = await lookup();
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data.person.name).not.toBe(person.name);
  const { root, spans } = await traceOf(response.headers.get('x-request-id')!, ['public-security', 'civil-affairs']);

  expect(root).toMatchObject({ name: 'POST /graphql', service: 'gateway' });
  expect(root.parentSpanId).toBeUndefined();
  expect(root.attributes).toMatchObject({
    'http.request.method': 'POST',
    'http.route': '/graphql',
    'http.response.status_code': 200,
    'govgraph.app': APP,
    'govgraph.purpose': PURPOSE,
    'graphql.operation.name': 'Lookup',
    'govgraph.decision': 'PERMIT',
    'govgraph.outcome': 'ok',
  });

  const steps = childrenOf(spans, root);
  expect(steps.every((s) => s.service === 'gateway')).toBe(true);
  expect(steps.map((s) => s.name).sort()).toEqual(['access gate', 'audit append', 'department call', 'department call', 'planning', 'result gate']);
  const step = (name: string) => steps.find((s) => s.name === name)!;
  expect(step('access gate').attributes).toMatchObject({ 'graphql.operation.name': 'Lookup', 'graphql.operation.type': 'query', 'govgraph.access.denied': 0 });
  expect(step('planning').attributes).toMatchObject({ 'govgraph.plan.executor': 'govgraph' });
  expect(step('result gate').attributes).toEqual({ 'govgraph.rows_withheld': false });
  expect(step('audit append').attributes).toMatchObject({ 'govgraph.app': APP, 'govgraph.decision': 'PERMIT', 'govgraph.outcome': 'ok' });

  for (const department of ['public-security', 'civil-affairs']) {
    const call = steps.find((s) => s.name === 'department call' && s.attributes['govgraph.department'] === department)!;
    expect(call).toMatchObject({ kind: CLIENT, attributes: expect.objectContaining({ 'http.response.status_code': 200 }) });
    // The department's own request continues the trace under the call that reached it.
    const served = childrenOf(spans, call);
    expect(served).toEqual([expect.objectContaining({ service: department, name: 'POST /graphql', kind: SERVER })]);
    expect(served[0]!.attributes).toMatchObject({ 'govgraph.app': APP, 'govgraph.purpose': PURPOSE, 'govgraph.decision': 'PERMIT', 'govgraph.request_id': root.attributes['govgraph.request_id'] });
    const statements = childrenOf(spans, served[0]!);
    expect(statements.every((s) => s.service === department && s.kind === CLIENT && s.attributes['db.system.name'] === 'sqlite')).toBe(true);
    expect(statements.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^SELECT /), 'INSERT departmentAccessLog']));
  }
  // Nothing of the trace hangs anywhere else.
  const gatewaySpans = new Set([root, ...steps]);
  for (const span of spans) if (!gatewaySpans.has(span)) expect(spans.some((parent) => parent.spanId === span.parentSpanId)).toBe(true);
});

test('nothing exported names the person, carries a field value or a token', async () => {
  const token = await graph.token({ app: APP });
  const response = await graph.query(LOOKUP, { variables: { id: person.idNumber }, token, headers: { 'x-purpose': PURPOSE } });
  await traceOf(response.headers.get('x-request-id')!, ['public-security', 'civil-affairs']);
  const exported = receiver.payloads.join('\n');
  expect(exported).toContain('Lookup');
  expect(exported).not.toContain(person.idNumber);
  expect(exported).not.toContain(person.name);
  expect(exported).not.toContain(response.body.data.person.name);
  expect(exported).not.toContain(token);
  // No JWT at all (the gateway's department tokens start alike), and no SQL text.
  expect(exported).not.toMatch(/eyJ[\w-]+\.eyJ/);
  expect(exported).not.toMatch(/\bwhere\b/i);
});

test('a client’s traceparent is continued; an invalid one starts a trace of the gateway’s own', async () => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parent = '00f067aa0ba902b7';
  const continued = await lookup({ traceparent: `00-${traceId}-${parent}-01` });
  const { root, spans } = await traceOf(continued.headers.get('x-request-id')!, ['public-security', 'civil-affairs']);
  expect(root).toMatchObject({ traceId, parentSpanId: parent });
  expect(spans.filter((s) => s.service !== 'gateway' && s.kind === SERVER)).toHaveLength(2);

  for (const invalid of [`00-${'0'.repeat(32)}-${parent}-01`, 'not a traceparent']) {
    const fresh = await lookup({ traceparent: invalid });
    const { root: own } = await traceOf(fresh.headers.get('x-request-id')!, ['public-security', 'civil-affairs']);
    expect(own.parentSpanId).toBeUndefined();
    expect(own.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(own.traceId).not.toBe('0'.repeat(32));
  }
});

test('a log line written during a request carries its trace and span ids', async () => {
  await graph.stopSubgraph('civil-affairs');
  const response = await lookup();
  expect(response.body.errors?.[0]?.extensions?.['code']).toBe('SUBGRAPH_UNAVAILABLE');
  const { spans } = await traceOf(response.headers.get('x-request-id')!, ['public-security']);
  const call = spans.find((s) => s.name === 'department call' && s.attributes['govgraph.department'] === 'civil-affairs')!;
  expect(call).toMatchObject({ status: { code: 2 }, attributes: expect.objectContaining({ 'error.type': 'SUBGRAPH_UNAVAILABLE' }) });
  const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'department call failed' && l['subgraph'] === 'civil-affairs');
  expect(line).toMatchObject({ service: 'gateway', trace_id: call.traceId, span_id: call.spanId });
  await graph.restartSubgraph('civil-affairs');
});

test('without an OTLP endpoint the services export nothing', async () => {
  // Stopping flushes the traced graph's last spans.
  await graph.stop();
  graphStopped = true;
  const sent = receiver.payloads.length;
  const untraced = await startGraph({ appContracts: contracts });
  try {
    const response = await lookup({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }, untraced);
    expect(response.body.errors).toBeUndefined();
    // Ten times the batch delay: a span would have been sent by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.payloads).toHaveLength(sent);
  } finally {
    await untraced.stop();
  }
  expect(receiver.payloads).toHaveLength(sent);
}, 120_000);

/**
 * OpenTelemetry traces of one service — the gateway or a department — exported over OTLP/HTTP (JSON):
 * the request it serves (continuing the caller's W3C `traceparent`), the steps inside it, and the
 * `traceparent` it hands on to the services it calls, so one request is one trace across them.
 *
 * Each service has a tracer provider of its own, never the process-wide one: several services share a
 * process in the tests and in `npm run dev`, and each must export under its own service.name. Only the
 * context manager (AsyncLocalStorage), which carries the active span across awaits, is process-wide.
 * Without settings nothing is started: every method runs the work as it is and creates no span.
 *
 * Spans carry names, decisions and counts, never a variable, an argument, a field value or a token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, defaultTextMapGetter, defaultTextMapSetter, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from './tracing-settings';

/** GovGraph's own span attributes, beside OpenTelemetry's semantic conventions (docs/operations.md, "Reading traces"). */
export const SPAN_ATTRIBUTES = {
  requestId: 'govgraph.request_id',
  app: 'govgraph.app',
  purpose: 'govgraph.purpose',
  department: 'govgraph.department',
  decision: 'govgraph.decision',
  outcome: 'govgraph.outcome',
  errorCodes: 'govgraph.error_codes',
  planExecutor: 'govgraph.plan.executor',
  planCached: 'govgraph.plan.cached',
  coordinates: 'govgraph.access.coordinates',
  denied: 'govgraph.access.denied',
  withheld: 'govgraph.rows_withheld',
  /** GraphQL's attributes, as OpenTelemetry's GraphQL conventions (still in development) name them. */
  operationName: 'graphql.operation.name',
  operationType: 'graphql.operation.type',
} as const;

/** Attributes learnt while a span runs (a decision, a count). */
export interface SpanNotes {
  set(attributes: Attributes): void;
}

export interface Tracing {
  /** Whether spans are made at all: a wrapper with nothing to do when they are not leaves the work unwrapped. */
  readonly enabled: boolean;
  /** Serves a request inside a server span, the child of the caller's `traceparent` when it is valid (else a new trace). */
  serve(req: IncomingMessage, res: ServerResponse, route: string, work: (notes: SpanNotes) => Promise<void>): Promise<void>;
  /** Runs `work` inside a span, the child of the active one. */
  span<T>(name: string, attributes: Attributes, work: (notes: SpanNotes) => Promise<T>, kind?: SpanKind): Promise<T>;
  /** Adds attributes to the active span. */
  annotate(attributes: Attributes): void;
  /** Records a step that has just ended after `durationMs` (a SQL statement, reported once it has run), inside a traced request only. */
  ended(name: string, attributes: Attributes, durationMs: number): void;
  /** Adds the active span's `traceparent` (and `tracestate`) to the headers of an outgoing call. */
  inject(headers: Record<string, string>): void;
  /** Sends the spans not yet exported, then stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Told when a batch of spans could not be exported (the collector is down or refuses). */
  onExportError?: (error: Error) => void;
}

const NO_NOTES: SpanNotes = { set() {} };

/** What a service does when it traces nothing: the work, as it is. */
const TRACING_OFF: Tracing = {
  enabled: false,
  serve: (_req, _res, _route, work) => work(NO_NOTES),
  span: (_name, _attributes, work) => work(NO_NOTES),
  annotate() {},
  ended() {},
  inject() {},
  shutdown: async () => {},
};

let contextManagerSet = false;

/** The process's context manager, set once by the first service that traces (another library's, if it set one first). */
function ensureContextManager(): void {
  if (contextManagerSet) return;
  contextManagerSet = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

function samplerOf({ name, ratio }: TracingSettings['sampler']): Sampler {
  const root = { always_on: new AlwaysOnSampler(), always_off: new AlwaysOffSampler(), traceidratio: new TraceIdRatioBasedSampler(ratio) };
  switch (name) {
    case 'always_on':
    case 'always_off':
    case 'traceidratio':
      return root[name];
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: root.always_on });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: root.always_off });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: root.traceidratio });
  }
}

/** The exporter, telling `onExportError` of each batch it could not deliver (the SDK itself would stay silent). */
function reporting(exporter: SpanExporter, onExportError: ((error: Error) => void) | undefined): SpanExporter {
  if (!onExportError) return exporter;
  return {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) onExportError(result.error ?? new Error('the collector refused the spans'));
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** What went wrong, for the span: a code or a class name, never a message (it may quote a value). */
function failed(span: Span, error: unknown): void {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  span.setAttribute(ATTR_ERROR_TYPE, typeof code === 'string' ? code : error instanceof Error ? error.constructor.name : 'error');
  span.setStatus({ code: SpanStatusCode.ERROR });
}

function notesOf(span: Span): SpanNotes {
  return { set: (attributes) => void span.setAttributes(attributes) };
}

/** Runs `work` with `span` active, ending it (marked failed if the work throws) when the work settles. */
async function within<T>(span: Span, parent: Context, work: (notes: SpanNotes) => Promise<T>, onEnd?: () => void): Promise<T> {
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(notesOf(span));
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      onEnd?.();
      span.end();
    }
  });
}

/** The tracing of a service with these settings; without settings, none at all. */
export function startTracing(settings: TracingSettings | undefined, options: TracingOptions = {}): Tracing {
  if (!settings) return TRACING_OFF;
  ensureContextManager();
  const provider = new BasicTracerProvider({
    // The SDK's own attributes (telemetry.sdk.*), then the service's.
    resource: defaultResource().merge(resourceFromAttributes(settings.resource)),
    sampler: samplerOf(settings.sampler),
    spanProcessors: [new BatchSpanProcessor(reporting(new OTLPTraceExporter({ url: settings.url }), options.onExportError))],
  });
  const tracer = provider.getTracer('govgraph');
  const propagator = new W3CTraceContextPropagator();
  return {
    enabled: true,
    serve(req, res, route, work) {
      // A client's traceparent is only a parent: an invalid one is ignored, and nothing else of the caller's context is taken.
      const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
      const method = req.method ?? 'GET';
      const span = tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: route } }, parent);
      return within(span, parent, work, () => span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode));
    },
    span(name, attributes, work, kind = SpanKind.INTERNAL) {
      return within(tracer.startSpan(name, { kind, attributes }), context.active(), work);
    },
    annotate(attributes) {
      trace.getActiveSpan()?.setAttributes(attributes);
    },
    ended(name, attributes, durationMs) {
      if (!trace.getActiveSpan()?.isRecording()) return;
      const end = performance.timeOrigin + performance.now();
      tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes, startTime: end - durationMs }).end(end);
    },
    inject(headers) {
      propagator.inject(context.active(), headers, defaultTextMapSetter);
    },
    shutdown: () => provider.shutdown(),
  };
}

/** The active span's ids for a log line (pino's `mixin`), so a log line leads to its trace; none outside a span. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * Whether and where a service sends its traces, from OpenTelemetry's standard environment variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/). The gateway's and
 * the departments' configuration modules parse them with the rest of their environment, so a bad value
 * stops start-up naming the variable; without an OTLP endpoint there are no settings, and no tracing.
 * The exporter's own tuning (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION, certificates) and the
 * batch and span limits (OTEL_BSP_*, OTEL_SPAN_*) are read by the OpenTelemetry SDK itself.
 */
import { z } from 'zod';

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

export interface TracingSettings {
  /** Where spans are sent: OTLP over HTTP, as JSON. */
  url: string;
  /** The resource every span of the service carries: service.name and OTEL_RESOURCE_ATTRIBUTES. */
  resource: Readonly<Record<string, string>>;
  sampler: { name: SamplerName; ratio: number };
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const satisfies readonly SamplerName[];

/** OpenTelemetry reads an empty variable as an unset one. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** `key=value,key=value`, `,` and `=` percent-encoded inside keys and values (the specification's format). */
const resourceAttributes = z.string().transform((text, ctx) => {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const parts = pair.split('=');
    const [key, value] = parts.map((part) => {
      try {
        return decodeURIComponent(part.trim());
      } catch {
        return undefined;
      }
    });
    if (parts.length !== 2 || !key || value === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value (percent-encode , and = inside keys and values)` });
      return z.NEVER;
    }
    attributes[key] = value;
  }
  return attributes;
});

const httpJson = z.literal('http/json', { error: 'GovGraph sends OTLP over HTTP as JSON: leave it unset or set http/json (OTLP/HTTP receivers such as the OpenTelemetry Collector accept JSON)' });

/** The variables, to add to a service's own environment schema. */
export const tracingEnvironment = {
  OTEL_SDK_DISABLED: unsetIfEmpty(z.string().transform((value) => value.trim().toLowerCase() === 'true')),
  OTEL_TRACES_EXPORTER: unsetIfEmpty(z.enum(['otlp', 'none'], { error: 'GovGraph exports traces over OTLP only: otlp, or none for no traces' })),
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL (the collector’s base address; /v1/traces is added)' })),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: unsetIfEmpty(z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL (used as it is)' })),
  OTEL_EXPORTER_OTLP_PROTOCOL: unsetIfEmpty(httpJson),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: unsetIfEmpty(httpJson),
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string()),
  OTEL_RESOURCE_ATTRIBUTES: unsetIfEmpty(resourceAttributes),
  OTEL_TRACES_SAMPLER: unsetIfEmpty(z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` })),
  OTEL_TRACES_SAMPLER_ARG: unsetIfEmpty(z.coerce.number().min(0).max(1)),
};

export type TracingEnvironment = z.infer<z.ZodObject<typeof tracingEnvironment>>;

/** The traces URL the specification derives: the per-signal endpoint as it is, else the base endpoint with v1/traces. */
function tracesUrl(env: TracingEnvironment): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!base) return undefined;
  return `${base.endsWith('/') ? base : `${base}/`}v1/traces`;
}

/** The service's tracing settings, or undefined when it is to trace nothing. */
export function tracingSettingsOf(env: TracingEnvironment, serviceName: string): TracingSettings | undefined {
  const url = tracesUrl(env);
  if (!url || env.OTEL_SDK_DISABLED || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  return Object.freeze({
    url,
    // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES; the service's own name is the default.
    resource: Object.freeze({ ...env.OTEL_RESOURCE_ATTRIBUTES, 'service.name': env.OTEL_SERVICE_NAME ?? env.OTEL_RESOURCE_ATTRIBUTES?.['service.name'] ?? serviceName }),
    sampler: Object.freeze({ name: env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on', ratio: env.OTEL_TRACES_SAMPLER_ARG ?? 1 }),
  });
}

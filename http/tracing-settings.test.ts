/** OpenTelemetry's standard variables, read as the specification says, into a service's tracing settings. */
import { z } from 'zod';
import { tracingEnvironment, tracingSettingsOf } from './tracing-settings';

const environment = z.object(tracingEnvironment);
const settings = (env: Record<string, string>) => tracingSettingsOf(environment.parse(env), 'gateway');
const problem = (env: Record<string, string>) => {
  const parsed = environment.safeParse(env);
  return parsed.success ? undefined : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};
const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };

test('no endpoint, no tracing: nothing else turns it on', () => {
  expect(settings({})).toBeUndefined();
  expect(settings({ OTEL_SERVICE_NAME: 'gw', OTEL_TRACES_SAMPLER: 'always_on', OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
});

test.each([
  ['the base endpoint gets v1/traces', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, 'http://collector:4318/v1/traces'],
  ['also after a slash', { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/prefix/' }, 'https://otel.example/prefix/v1/traces'],
  ['the traces endpoint is used as it is', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/custom' }, 'https://otel.example/custom'],
  ['and wins over the base endpoint', { ...ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otel.example/custom' }, 'https://otel.example/custom'],
])('%s', (_name, env, url) => {
  expect(settings(env)?.url).toBe(url);
});

test.each([
  ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'TRUE' }],
  ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none' }],
])('%s turns tracing off despite an endpoint', (_name, env) => {
  expect(settings({ ...ENDPOINT, ...env })).toBeUndefined();
  expect(settings({ ...ENDPOINT, OTEL_SDK_DISABLED: 'false' })).toBeDefined();
});

test('service.name: OTEL_SERVICE_NAME, else OTEL_RESOURCE_ATTRIBUTES, else the service’s own; the other attributes percent-decoded', () => {
  expect(settings(ENDPOINT)?.resource).toEqual({ 'service.name': 'gateway' });
  expect(settings({ ...ENDPOINT, OTEL_RESOURCE_ATTRIBUTES: 'service.name=edge, deployment.environment.name=prod,team=data%2Cbureau%3D1' })?.resource).toEqual({
    'service.name': 'edge',
    'deployment.environment.name': 'prod',
    team: 'data,bureau=1',
  });
  expect(settings({ ...ENDPOINT, OTEL_RESOURCE_ATTRIBUTES: 'service.name=edge', OTEL_SERVICE_NAME: 'gateway-eu' })?.resource).toEqual({ 'service.name': 'gateway-eu' });
});

test('the sampler: parent-based always-on by default, else as named, with its ratio', () => {
  expect(settings(ENDPOINT)?.sampler).toEqual({ name: 'parentbased_always_on', ratio: 1 });
  expect(settings({ ...ENDPOINT, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.05' })?.sampler).toEqual({ name: 'parentbased_traceidratio', ratio: 0.05 });
});

test.each([
  [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\):\/\/ URL/],
  [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' }, /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http\(s\):\/\/ URL/],
  [{ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: GovGraph sends OTLP over HTTP as JSON/],
  [{ OTEL_TRACES_EXPORTER: 'zipkin' }, /OTEL_TRACES_EXPORTER: GovGraph exports traces over OTLP only/],
  [{ OTEL_TRACES_SAMPLER: 'always' }, /OTEL_TRACES_SAMPLER: must be one of always_on, always_off/],
  [{ OTEL_TRACES_SAMPLER_ARG: '5' }, /OTEL_TRACES_SAMPLER_ARG/],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'team=a=b' }, /OTEL_RESOURCE_ATTRIBUTES: "team=a=b" is not key=value/],
  [{ OTEL_RESOURCE_ATTRIBUTES: 'team=%E0%A4%A' }, /OTEL_RESOURCE_ATTRIBUTES: "team=%E0%A4%A" is not key=value/],
])('a bad value is a problem naming its variable: %p', (env, message) => {
  expect(problem({ ...ENDPOINT, ...env })).toMatch(message);
});

/** A department's configuration from its environment; here what concerns its traces. */
import { loadSubgraphConfig } from './config';

test('a department traces nothing without an OTLP endpoint, and exports under its own name with one', () => {
  expect(loadSubgraphConfig('civil-affairs', 4002, {}).tracing).toBeUndefined();
  expect(loadSubgraphConfig('civil-affairs', 4002, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/v1/traces' }).tracing).toMatchObject({
    url: 'https://collector.example/v1/traces',
    resource: { 'service.name': 'civil-affairs' },
  });
});

test('a bad OTEL variable stops the department’s start-up naming it', () => {
  expect(() => loadSubgraphConfig('civil-affairs', 4002, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/Invalid configuration for civil-affairs: OTEL_EXPORTER_OTLP_PROTOCOL: GovGraph sends OTLP over HTTP as JSON/);
});

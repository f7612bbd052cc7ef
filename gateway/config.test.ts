import { loadGatewayConfig } from './config';

test('defaults make a development gateway on port 4000', () => {
  const config = loadGatewayConfig({});
  expect(config.port).toBe(4000);
  expect(config.appKeys).toEqual({ kind: 'file', file: expect.stringMatching(/data\/keys\/app-issuer\.jwks\.json$/) });
  expect(config.platformKeys).toEqual({ kind: 'file', file: expect.stringMatching(/data\/keys\/platform-issuer\.jwks\.json$/) });
  expect(config.platformTokenIssuer).not.toBe(config.appTokenIssuer);
  expect(Object.isFrozen(config)).toBe(true);
});

test("the audit head file: beside the keys, one per trail, unless AUDIT_HEAD_FILE names it", () => {
  expect(loadGatewayConfig({}).audit.headFile).toMatch(/data\/keys\/audit-head\.json$/);
  expect(loadGatewayConfig({ AUDIT_SQLITE_FILE: '/srv/trail/audit-b.sqlite' }).audit.headFile).toMatch(/data\/keys\/audit-b-head\.json$/);
  expect(loadGatewayConfig({ AUDIT_DATABASE_URL: 'postgres://trail/audit' }).audit.headFile).toMatch(/data\/keys\/audit-head\.json$/);
  expect(loadGatewayConfig({ AUDIT_HEAD_FILE: '/var/lib/govgraph/audit-head/head.json' }).audit.headFile).toBe('/var/lib/govgraph/audit-head/head.json');
});

test('each worker of GATEWAY_WORKERS keeps a head file of its own; the first keeps the one a single process would', () => {
  const head = (slot?: string) => loadGatewayConfig({ AUDIT_HEAD_FILE: '/srv/heads/audit-head.json', GATEWAY_WORKERS: '3', ...(slot && { GATEWAY_WORKER_SLOT: slot }) }).audit.headFile;
  expect([head(), head('1'), head('2'), head('3')]).toEqual(['/srv/heads/audit-head.json', '/srv/heads/audit-head.json', '/srv/heads/audit-head.worker-2.json', '/srv/heads/audit-head.worker-3.json']);
});

test('subgraph URL overrides are parsed by name', () => {
  expect(loadGatewayConfig({ SUBGRAPH_URLS: 'public-security=http://10.1.1.1:9000/graphql, civil-affairs=https://ca.example/graphql' }).subgraphUrls).toEqual({
    'public-security': 'http://10.1.1.1:9000/graphql',
    'civil-affairs': 'https://ca.example/graphql',
  });
});

test('subgraph health URLs are parsed by name like the URLs, and none by default', () => {
  expect(loadGatewayConfig({}).subgraphHealthUrls).toEqual({});
  expect(loadGatewayConfig({ SUBGRAPH_HEALTH_URLS: 'civil-affairs=http://10.1.1.2:9000/readyz' }).subgraphHealthUrls).toEqual({ 'civil-affairs': 'http://10.1.1.2:9000/readyz' });
});

test('the console is on; its explorer is on in development and off in production unless configured', () => {
  expect(loadGatewayConfig({}).console).toEqual({ enabled: true, explorer: true, dir: expect.stringMatching(/console\/dist$/) });
  expect(loadGatewayConfig({ NODE_ENV: 'production' }).console.explorer).toBe(false);
  expect(loadGatewayConfig({ NODE_ENV: 'production', CONSOLE_EXPLORER: 'on' }).console.explorer).toBe(true);
  expect(loadGatewayConfig({ CONSOLE: 'off' }).console.enabled).toBe(false);
  const signIn = { CONSOLE_OIDC_ISSUER: 'https://idp.example.gov.cn', CONSOLE_OIDC_CLIENT_ID: 'auditor', APP_TOKEN_AUDIENCE: 'https://govgraph.example.gov.cn/graphql' };
  expect(loadGatewayConfig(signIn).console.signIn).toEqual({ issuer: 'https://idp.example.gov.cn', clientId: 'auditor', resource: 'https://govgraph.example.gov.cn/graphql' });
  expect(loadGatewayConfig({}).console.signIn).toBeUndefined();
  expect(() => loadGatewayConfig({ CONSOLE_OIDC_ISSUER: 'https://idp.example.gov.cn' })).toThrow(/CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID together/);
  expect(() => loadGatewayConfig({ ...signIn, CONSOLE_OIDC_ISSUER: 'idp' })).toThrow(/CONSOLE_OIDC_ISSUER/);
});

test('CORS: no platform origins by default, a comma-separated list otherwise, and a preflight kept ten minutes unless configured', () => {
  expect(loadGatewayConfig({}).cors).toEqual({ origins: [], maxAgeSeconds: 600 });
  expect(loadGatewayConfig({ CORS_ORIGINS: ' https://dev.govgraph.example.gov.cn, http://localhost:5173 ,', CORS_MAX_AGE_SECONDS: '60' }).cors).toEqual({
    origins: ['https://dev.govgraph.example.gov.cn', 'http://localhost:5173'],
    maxAgeSeconds: 60,
  });
});

test.each([
  [{ CORS_ORIGINS: 'https://*.example.gov.cn' }, /CORS_ORIGINS: "https:\/\/\*\.example\.gov\.cn" must be one exact origin: no wildcard/],
  [{ CORS_ORIGINS: 'https://portal.example.gov.cn, https://portal.example.gov.cn/app' }, /CORS_ORIGINS: "https:\/\/portal\.example\.gov\.cn\/app" must be scheme, host and port only/],
  [{ CORS_ORIGINS: 'http://portal.example.gov.cn' }, /CORS_ORIGINS: .* must use https/],
  [{ CORS_MAX_AGE_SECONDS: '86401' }, /CORS_MAX_AGE_SECONDS/],
])('a bad CORS setting stops start-up naming it: %p', (env, message) => {
  expect(() => loadGatewayConfig(env)).toThrow(message);
});

test.each([
  [{ PORT: 'abc' }, /PORT/],
  [{ CONSOLE_EXPLORER: 'maybe' }, /CONSOLE_EXPLORER/],
  [{ SUBGRAPH_URLS: 'public-security:4001' }, /SUBGRAPH_URLS/],
  [{ SUBGRAPH_HEALTH_URLS: 'civil-affairs=/readyz' }, /SUBGRAPH_HEALTH_URLS: "civil-affairs=\/readyz" is not name=http\(s\):\/\/url/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  [{ APP_JWKS_FILE: 'a.json', APP_JWKS_URL: 'https://idp.example/jwks' }, /not both/],
  [{ PLATFORM_JWKS_FILE: 'a.json', PLATFORM_JWKS_URL: 'https://platform.example/jwks' }, /not both/],
  [{ APP_TOKEN_ISSUER: 'one-idp', PLATFORM_TOKEN_ISSUER: 'one-idp' }, /PLATFORM_TOKEN_ISSUER must differ from APP_TOKEN_ISSUER/],
])('a wrong value stops start-up naming the variable: %p', (env, message) => {
  expect(() => loadGatewayConfig(env)).toThrow(message);
});

test('traces: none without an OTLP endpoint; with one, exported as the gateway; a bad OTEL variable stops start-up naming it', () => {
  expect(loadGatewayConfig({}).tracing).toBeUndefined();
  expect(loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
    url: 'http://collector:4318/v1/traces',
    resource: { 'service.name': 'gateway' },
    sampler: { name: 'parentbased_always_on', ratio: 1 },
  });
  expect(() => loadGatewayConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/Invalid gateway configuration: OTEL_TRACES_SAMPLER: must be one of always_on/);
});

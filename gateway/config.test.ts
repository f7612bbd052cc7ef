import { loadGatewayConfig } from './config';

test('defaults make a development gateway on port 4000', () => {
  const config = loadGatewayConfig({});
  expect(config.port).toBe(4000);
  expect(config.appKeys).toEqual({ kind: 'file', file: expect.stringMatching(/data\/keys\/app-issuer\.jwks\.json$/) });
  expect(config.platformKeys).toEqual({ kind: 'file', file: expect.stringMatching(/data\/keys\/platform-issuer\.jwks\.json$/) });
  expect(config.platformTokenIssuer).not.toBe(config.appTokenIssuer);
  expect(Object.isFrozen(config)).toBe(true);
});

test('subgraph URL overrides are parsed by name', () => {
  expect(loadGatewayConfig({ SUBGRAPH_URLS: 'public-security=http://10.1.1.1:9000/graphql, civil-affairs=https://ca.example/graphql' }).subgraphUrls).toEqual({
    'public-security': 'http://10.1.1.1:9000/graphql',
    'civil-affairs': 'https://ca.example/graphql',
  });
});

test('the console is on; its explorer is on in development and off in production unless configured', () => {
  expect(loadGatewayConfig({}).console).toEqual({ enabled: true, explorer: true, dir: expect.stringMatching(/console\/dist$/) });
  expect(loadGatewayConfig({ NODE_ENV: 'production' }).console.explorer).toBe(false);
  expect(loadGatewayConfig({ NODE_ENV: 'production', CONSOLE_EXPLORER: 'on' }).console.explorer).toBe(true);
  expect(loadGatewayConfig({ CONSOLE: 'off' }).console.enabled).toBe(false);
});

test.each([
  [{ PORT: 'abc' }, /PORT/],
  [{ CONSOLE_EXPLORER: 'maybe' }, /CONSOLE_EXPLORER/],
  [{ SUBGRAPH_URLS: 'public-security:4001' }, /SUBGRAPH_URLS/],
  [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  [{ APP_JWKS_FILE: 'a.json', APP_JWKS_URL: 'https://idp.example/jwks' }, /not both/],
  [{ PLATFORM_JWKS_FILE: 'a.json', PLATFORM_JWKS_URL: 'https://platform.example/jwks' }, /not both/],
  [{ APP_TOKEN_ISSUER: 'one-idp', PLATFORM_TOKEN_ISSUER: 'one-idp' }, /PLATFORM_TOKEN_ISSUER must differ from APP_TOKEN_ISSUER/],
])('a wrong value stops start-up naming the variable: %p', (env, message) => {
  expect(() => loadGatewayConfig(env)).toThrow(message);
});

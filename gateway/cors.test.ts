import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS, createCorsPolicy } from './cors';

const PORTAL = 'http://localhost:5173';
const DESK = 'https://desk.example.gov.cn';
const PLATFORM = 'https://dev.govgraph.example.gov.cn';
const ELSEWHERE = 'https://elsewhere.example.com';

const policy = createCorsPolicy(
  { origins: [PLATFORM], maxAgeSeconds: 600 },
  new Map([
    ['oneservice-portal', [PORTAL]],
    ['crossprovince-desk', [DESK]],
    ['market-supervision', []],
  ]),
);
const preflightFrom = (origin: string) => policy.preflight('OPTIONS', { origin, 'access-control-request-method': 'POST' });

describe('a preflight is answered from the listed origins alone', () => {
  test.each([PORTAL, DESK, PLATFORM])('%s, listed by a contract or the platform, is allowed with the methods, headers and max age', (origin) => {
    expect(preflightFrom(origin)).toEqual({
      allowed: true,
      headers: {
        vary: 'Origin',
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': CORS_ALLOWED_HEADERS,
        'access-control-max-age': '600',
      },
    });
  });

  test.each([ELSEWHERE, 'null', 'http://localhost:5174', 'https://localhost:5173', `${PORTAL}/`, '*'])('%s, listed nowhere, is refused with no Access-Control header', (origin) => {
    expect(preflightFrom(origin)).toEqual({ allowed: false, headers: { vary: 'Origin' } });
  });

  test('the headers a GovGraph page sends are allowed, and nothing is reflected from the request', () => {
    const allowed = CORS_ALLOWED_HEADERS.split(', ');
    for (const header of ['authorization', 'content-type', 'x-purpose', 'x-case-id', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name']) expect(allowed).toContain(header);
    const answer = policy.preflight('OPTIONS', { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-anything, cookie' });
    expect(answer?.headers['access-control-allow-headers']).toBe(CORS_ALLOWED_HEADERS);
    expect(answer?.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  test.each([
    ['a GET', 'GET', { origin: PORTAL, 'access-control-request-method': 'POST' }],
    ['an OPTIONS without Origin', 'OPTIONS', { 'access-control-request-method': 'POST' }],
    ['an OPTIONS without Access-Control-Request-Method', 'OPTIONS', { origin: PORTAL }],
  ])('%s is not a preflight: it goes through authentication like any request', (_name, method, headers) => {
    expect(policy.preflight(method, headers)).toBeUndefined();
  });

  test('the max age is the configured one', () => {
    const short = createCorsPolicy({ origins: [PLATFORM], maxAgeSeconds: 0 }, new Map());
    expect(short.preflight('OPTIONS', { origin: PLATFORM, 'access-control-request-method': 'GET' })?.headers['access-control-max-age']).toBe('0');
  });
});

describe('an answer names the origin only for the calling app', () => {
  const allowing = (origin: string) => ({ vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSED_HEADERS });
  const refusing = { vary: 'Origin' };

  test('an app reads from the origins its own contract lists', () => {
    expect(policy.answerHeaders({ origin: PORTAL }, 'oneservice-portal')).toEqual(allowing(PORTAL));
    expect(policy.answerHeaders({ origin: DESK }, 'crossprovince-desk')).toEqual(allowing(DESK));
  });

  test("a page on one app's origin cannot read with another app's token", () => {
    expect(policy.answerHeaders({ origin: PORTAL }, 'crossprovince-desk')).toEqual(refusing);
    expect(policy.answerHeaders({ origin: DESK }, 'market-supervision')).toEqual(refusing);
    expect(policy.answerHeaders({ origin: PORTAL }, 'an-app-without-contract')).toEqual(refusing);
  });

  test('the platform origins serve every app, known or not', () => {
    for (const app of ['oneservice-portal', 'market-supervision', 'an-app-without-contract']) expect(policy.answerHeaders({ origin: PLATFORM }, app)).toEqual(allowing(PLATFORM));
  });

  test('a request whose app is not known (refused before authentication) is readable from any listed origin, and only those', () => {
    for (const origin of [PORTAL, DESK, PLATFORM]) expect(policy.answerHeaders({ origin }, undefined)).toEqual(allowing(origin));
    expect(policy.answerHeaders({ origin: ELSEWHERE }, undefined)).toEqual(refusing);
  });

  test('the exposed headers let a page quote the request id, wait as told and re-authenticate', () => {
    expect(CORS_EXPOSED_HEADERS.split(', ').sort()).toEqual(['retry-after', 'www-authenticate', 'x-request-id']);
  });

  test('a request without Origin (a server, or the console on its own origin) gets only Vary', () => {
    expect(policy.answerHeaders({}, 'oneservice-portal')).toEqual(refusing);
    expect(policy.answerHeaders({}, undefined)).toEqual(refusing);
  });
});

/**
 * CORS on the real gateway (THREATS G26): a browser page on an origin its app's contract lists (the demo
 * portal's `http://localhost:5173`) or the platform lists gets its preflight answered before
 * authentication — nothing asked of any department, one audit record — and reads every answer to its
 * own app, refusals included; any other origin gets no Access-Control header, so the browser blocks it.
 * The browser's side (it enforces what these headers say) is browser-sign-in.test.ts's.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { AuditRecord } from '../audit/audit-record';
import { AuditStore } from '../audit/audit-store';
import { CORS_ALLOWED_HEADERS } from '../gateway/cors';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, LIMITED_APP, startGraph, type TestGraph } from './support/graph';

const PORTAL_APP = 'oneservice-portal';
/** Listed by the demo portal's contract (contracts/apps/oneservice-portal.yaml). */
const PORTAL_ORIGIN = 'http://localhost:5173';
/** Listed by the platform (CORS_ORIGINS) on a second gateway. */
const PLATFORM_ORIGIN = 'https://dev.govgraph.example.gov.cn';
const ELSEWHERE = 'https://elsewhere.example.com';
const CATALOGUE = JSON.stringify({ query: '{ serviceItems { code name } }' });
const DEPARTMENT_CALLS = 'govgraph_subgraph_requests_total';

let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request carrying exactly the headers given, as a browser sends a preflight. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const preflight = (origin: string, url = graph.gateway.url) =>
  send(url, 'OPTIONS', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-purpose' });

async function post(options: { origin?: string; app?: string; purpose?: string; body?: string; url?: string }): Promise<Answer> {
  const token = options.app === undefined ? undefined : await graph.token({ app: options.app });
  return send(
    options.url ?? graph.gateway.url,
    'POST',
    {
      'content-type': 'application/json',
      ...(options.origin !== undefined && { origin: options.origin }),
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(options.purpose !== undefined && { 'x-purpose': options.purpose }),
    },
    options.body ?? CATALOGUE,
  );
}

const accessControlHeaders = (answer: Answer) => Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));

async function recordsOf(requestId: string | string[] | undefined, auditFile = join(graph.dataDir, 'db', 'audit.sqlite')): Promise<AuditRecord[]> {
  const store = await AuditStore.open({ kind: 'sqlite', file: auditFile });
  try {
    return (await store.recordsAfter(0, 1_000_000)).filter((r) => r.requestId === requestId);
  } finally {
    await store.close();
  }
}

describe('preflights, before authentication', () => {
  test('a listed origin gets the methods, the headers GovGraph uses and a max age, nothing read, one record', async () => {
    const calls = await graph.subgraphCounter(DEPARTMENT_CALLS);
    const answer = await preflight(PORTAL_ORIGIN);
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': PORTAL_ORIGIN,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': CORS_ALLOWED_HEADERS,
      'access-control-max-age': '600',
      vary: 'Origin',
    });
    expect(answer.headers['access-control-allow-headers']).toEqual(expect.stringContaining('x-case-id'));
    expect(answer.headers).not.toHaveProperty('access-control-allow-credentials');
    expect(await graph.subgraphCounter(DEPARTMENT_CALLS)).toBe(calls);
    const records = await recordsOf(answer.headers['x-request-id']);
    expect(records).toEqual([expect.objectContaining({ decision: 'PERMIT', outcome: 'ok', app: null, operator: null, fields: [], subjects: [], errorCodes: [] })]);
    expect(records[0]!.rule).toMatch(/CORS preflight/);
  });

  test.each([ELSEWHERE, 'null', 'http://localhost:5174', PLATFORM_ORIGIN])('%s, listed nowhere, is refused 403 with no Access-Control header, and recorded as denied', async (origin) => {
    const calls = await graph.subgraphCounter(DEPARTMENT_CALLS);
    const answer = await preflight(origin);
    expect(answer.status).toBe(403);
    expect(accessControlHeaders(answer)).toEqual([]);
    expect(answer.headers.vary).toBe('Origin');
    expect(JSON.parse(answer.body)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(await graph.subgraphCounter(DEPARTMENT_CALLS)).toBe(calls);
    expect(await recordsOf(answer.headers['x-request-id'])).toEqual([expect.objectContaining({ decision: 'DENY', outcome: 'error', app: null, errorCodes: ['FORBIDDEN'] })]);
  });

  test('an OPTIONS that is not a preflight (no Access-Control-Request-Method) is not answered before authentication', async () => {
    const answer = await send(graph.gateway.url, 'OPTIONS', { origin: PORTAL_ORIGIN });
    expect(answer.status).toBe(401);
    expect(await recordsOf(answer.headers['x-request-id'])).toEqual([expect.objectContaining({ decision: 'UNAUTHENTICATED' })]);
  });
});

describe('answers: the origin is named for the calling app only', () => {
  test("the portal's page reads the catalogue from its own origin", async () => {
    const answer = await post({ origin: PORTAL_ORIGIN, app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.serviceItems.length).toBeGreaterThan(0);
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': PORTAL_ORIGIN, vary: 'Origin' });
    expect(answer.headers['access-control-expose-headers']!.split(', ')).toEqual(expect.arrayContaining(['x-request-id', 'retry-after', 'www-authenticate']));
    expect(answer.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  test("another app's token from the portal's origin is answered without the header: the browser keeps the answer from the page", async () => {
    const answer = await post({ origin: PORTAL_ORIGIN, app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE });
    expect(answer.status).toBe(200);
    expect(accessControlHeaders(answer)).toEqual([]);
    expect(answer.headers.vary).toBe('Origin');
  });

  test('an origin listed nowhere is answered without Access-Control headers, even for the portal', async () => {
    const answer = await post({ origin: ELSEWHERE, app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE' });
    expect(answer.status).toBe(200);
    expect(accessControlHeaders(answer)).toEqual([]);
    expect(answer.headers.vary).toBe('Origin');
  });

  test("the console on the gateway's own origin keeps working without CORS", async () => {
    const own = new URL(graph.gateway.url).origin;
    const answer = await post({ origin: own, app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.serviceItems.length).toBeGreaterThan(0);
    expect(accessControlHeaders(answer)).toEqual([]);
  });

  test('every answer varies by Origin, one without Origin too', async () => {
    const answer = await post({ app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE' });
    expect(answer.status).toBe(200);
    expect(answer.headers.vary).toBe('Origin');
    expect(accessControlHeaders(answer)).toEqual([]);
  });
});

describe('refusals are readable by the page they refuse', () => {
  test('401 without a token names the origin and exposes WWW-Authenticate, so the page can sign in again', async () => {
    const answer = await post({ origin: PORTAL_ORIGIN });
    expect(answer.status).toBe(401);
    expect(answer.headers).toMatchObject({ 'access-control-allow-origin': PORTAL_ORIGIN, 'www-authenticate': 'Bearer' });
    expect(answer.headers['access-control-expose-headers']).toMatch(/www-authenticate/);
    expect(await recordsOf(answer.headers['x-request-id'])).toEqual([expect.objectContaining({ decision: 'UNAUTHENTICATED' })]);
  });

  test('401 to an origin listed nowhere does not name it', async () => {
    const answer = await post({ origin: ELSEWHERE });
    expect(answer.status).toBe(401);
    expect(accessControlHeaders(answer)).toEqual([]);
  });

  test('403 from the access gate names the origin', async () => {
    const answer = await post({ origin: PORTAL_ORIGIN, app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE', body: JSON.stringify({ query: '{ enterprises(first: 1) { nodes { name } } }' }) });
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBe(PORTAL_ORIGIN);
  });

  test('413 for a body over the limit names the origin', async () => {
    const answer = await post({ origin: PORTAL_ORIGIN, app: PORTAL_APP, purpose: 'SERVICE_CATALOGUE', body: JSON.stringify({ query: `{ serviceItems { code } } # ${'x'.repeat(1_100_000)}` }) });
    expect(answer.status).toBe(413);
    expect(answer.headers['access-control-allow-origin']).toBe(PORTAL_ORIGIN);
  });

  test('400 for a body that is not JSON names the origin', async () => {
    const answer = await post({ origin: PORTAL_ORIGIN, app: PORTAL_APP, body: '{"query": ' });
    expect(answer.status).toBe(400);
    expect(answer.headers['access-control-allow-origin']).toBe(PORTAL_ORIGIN);
  });
});

describe('the platform origins (CORS_ORIGINS) serve every app', () => {
  let gateway: Awaited<ReturnType<TestGraph['startGateway']>>;
  beforeAll(async () => {
    gateway = await graph.startGateway({ cors: { origins: [PLATFORM_ORIGIN], maxAgeSeconds: 120 } });
  });

  test("a preflight from a platform origin is allowed, with the gateway's max age; a contract's origin still is", async () => {
    const platform = await preflight(PLATFORM_ORIGIN, gateway.url);
    expect(platform.status).toBe(204);
    expect(platform.headers).toMatchObject({ 'access-control-allow-origin': PLATFORM_ORIGIN, 'access-control-max-age': '120' });
    expect((await preflight(PORTAL_ORIGIN, gateway.url)).headers['access-control-allow-origin']).toBe(PORTAL_ORIGIN);
  });

  test('any app reads from a platform origin', async () => {
    for (const [app, purpose] of [[PORTAL_APP, 'SERVICE_CATALOGUE'], [EVERYTHING_APP, EVERYTHING_PURPOSE]] as const) {
      const answer = await post({ url: gateway.url, origin: PLATFORM_ORIGIN, app, purpose });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe(PLATFORM_ORIGIN);
    }
  });

  test('429 names the origin and exposes Retry-After', async () => {
    // The rate-limited test app allows 5 requests a minute; a sequence that must fall within one starts well inside it.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5_000) await new Promise((r) => setTimeout(r, left + 100));
    const body = JSON.stringify({ query: '{ serviceItems { code } }' });
    for (let i = 0; i < 5; i++) expect((await post({ url: gateway.url, origin: PLATFORM_ORIGIN, app: LIMITED_APP, body })).status).toBe(200);
    const refused = await post({ url: gateway.url, origin: PLATFORM_ORIGIN, app: LIMITED_APP, body });
    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({ 'access-control-allow-origin': PLATFORM_ORIGIN, 'retry-after': expect.stringMatching(/^\d+$/) });
    expect(refused.headers['access-control-expose-headers']).toMatch(/retry-after/);
  });
});

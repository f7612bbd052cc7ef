/**
 * Per-app rate limits from the contract (THREATS G7): requests per minute counted before any work, cost
 * per minute counted after the access gate; 429 RATE_LIMITED with Retry-After; shared through Redis by
 * several gateways.
 */
import Redis from 'ioredis';
import { EVERYTHING_APP, EVERYTHING_PURPOSE, LIMITED_APP, startGraph, type TestGraph } from './support/graph';

const REDIS_URL = process.env['GOVGRAPH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/15';
let graph: TestGraph;

beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

/** Budgets are counted per fixed minute: a sequence that must fall within one starts well inside it. */
async function clearOfMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 100));
}

const catalogue = (url?: string) => graph.queryAs({ app: LIMITED_APP, ...(url && { url }) }, '{ serviceItems { code } }');

test('requests over the contract’s budget get 429 with Retry-After, before any department is asked', async () => {
  // Each catalogue read costs 2 units (two coordinates): 5 requests cost 10 of the 12 allowed.
  await clearOfMinuteEnd();
  for (let i = 0; i < 5; i++) expect((await catalogue()).status).toBe(200);
  const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
  const refused = await catalogue();
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(refused.body.errors![0]).toMatchObject({ message: expect.stringMatching(/used its requests for this minute/), extensions: { code: 'RATE_LIMITED' } });
  expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
});

test('cost over the budget is refused too, and the other apps are not affected', async () => {
  const costly = await graph.startGateway();
  const wide = '{ serviceItems { code name department modes legalBasis } }';
  // Six coordinates a read: two reads use the 12 units.
  await clearOfMinuteEnd();
  for (let i = 0; i < 2; i++) expect((await graph.queryAs({ app: LIMITED_APP, url: costly.url }, wide)).status).toBe(200);
  const refused = await graph.queryAs({ app: LIMITED_APP, url: costly.url }, wide);
  expect(refused.status).toBe(429);
  expect(refused.body.errors![0]).toMatchObject({ message: expect.stringMatching(/used its cost/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } });
  // The same gateway still serves another app: budgets are per app.
  expect((await graph.queryAs({ app: EVERYTHING_APP, purpose: EVERYTHING_PURPOSE, url: costly.url }, wide)).status).toBe(200);
});

test('replicas share the budget through Redis', async () => {
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  const first = await graph.startGateway({ rateLimitRedisUrl: REDIS_URL });
  const second = await graph.startGateway({ rateLimitRedisUrl: REDIS_URL });
  const statuses: number[] = [];
  await clearOfMinuteEnd();
  for (let i = 0; i < 6; i++) statuses.push((await catalogue((i % 2 ? first : second).url)).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
});

test('a gateway whose Redis cannot be reached starts after the readiness timeout and lets requests through uncounted', async () => {
  const timeoutMs = 1500;
  const startingTime = async (overrides: Parameters<typeof graph.startGateway>[0]) => {
    const started = Date.now();
    const gateway = await graph.startGateway(overrides);
    return { gateway, ms: Date.now() - started };
  };
  // A gateway that need not wait starts well within the timeout, so only the wait can make the second take as long.
  expect((await startingTime({ rateLimitRedisUrl: REDIS_URL, readinessTimeoutMs: timeoutMs })).ms).toBeLessThan(timeoutMs);
  const { gateway: unreachable, ms } = await startingTime({ rateLimitRedisUrl: 'redis://127.0.0.1:1/15', readinessTimeoutMs: timeoutMs });
  expect(ms).toBeGreaterThanOrEqual(timeoutMs);
  // Fail open: the limits are not counted while their store is down, so more than the budget passes.
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await catalogue(unreachable.url)).status);
  expect(statuses).toEqual(Array(7).fill(200));
});

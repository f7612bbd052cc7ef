/**
 * The replica rehearsal (scripts/rehearsal/, `npm run rehearse:replicas`), shortened: every department on
 * the machine's PostgreSQL, two gateway replicas from the production build (`npm test` builds dist/ first)
 * sharing the audit chain and Redis rate limits, behind Debian's HAProxy (.ci/run installs it). Under a
 * bounded load one replica gets SIGTERM, then another SIGKILL. GOVGRAPH_TEST_POSTGRES_URL and
 * GOVGRAPH_TEST_REDIS_URL override the servers.
 */
import { rehearseReplicas, type RehearsalReport } from '../scripts/rehearsal/replica-rehearsal';
import { rehearsalProblems } from '../scripts/rehearsal/rehearsal-problems';

const POSTGRES_URL = process.env['GOVGRAPH_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Not the rate-limit tests' database, which they flush.
const REDIS_URL = process.env['GOVGRAPH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379/14';

let report: RehearsalReport;
beforeAll(async () => {
  report = await rehearseReplicas({ postgresUrl: POSTGRES_URL, redisUrl: REDIS_URL, connections: 20, seconds: 6, log: () => undefined });
}, 300_000);

test('every requirement of the rehearsal holds', () => {
  expect(rehearsalProblems(report)).toEqual([]);
});

test('a replica stopped with SIGTERM under load fails no request: every one is answered with data and recorded once', () => {
  const run = report.runs.find((r) => r.signal === 'SIGTERM')!;
  expect(run).toMatchObject({ failed: [], unanswered: 0, exit: { code: 0, signal: null } });
  expect(run.answered).toBe(run.requests);
  expect(run.records).toMatchObject({ records: run.requests, answeredOnce: run.requests, withoutAnswer: 0 });
  // Out of HAProxy before it stopped accepting, and the signal came with the load well under way.
  expect(run.outAfterMs).toBeLessThan(report.shutdownDelaySeconds * 1000);
  expect(run.signalAtSeconds).toBeGreaterThan(0.5);
  expect(run.exit.afterMs).toBeGreaterThanOrEqual(report.shutdownDelaySeconds * 1000);
});

test('a replica killed with SIGKILL fails at most the requests in flight, and every answered one is recorded once', () => {
  const run = report.runs.find((r) => r.signal === 'SIGKILL')!;
  expect(run.exit.signal).toBe('SIGKILL');
  expect(run.failed.length + run.unanswered).toBeLessThanOrEqual(report.connections);
  expect(run.answered + run.failed.length + run.unanswered).toBe(run.requests);
  expect(run.records.answeredOnce).toBe(run.answered);
  expect(run.records.withoutAnswer).toBeLessThanOrEqual(run.failed.length + run.unanswered);
  expect(run.chain.ok).toBe(true);
});

test('the replicas count an app’s requests together, and the chain is whole and signed once they have stopped', () => {
  expect(report.rateLimit.statuses).toEqual([200, 200, 200, 200, 200, 429]);
  expect(report.finalChain).toMatchObject({ ok: true, unsignedRecords: 0 });
});

/** What the replica rehearsal requires (docs/operations.md), as the list of what a report breaks: empty when it passed. */
import type { RehearsalReport, RunFigures } from './replica-rehearsal';

/** What a client may see of a request its replica died under: HAProxy's own error answers. */
const LOAD_BALANCER_ERRORS = new Set([502, 503, 504]);

function runProblems(run: RunFigures, report: RehearsalReport): string[] {
  const problems: string[] = [];
  const name = `${run.signal} run`;
  const accounted = run.answered + run.failed.length + run.unanswered;
  if (accounted !== run.requests) problems.push(`${name}: ${run.requests} requests sent, but ${accounted} answered, failed or unanswered`);
  if (run.signal === 'SIGTERM') {
    if (run.failed.length + run.unanswered > 0) problems.push(`${name}: ${run.failed.length} requests failed and ${run.unanswered} got no answer; a replica stopping gracefully fails none`);
    if (run.exit.code !== 0) problems.push(`${name}: the replica exited ${run.exit.signal ?? run.exit.code}, not 0`);
    if (run.outAfterMs >= report.shutdownDelaySeconds * 1000) problems.push(`${name}: HAProxy took the replica out after ${run.outAfterMs} ms, not within its shutdown delay`);
    if (run.records.withoutAnswer > 0) problems.push(`${name}: ${run.records.withoutAnswer} records of requests that got no answer`);
  } else {
    // A killed replica fails what it was answering: at most one request per connection of the load.
    if (run.failed.length + run.unanswered > report.connections) {
      problems.push(`${name}: ${run.failed.length + run.unanswered} requests failed, more than could have been in flight (${report.connections} connections)`);
    }
    const unclear = run.failed.filter((f) => !LOAD_BALANCER_ERRORS.has(f.status));
    if (unclear.length > 0) problems.push(`${name}: failed answers other than HAProxy's 502/503/504: ${unclear.map((f) => `${f.status} ${f.said}`).join('; ')}`);
    const late = run.failed.filter((f) => f.at > run.outAfterMs);
    if (late.length > 0) problems.push(`${name}: ${late.length} requests failed after HAProxy had taken the replica out`);
    if (run.records.withoutAnswer > run.failed.length + run.unanswered) {
      problems.push(`${name}: ${run.records.withoutAnswer} records without an answer, more than the ${run.failed.length + run.unanswered} requests that failed`);
    }
  }
  if (run.records.answeredWithout.length > 0) problems.push(`${name}: ${run.records.answeredWithout.length} answered requests have no audit record, e.g. ${run.records.answeredWithout[0]}`);
  if (run.records.answeredTwice.length > 0) problems.push(`${name}: ${run.records.answeredTwice.length} answered requests have more than one record, e.g. ${run.records.answeredTwice[0]}`);
  if (!run.chain.ok) problems.push(`${name}: the audit chain does not verify: ${run.chain.problem}`);
  return problems;
}

export function rehearsalProblems(report: RehearsalReport): string[] {
  const problems: string[] = [];
  const { requestsPerMinute, statuses } = report.rateLimit;
  const expected = [...Array<number>(requestsPerMinute).fill(200), 429];
  if (statuses.join() !== expected.join()) problems.push(`rate limits: requests on both replicas in turn got ${statuses.join(' ')}, not ${expected.join(' ')}: the replicas do not count together (is Redis reachable at --redis?)`);
  for (const run of report.runs) problems.push(...runProblems(run, report));
  if (!report.finalChain.ok) problems.push(`after every gateway stopped, the audit chain does not verify: ${report.finalChain.problem}`);
  else if (report.finalChain.unsignedRecords > 0) problems.push(`after every gateway stopped, ${report.finalChain.unsignedRecords} records come after the signed head`);
  return problems;
}

/** The replica rehearsal's figures as Markdown, as bench/results/replicas.md keeps them. */
import type { FailedAnswer } from './load';
import type { RehearsalReport, RunFigures } from './replica-rehearsal';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "502 Bad Gateway ×3; 503 …" */
function failures(failed: readonly FailedAnswer[]): string {
  if (failed.length === 0) return '0';
  const counts = new Map<string, number>();
  for (const f of failed) {
    // HAProxy's pages say their status themselves ("502 Bad Gateway").
    const said = f.said.startsWith(String(f.status)) ? f.said : `${f.status} ${f.said}`;
    counts.set(said, (counts.get(said) ?? 0) + 1);
  }
  const [first, last] = [Math.min(...failed.map((f) => f.at)), Math.max(...failed.map((f) => f.at))];
  const window = `${first === last ? first : `${first}–${last}`} ms after the signal`;
  return `${failed.length}: ${[...counts].map(([said, n]) => `${said} ×${n}`).join('; ')} (${window})`;
}

function exit(run: RunFigures): string {
  if (run.exit.signal) return `killed (${run.exit.signal})`;
  return `exit ${run.exit.code}, ${seconds(run.exit.afterMs)} after the signal`;
}

function chain(run: RunFigures): string {
  return run.chain.ok ? `verifies: ${run.chain.records} records, ${run.chain.unsignedRecords} after the signed head` : `NOT verified: ${run.chain.problem}`;
}

const ROWS: ReadonlyArray<[string, (run: RunFigures) => string]> = [
  ['requests sent', (r) => String(r.requests)],
  ['answered (2xx with data)', (r) => String(r.answered)],
  ['failed answers', (r) => failures(r.failed)],
  ['no answer (connection closed under the request)', (r) => String(r.unanswered)],
  ['latency p50 / p99 / max', (r) => `${r.latencyMs.p50} / ${r.latencyMs.p99} / ${r.latencyMs.max} ms`],
  ['run length; signal sent at', (r) => `${r.seconds.toFixed(1)} s; ${r.signalAtSeconds.toFixed(1)} s`],
  ['replica out of HAProxy after the signal', (r) => `${r.outAfterMs} ms`],
  ['replica process', exit],
  ['audit records of the run', (r) => String(r.records.records)],
  ['answered requests with exactly one record', (r) => `${r.records.answeredOnce} of ${r.answered}`],
  ['records of requests that got no answer', (r) => String(r.records.withoutAnswer)],
  ['audit chain after the run', chain],
];

export function rehearsalMarkdown(report: RehearsalReport, command: string, problems: readonly string[]): string {
  const { checks } = report;
  const lines = [
    '# Replica rehearsal',
    '',
    `${report.date.slice(0, 10)}: \`${command}\` on this machine: ${report.machine.cores} cores shared with other`,
    `work (load average ${report.machine.loadAverage.toFixed(1)} as it began), so read the latencies as an upper bound. What the`,
    'rehearsal runs and requires: docs/operations.md, "The replica rehearsal".',
    '',
    `${report.departments} departments on PostgreSQL; two gateway replicas from the production build sharing the audit`,
    'chain (PostgreSQL) and the rate limits (Redis), with',
    `\`SHUTDOWN_DELAY_SECONDS=${report.shutdownDelaySeconds}\`; HAProxy in front, probing \`/readyz\` every ${checks.intervalMs} ms, a replica out after`,
    `${checks.fall} failed probes and back after ${checks.rise}, a request whose connection to a replica fails sent to the other.`,
    `The load: autocannon, ${report.connections} connections, a fixed number of requests set from a warm-up's pace`,
    `(${report.warmUpPerSecond} requests/s), each \`{ enterprises(first: 2) { nodes { name legalRepresentative { name } } } }\``,
    '(two departments, one audit record).',
    '',
    `| | ${report.runs.map((r) => `${r.signal} to ${r.replica}`).join(' | ')} |`,
    `|---|${report.runs.map(() => '---').join('|')}|`,
    ...ROWS.map(([label, cell]) => `| ${label} | ${report.runs.map(cell).join(' | ')} |`),
    '',
    'A request with no answer had its connection closed by HAProxy when the replica died under it: an HTTP',
    'client reports the connection reset. Records are matched to answers by the X-Request-Id the gateway answers with.',
    '',
    `Rate limits: ${report.rateLimit.statuses.length} requests of an app allowed ${report.rateLimit.requestsPerMinute} a minute, sent to replica-1 and`,
    `replica-2 in turn, were answered ${report.rateLimit.statuses.join(' ')}.`,
    '',
    report.finalChain.ok
      ? `Once every gateway had stopped, the chain verified: ${report.finalChain.records} records, the head signed at record ${report.finalChain.lastCheckpoint?.seq ?? 0}.`
      : `Once every gateway had stopped, the chain did NOT verify: ${report.finalChain.problem}.`,
    '',
    problems.length === 0 ? 'Every requirement held.' : `Requirements broken:\n\n${problems.map((p) => `- ${p}`).join('\n')}`,
    '',
  ];
  return lines.join('\n');
}

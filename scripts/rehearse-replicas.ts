/**
 * `npm run rehearse:replicas -- [--seconds N] [--connections N] [--postgres URL] [--redis URL] [--out FILE]`:
 * the replica rehearsal (scripts/rehearsal/, docs/operations.md) for an operator, its figures as Markdown.
 */
import { writeFileSync } from 'node:fs';
import { parseCommandLine, runCommandLine, UsageError } from './command-line';
import { rehearseReplicas } from './rehearsal/replica-rehearsal';
import { rehearsalMarkdown } from './rehearsal/rehearsal-report';
import { rehearsalProblems } from './rehearsal/rehearsal-problems';

const USAGE = `usage: npm run rehearse:replicas -- [--seconds N] [--connections N] [--postgres URL] [--redis URL] [--out FILE]

Rehearses gateway replicas failing over on this machine, from the production build (the npm script builds
it first): every department on PostgreSQL, two gateway replicas sharing the audit chain and the rate
limits, HAProxy in front of them. Under load, one replica is stopped with SIGTERM, then another killed with
SIGKILL; the answers are matched against the audit chain. Prints the figures as Markdown on stdout, its
progress on stderr. Needs HAProxy (apt-get install haproxy), PostgreSQL and Redis, as .ci/run sets them up.

  --seconds N       about how long each run's load lasts (default 10)
  --connections N   concurrent connections of the load (default 20)
  --postgres URL    a PostgreSQL server to create and drop temporary databases on
                    (default postgres://postgres@127.0.0.1:5432/postgres)
  --redis URL       the Redis the replicas share rate limits through (default redis://127.0.0.1:6379/14)
  --out FILE        write the Markdown to FILE as well, e.g. bench/results/replicas.md

exit codes: 0 every requirement held, 1 one broke (each is named) or the rehearsal could not run, 2 a wrong command line`;

function whole(value: string | undefined, fallback: number, flag: string, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`--${flag} must be a whole number from 1 to ${max}`);
  return n;
}

async function main(args: string[]): Promise<void> {
  const { values } = parseCommandLine({
    args,
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string' },
      postgres: { type: 'string' },
      redis: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const started = Date.now();
  const report = await rehearseReplicas({
    seconds: whole(values.seconds, 10, 'seconds', 600),
    connections: whole(values.connections, 20, 'connections', 1000),
    postgresUrl: values.postgres ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: values.redis ?? 'redis://127.0.0.1:6379/14',
    log: (line) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}\n`),
  });
  const problems = rehearsalProblems(report);
  const markdown = rehearsalMarkdown(report, ['npm run rehearse:replicas', ...(args.length > 0 ? ['--', ...args] : [])].join(' '), problems);
  process.stdout.write(markdown);
  if (values.out) writeFileSync(values.out, markdown);
  if (problems.length > 0) throw new Error(`the rehearsal broke ${problems.length} requirement${problems.length === 1 ? '' : 's'} (listed above)`);
}

runCommandLine(USAGE, main);

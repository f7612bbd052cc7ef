/**
 * The replica rehearsal (docs/operations.md): under a bounded load through HAProxy, one gateway replica is
 * stopped with SIGTERM — a rolling update, a node drained — and, in a second run, killed with SIGKILL — a
 * crash. Each run measures what clients saw, how long HAProxy took to take the replica out, and matches
 * the answers against the shared audit chain, which must verify. Before the runs, an app with a small
 * budget is sent requests on both replicas in turn, which must count them together.
 */
import { cpus, loadavg } from 'node:os';
import { AuditStore } from '../../audit/audit-store';
import { readChainKey, type ChainKeys } from '../../audit/chain-keys';
import { readCheckpointKeys } from '../../audit/checkpoint-signer';
import { verifyChain, type Verification } from '../../audit/verify-chain';
import { departments } from '../departments';
import { mintAppToken } from '../mint-app-token';
import { LIMITED_PURPOSE, LIMITED_QUERY, LIMITED_REQUESTS_PER_MINUTE, LOAD_APP, LOAD_PURPOSE, LOAD_QUERY, startDeployment, type Deployment } from './deployment';
import type { HealthChecks } from './haproxy';
import { runLoad, type FailedAnswer } from './load';
import { lastSeq, matchRecords, recordsByRequest, type RecordMatch } from './trail-records';

export interface RehearsalOptions {
  postgresUrl: string;
  redisUrl: string;
  connections: number;
  /** About how long each run's load lasts. */
  seconds: number;
  log(line: string): void;
}

export interface RunFigures {
  signal: 'SIGTERM' | 'SIGKILL';
  replica: string;
  requests: number;
  answered: number;
  /** Non-2xx answers, or 2xx without data: each with what it said, `at` ms after the signal. */
  failed: FailedAnswer[];
  /** Requests whose connection closed under them with no answer (load.ts). */
  unanswered: number;
  latencyMs: { p50: number; p99: number; max: number };
  seconds: number;
  /** When the signal was sent, from the start of the load. */
  signalAtSeconds: number;
  /** From the signal until HAProxy counted the replica out (DOWN). */
  outAfterMs: number;
  /** How the replica's process ended, and when after the signal. */
  exit: { code: number | null; signal: string | null; afterMs: number };
  records: RecordMatch;
  chain: Verification;
}

export interface RehearsalReport {
  date: string;
  /** The machine: its cores, and its load average over the minute before the rehearsal began. */
  machine: { cores: number; loadAverage: number };
  connections: number;
  /** The warm-up's pace, from which each run's number of requests was set. */
  warmUpPerSecond: number;
  departments: number;
  checks: HealthChecks;
  shutdownDelaySeconds: number;
  /** The small app's budget, and what its requests got, sent to replica-1 and replica-2 in turn. */
  rateLimit: { requestsPerMinute: number; statuses: number[] };
  runs: RunFigures[];
  /** The chain once every gateway has stopped: the last one signed its head. */
  finalChain: Verification;
}

/** HAProxy probes /readyz twice a second and counts two failures in a row: a replica is out within about a second. */
const CHECKS: HealthChecks = { intervalMs: 500, fall: 2, rise: 2 };
/** Longer than HAProxy takes to count a stopping replica out. */
const SHUTDOWN_DELAY_SECONDS = 2;
/** Every audit tool of the deployment uses the default interval. */
const CHECKPOINT_EVERY = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rate limits count per fixed minute: a short sequence that must fall in one starts well inside it. */
async function clearOfMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await sleep(left + 100);
}

async function sharedRateLimit(deployment: Deployment): Promise<number[]> {
  const token = await mintAppToken(deployment.keys.appIssuerPrivate, { app: deployment.limitedApp });
  const replicas = ['replica-1', 'replica-2'].map((name) => deployment.replicas.get(name)!);
  const statuses: number[] = [];
  await clearOfMinuteEnd();
  for (let i = 0; i <= LIMITED_REQUESTS_PER_MINUTE; i++) {
    const response = await fetch(`http://127.0.0.1:${replicas[i % 2]!.port}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-purpose': LIMITED_PURPOSE, 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIMITED_QUERY }),
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

function hasEnterprises(body: unknown): boolean {
  const nodes = (body as { data?: { enterprises?: { nodes?: unknown[] } } } | null)?.data?.enterprises?.nodes;
  return Array.isArray(nodes) && nodes.length > 0;
}

/** The checks and runs, over a deployment that is up and the audit chain it writes. */
async function rehearse(deployment: Deployment, store: AuditStore, options: RehearsalOptions & { machine: RehearsalReport['machine'] }): Promise<RehearsalReport> {
  const keys: ChainKeys = {
    chainKey: readChainKey(deployment.keys.auditChainKey, false),
    checkpointKeys: readCheckpointKeys(deployment.keys.auditCheckpointKey, false),
    checkpointEvery: CHECKPOINT_EVERY,
  };
  options.log(`rate limits: an app allowed ${LIMITED_REQUESTS_PER_MINUTE} requests a minute, sent requests on both replicas in turn`);
  const rateLimit = { requestsPerMinute: LIMITED_REQUESTS_PER_MINUTE, statuses: await sharedRateLimit(deployment) };

  const token = await mintAppToken(deployment.keys.appIssuerPrivate, { app: LOAD_APP });
  const load = (amount: number) =>
    runLoad({
      url: deployment.lb.url,
      headers: { authorization: `Bearer ${token}`, 'x-purpose': LOAD_PURPOSE, 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOAD_QUERY }),
      connections: options.connections,
      amount,
      hasData: hasEnterprises,
    });
  // The warm-up measures the pace, so that each run's fixed number of requests lasts about `seconds`.
  const warmUp = await load(options.connections * 10);
  const perSecond = warmUp.answered.length / warmUp.seconds;
  const amount = Math.max(options.connections * 10, Math.round(perSecond * options.seconds));
  options.log(`warm-up: ${Math.round(perSecond)} requests/s; each run sends ${amount} requests over ${options.connections} connections`);

  const run = async (signal: 'SIGTERM' | 'SIGKILL', name: string): Promise<RunFigures> => {
    const replica = deployment.replicas.get(name)!;
    const before = await lastSeq(store);
    const running = load(amount);
    await sleep((options.seconds * 1000) / 3);
    const signalledAt = Date.now();
    replica.signal(signal);
    options.log(`${signal} to ${name}`);
    const [outcome, outAfterMs, exit] = await Promise.all([
      running,
      deployment.lb.until(name, 'DOWN', 30_000).then(() => Date.now() - signalledAt),
      replica.exited,
    ]);
    const records = matchRecords(outcome.answered, await recordsByRequest(store, LOAD_APP, before));
    const figures: RunFigures = {
      signal,
      replica: name,
      requests: amount,
      answered: outcome.answered.length,
      failed: outcome.failed.map((f) => ({ ...f, at: f.at - signalledAt })),
      unanswered: outcome.unanswered,
      latencyMs: outcome.latencyMs,
      seconds: outcome.seconds,
      signalAtSeconds: (signalledAt - outcome.startedAt) / 1000,
      outAfterMs,
      exit: { code: exit.code, signal: exit.signal, afterMs: exit.at - signalledAt },
      records,
      chain: await verifyChain(store, keys),
    };
    options.log(`${signal}: ${figures.answered} of ${amount} answered, ${figures.failed.length} failed, ${figures.unanswered} unanswered; ${records.records} records`);
    return figures;
  };

  const runs = [await run('SIGTERM', 'replica-1')];
  // Replaced, as a deployment replaces a replica it stopped, before the next run.
  await deployment.startReplica('replica-1');
  await deployment.lb.until('replica-1', 'UP', 30_000);
  runs.push(await run('SIGKILL', 'replica-2'));

  await deployment.stopServices();
  return {
    date: new Date().toISOString(),
    machine: options.machine,
    connections: options.connections,
    warmUpPerSecond: Math.round(perSecond),
    departments: departments().length,
    checks: CHECKS,
    shutdownDelaySeconds: SHUTDOWN_DELAY_SECONDS,
    rateLimit,
    runs,
    finalChain: await verifyChain(store, keys),
  };
}

export async function rehearseReplicas(options: RehearsalOptions): Promise<RehearsalReport> {
  const machine = { cores: cpus().length, loadAverage: loadavg()[0]! };
  const deployment = await startDeployment({ ...options, shutdownDelaySeconds: SHUTDOWN_DELAY_SECONDS, checks: CHECKS });
  try {
    const store = await AuditStore.open({ kind: 'postgres', url: deployment.auditDatabaseUrl });
    try {
      return await rehearse(deployment, store, { ...options, machine });
    } finally {
      await store.close();
    }
  } finally {
    await deployment.stopServices();
    await deployment.remove();
  }
}

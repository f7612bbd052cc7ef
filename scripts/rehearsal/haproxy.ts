/**
 * A real load balancer in front of the gateway replicas: Debian's HAProxy, configured as a Kubernetes
 * Service behaves — a replica receives requests while its readiness probe (/readyz) passes, and a request
 * whose connection to a replica fails is sent to another. Only a connection failure is retried: a request
 * a replica received may have been recorded, and is never sent twice. Its statistics page (CSV) says what
 * it thinks of each replica.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Backend {
  name: string;
  port: number;
}

export interface HealthChecks {
  /** Between two readiness probes of a replica. */
  intervalMs: number;
  /** Failed probes in a row that take a replica out. */
  fall: number;
  /** Passed probes in a row that bring it back. */
  rise: number;
}

export interface LoadBalancer {
  url: string;
  /** HAProxy's state of each replica by name: UP, DOWN, or on its way ("UP 1/2", "DOWN 1/2"). */
  states(): Promise<Record<string, string>>;
  /** Resolves once the replica's state is `state` (UP or DOWN), checking every `pollMs`; rejects after `timeoutMs`. */
  until(backend: string, state: 'UP' | 'DOWN', timeoutMs: number, pollMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy'];

export function haproxyConfig(port: number, statsPort: number, backends: readonly Backend[], checks: HealthChecks): string {
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  timeout check 2s',
    // A Service's connection to a pod that is gone fails and is made to another: here, on another replica.
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure',
    'frontend graph',
    `  bind 127.0.0.1:${port}`,
    '  default_backend gateways',
    'backend gateways',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    `  default-server inter ${checks.intervalMs}ms fall ${checks.fall} rise ${checks.rise}`,
    ...backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`),
    'frontend stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/** Where Debian's HAProxy is; an error saying how to install it when it is not. */
export function haproxyBinary(): string {
  const found = CANDIDATES.find((file) => existsSync(file));
  if (!found) throw new Error('HAProxy is not installed: apt-get install -y haproxy (.ci/run installs it)');
  return found;
}

export async function startHaproxy(dir: string, port: number, statsPort: number, backends: readonly Backend[], checks: HealthChecks): Promise<LoadBalancer> {
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(port, statsPort, backends, checks));
  // -db: in the foreground, as this process's child.
  const child = spawn(haproxyBinary(), ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const states = async (): Promise<Record<string, string>> => {
    const csv = await (await fetch(`http://127.0.0.1:${statsPort}/stats;csv`, { signal: AbortSignal.timeout(2000) })).text();
    const [header, ...rows] = csv.trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name === 'pxname' ? '# pxname' : name);
    const [proxy, server, status] = [column('pxname'), column('svname'), column('status')];
    return Object.fromEntries(rows.filter((row) => row[proxy] === 'gateways' && backends.some((b) => b.name === row[server])).map((row) => [row[server]!, row[status]!]));
  };
  const deadline = Date.now() + 10_000;
  while (!(await states().then(() => true, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`HAProxy did not start:\n${output.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    states,
    async until(backend, state, timeoutMs, pollMs = 50) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const current = (await states())[backend];
        if (current === state) return;
        if (Date.now() > until) throw new Error(`HAProxy did not see ${backend} ${state} within ${timeoutMs / 1000} s (it says ${current})`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

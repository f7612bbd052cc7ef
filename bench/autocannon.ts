/** One autocannon measurement, in a process of its own so that the load generator does not share a loop with anything measured. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LoadResult {
  /** Responses received in the measurement. */
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx responses and connection errors (timeouts included). */
  errors: number;
}

export function autocannon(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<LoadResult> {
  const args = ['-c', String(connections), '-d', String(seconds), '-m', 'POST', '--json', '-H', 'content-type=application/json', '-b', body];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const child = spawn(join(__dirname, 'node_modules', '.bin', 'autocannon'), [...args, url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', () => {
      try {
        const result = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
        resolve({ requests: result.requests.total, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors });
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * Latency at sub-millisecond resolution, which autocannon does not give: its histogram keeps whole
 * milliseconds, so a lookup answered in 1.2 ms and one answered in 1.9 ms both read "p50 1", and a ratio
 * of two such figures says nothing. Run in a process of its own (like autocannon): `connections` clients
 * in a closed loop, each sending the next request when the previous answer has arrived; the first
 * `warmUpSeconds` are discarded (same connections, same process), then `seconds` are measured. Prints one
 * JSON line: the answers received, throughput, p50/p90/p99 of the HTTP 200 answers in ms to two decimals,
 * and the errors (other statuses and failed requests, which do not stop the clients). Sent to a department
 * itself, each request carries a token of its own, as the department accepts a token once and only with
 * the request id it was signed for: it is signed before the request's clock starts.
 *
 * Run: npx tsx bench/latency-probe.ts <url> <headers as JSON> <body> <warm-up seconds> <seconds> <connections> [<DepartmentSigning as JSON>]
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import type { DepartmentSigning } from './agreement';

export interface LatencyResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** Answers that were not HTTP 200, and requests that failed. */
  errors: number;
}

/** Nearest rank: the smallest sample with at least p % of the samples at or below it. */
function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return Math.round(sorted[rank - 1]! * 100) / 100;
}

/** Headers of a department's own token for each request, or none to add. */
async function perRequestHeaders(signing: DepartmentSigning | undefined): Promise<() => Promise<Record<string, string>>> {
  if (signing === undefined) return async () => ({});
  const sign = await createSubgraphTokenSigner({ signingKeyFile: signing.signingKeyFile, ttlSeconds: 60 });
  return async () => {
    const requestId = randomUUID();
    return { authorization: `Bearer ${await sign({ app: signing.app, purpose: signing.purpose, requestId }, signing.department)}`, 'x-request-id': requestId };
  };
}

async function probe(url: string, headers: Record<string, string>, body: string, warmUpSeconds: number, seconds: number, connections: number, signing?: DepartmentSigning): Promise<LatencyResult> {
  const target = new URL(url);
  const fresh = await perRequestHeaders(signing);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const measuredFrom = performance.now() + warmUpSeconds * 1000;
  const deadline = measuredFrom + seconds * 1000;
  const client = async (): Promise<void> => {
    for (;;) {
      const own = await fresh();
      const sent = performance.now();
      if (sent >= deadline) return;
      const measured = sent >= measuredFrom;
      try {
        const response = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...own }, body });
        await response.body.text();
        if (!measured) continue;
        if (response.statusCode === 200) latencies.push(performance.now() - sent);
        else errors++;
      } catch {
        if (measured) errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - measuredFrom) / 1000;
  await pool.close();
  if (latencies.length === 0) throw new Error(`no request to ${url} was answered with HTTP 200 (${errors} errors)`);
  const sorted = Float64Array.from(latencies).sort();
  return { requests: sorted.length, rps: Math.round((sorted.length / elapsed) * 10) / 10, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), errors };
}

/** Runs the probe in a child process, so that it does not share an event loop with this one. */
export function measureLatency(url: string, headers: Record<string, string>, body: string, warmUpSeconds: number, seconds: number, connections: number, signing?: DepartmentSigning): Promise<LatencyResult> {
  const args = [url, JSON.stringify(headers), body, String(warmUpSeconds), String(seconds), String(connections), ...(signing ? [JSON.stringify(signing)] : [])];
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    // 'close', not 'exit': by then everything the probe printed has been read.
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the latency probe exited with ${code}`);
        resolve(JSON.parse(out) as LatencyResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

if (require.main === module) {
  const [url, headers, body, warmUpSeconds, seconds, connections, signing] = process.argv.slice(2);
  probe(url!, JSON.parse(headers!) as Record<string, string>, body!, Number(warmUpSeconds), Number(seconds), Number(connections), signing === undefined ? undefined : (JSON.parse(signing) as DepartmentSigning))
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

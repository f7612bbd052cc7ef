/**
 * Latency at sub-millisecond resolution, which autocannon does not give: its histogram keeps whole
 * milliseconds, so a lookup answered in 1.2 ms and one answered in 1.9 ms both read "p50 1", and a ratio
 * of two such figures says nothing. Run in a process of its own (like autocannon): `connections` clients
 * in a closed loop, each sending the next request when the previous answer has arrived, for `seconds`;
 * prints one JSON line with every latency percentile in ms to two decimals.
 *
 * Run: npx tsx bench/latency-probe.ts <url> <headers as JSON> <body> <seconds> <connections>
 */
import { spawn } from 'node:child_process';
import { Pool } from 'undici';

export interface LatencyResult {
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  /** Answers that were not HTTP 200. */
  errors: number;
}

function percentile(sorted: Float64Array, p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

async function probe(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<LatencyResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const response = await pool.request({ path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      await response.body.text();
      latencies.push(performance.now() - sent);
      if (response.statusCode !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = Float64Array.from(latencies).sort();
  return { requests: sorted.length, rps: Math.round((sorted.length / elapsed) * 10) / 10, p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), errors };
}

/** Runs the probe in a child process, so that it does not share an event loop with this one. */
export function measureLatency(url: string, headers: Record<string, string>, body: string, seconds: number, connections: number): Promise<LatencyResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, url, JSON.stringify(headers), body, String(seconds), String(connections)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as LatencyResult);
      else reject(new Error(`the latency probe exited with ${code}`));
    });
  });
}

if (require.main === module) {
  const [url, headers, body, seconds, connections] = process.argv.slice(2);
  probe(url!, JSON.parse(headers!) as Record<string, string>, body!, Number(seconds), Number(connections))
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

/**
 * Starts the built gateway alone (no department needs to answer for it to serve /healthz) and measures
 * what the scale sections compare: the time from spawn to /healthz, and its resident memory then.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDevKeys } from '../../scripts/dev-keys';
import { freePort } from '../../tests/support/graph';
import { builtProgram, nodeProcesses, startNode, stopTree, waitFor, type Started } from '../processes';

export interface GatewayStart {
  startSeconds: number;
  rssMb: number;
}

function rssMb(pid: number | undefined): number {
  let kb = 0;
  for (const p of nodeProcesses(pid)) kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** Starts the gateway with `env` over `dataDir`, measures, and leaves it running for `whileUp`; then stops it. */
export async function measureGatewayStart<T>(dataDir: string, env: Record<string, string>, whileUp: (url: string, started: Started) => Promise<T>): Promise<GatewayStart & { during: T }> {
  await ensureDevKeys(dataDir);
  const port = await freePort();
  const started = performance.now();
  const gateway = startNode(builtProgram('gateway/index.ts'), [], { DATA_DIR: dataDir, PORT: String(port), CONSOLE: 'off', ...env }, join(dataDir, `gateway-${port}.log`));
  try {
    await waitFor(`http://127.0.0.1:${port}/healthz`, gateway, 300_000);
    const startSeconds = (performance.now() - started) / 1000;
    const memory = rssMb(gateway.process.pid);
    const during = await whileUp(`http://127.0.0.1:${port}`, gateway);
    return { startSeconds, rssMb: memory, during };
  } finally {
    await stopTree(gateway.process);
  }
}

/**
 * Runs the gateway as a process of its own: `npm run start:gateway`. With GATEWAY_WORKERS above 1 this
 * process forks that many workers that share the port (node:cluster): each runs a whole gateway, and they
 * append to one audit chain (the store serialises appends across processes).
 */
import cluster from 'node:cluster';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { startGateway } from './server';

const READY = 'govgraph-gateway-ready';

function fail(error: unknown): never {
  console.error(`The gateway did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

async function runGateway(config: Readonly<GatewayConfig>): Promise<void> {
  const gateway = await startGateway(config);
  const stop = () =>
    void gateway.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`The gateway stopped without signing the audit trail's head: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.send?.(READY);
}

/** Forks the workers; replaces one that dies once all were up, and gives up if one dies while starting. */
function runWorkers(count: number): void {
  let stopping = false;
  let ready = 0;
  const fork = () => {
    const worker = cluster.fork();
    let up = false;
    worker.on('message', (message) => {
      if (message !== READY) return;
      up = true;
      ready += 1;
      if (ready === count) console.log(`gateway ready with ${count} workers`);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!up) {
        stopping = true;
        for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
        fail(`a worker exited while starting (${signal ?? code})`);
      }
      console.error(`gateway worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < count; i++) fork();
  const stop = () => {
    stopping = true;
    // A worker that could not sign the audit trail's head exits 1: so does the primary, once all are gone.
    let failed = false;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    cluster.on('exit', (_worker, code) => {
      failed ||= code !== 0;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

let config: Readonly<GatewayConfig>;
try {
  config = loadGatewayConfig();
} catch (error) {
  fail(error);
}
if (config.workers > 1 && cluster.isPrimary) runWorkers(config.workers);
else runGateway(config).catch(fail);

/**
 * Runs the gateway as a process of its own: `npm run start:gateway`. With GATEWAY_WORKERS above 1 this
 * process forks that many workers that share the port (node:cluster): each runs a whole gateway, and they
 * append to one audit chain (the store serialises appends across processes), each keeping its own head file.
 */
import cluster from 'node:cluster';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { stopOnSignals } from '../http/stop-on-signals';

const READY = 'govgraph-gateway-ready';

function fail(error: unknown): never {
  console.error(`The gateway did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

async function runGateway(config: Readonly<GatewayConfig>): Promise<void> {
  // The server's modules load after the signals are taken over, so that a SIGTERM while they load (a
  // worker's first second) stops the gateway cleanly once started instead of ending it half-started.
  const starting = import('./server.js').then(({ startGateway }) => startGateway(config));
  stopOnSignals('The gateway', starting.then((gateway) => (timing) => gateway.stop(timing)), config.shutdown);
  await starting;
  process.send?.(READY);
}

/** Forks the workers; replaces one that dies once all were up, and gives up if one dies while starting. */
function runWorkers(count: number): void {
  let stopping = false;
  let ready = 0;
  /** The ids of the workers that said they were up. */
  const up = new Set<number>();
  // A worker's slot names its head file (config.ts): the worker that replaces it takes the same.
  const fork = (slot: number) => {
    const worker = cluster.fork({ GATEWAY_WORKER_SLOT: String(slot) });
    worker.on('message', (message) => {
      if (message !== READY || stopping) return;
      up.add(worker.id);
      ready += 1;
      if (ready === count) console.log(`gateway ready with ${count} workers`);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      if (!up.delete(worker.id)) {
        stopping = true;
        console.error(`The gateway did not start: a worker exited while starting (${signal ?? code})`);
        // The others get the signal itself (worker.kill() would disconnect them) and are waited for: one still
        // starting asks this process for the port, and would die on a broken channel if it were gone.
        const others = Object.values(cluster.workers ?? {});
        if (others.length === 0) process.exit(1);
        cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(1));
        for (const other of others) other?.process.kill('SIGTERM');
        return;
      }
      console.error(`gateway worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
      fork(slot);
    });
  };
  let signalled = false;
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches the workers from the terminal too; a second signal changes nothing.
    if (signalled) return;
    signalled = true;
    stopping = true;
    // A worker that cut requests or could not sign the audit trail's head exits 1: so does the primary, once all are gone.
    let failed = false;
    // The signal itself, not worker.kill(): that disconnects the worker first, which closes its server at
    // once, and the worker must serve on through its shutdown delay (http/graceful-stop.ts).
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    cluster.on('exit', (worker, code, workerSignal) => {
      // A worker takes the signals over first thing (runGateway): one the signal ended had not yet run a line
      // of its own, so it had written nothing.
      const endedUnstarted = workerSignal === signal && !up.has(worker.id);
      failed ||= code !== 0 && !endedUnstarted;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
    });
  };
  // Taken over before forking: a signal that comes while the workers start goes to them through stop(),
  // rather than ending this process and leaving them behind.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (let slot = 1; slot <= count; slot++) fork(slot);
}

let config: Readonly<GatewayConfig>;
try {
  config = loadGatewayConfig();
} catch (error) {
  fail(error);
}
if (config.workers > 1 && cluster.isPrimary) runWorkers(config.workers);
else runGateway(config).catch(fail);

/**
 * Stopping a service behind a load balancer without failing a request: readiness answers 503 at once, so
 * the balancer's next health check takes the service out; until then the balancer still sends requests
 * here, so everything is served as before for a delay (the balancer's time to notice). Then the server
 * stops accepting connections and the requests in flight get a deadline to finish; those still running
 * then are cut, and named. Last, the service closes its stores (the gateway's audit trail signs its head).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

export interface StopTiming {
  /** How long everything is still served once readiness answers 503. */
  delayMs: number;
  /** How long the requests in flight then get to finish before they are cut. */
  timeoutMs: number;
}

/** A request still running at the deadline: what it was (never its query string) and how long it had run. */
export interface CutRequest {
  method: string;
  path: string;
  /** The X-Request-Id the service answers it with, when it set one. */
  requestId?: string;
  runningMs: number;
}

export interface GracefulStop {
  /** True from the moment stopping began: readiness answers 503. */
  readonly stopping: boolean;
  /** Stops once (a second call gets the first call's promise); resolves with the requests that were cut. */
  stop(timing: StopTiming): Promise<CutRequest[]>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function gracefulStop(server: Server, logger: Logger, closeStores: () => Promise<void>): GracefulStop {
  const inFlight = new Map<ServerResponse, { req: IncomingMessage; started: number }>();
  let stopping = false;
  let draining = false;
  let allAnswered: (() => void) | undefined;
  // Before the service's own handler, which may answer at once.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(res, { req, started: Date.now() });
    // A request that arrives on a kept-alive connection while draining is answered, and the connection closed.
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (!draining) return;
      server.closeIdleConnections();
      if (inFlight.size === 0) allAnswered?.();
    });
  });

  const drain = async (timeoutMs: number): Promise<CutRequest[]> => {
    draining = true;
    for (const res of inFlight.keys()) if (!res.headersSent) res.setHeader('connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    logger.info({ inFlight: inFlight.size }, 'stopping: no longer accepting connections, waiting for the requests in flight');
    let timer: NodeJS.Timeout | undefined;
    const answered = inFlight.size === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => (allAnswered = () => resolve(true)));
    const inTime = await Promise.race([answered, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
    clearTimeout(timer);
    const now = Date.now();
    const cut = inTime
      ? []
      : [...inFlight].map(([res, { req, started }]) => {
          const requestId = res.getHeader('x-request-id');
          return { method: req.method ?? 'GET', path: (req.url ?? '/').split('?', 1)[0]!, ...(typeof requestId === 'string' && { requestId }), runningMs: now - started };
        });
    if (cut.length > 0) logger.error({ cut }, 'stopping: requests still in flight at the deadline were cut');
    // Whatever is left (requests cut, connections that never sent a whole request) is closed now.
    server.closeAllConnections();
    await closed;
    return cut;
  };

  let stopped: Promise<CutRequest[]> | undefined;
  return {
    get stopping() {
      return stopping;
    },
    stop(timing) {
      stopped ??= (async () => {
        stopping = true;
        if (timing.delayMs > 0) {
          logger.info({ delaySeconds: timing.delayMs / 1000 }, 'stopping: readiness answers 503, serving on for the delay');
          await sleep(timing.delayMs);
        }
        const cut = await drain(timing.timeoutMs);
        await closeStores();
        logger.info('stopped');
        return cut;
      })();
      return stopped;
    },
  };
}

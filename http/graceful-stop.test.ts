import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { gracefulStop, type GracefulStop } from './graceful-stop';

const silent = pino({ level: 'silent' });
let server: Server;
let port: number;
let graceful: GracefulStop;
let events: string[];
/** Answers the request waiting on /slow. */
let release: () => void;

beforeEach(async () => {
  events = [];
  const slowDone = new Promise<void>((resolve) => (release = resolve));
  server = createServer((req, res) => {
    res.setHeader('x-request-id', 'request-1');
    if (req.url?.startsWith('/slow')) return void slowDone.then(() => res.end('slow'));
    res.end(graceful.stopping ? 'stopping' : 'ready');
  });
  graceful = gracefulStop(server, silent, async () => void events.push('stores closed'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

/** A GET on a connection of its own: its body, or the error that ended it. */
function get(path: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
      res.on('error', (error) => resolve(`error ${error.message}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code ?? error.message}`));
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a request in flight finishes, new ones are served through the delay and refused after it, then the stores close', async () => {
  const inFlight = get('/slow');
  await sleep(50);
  const stopped = graceful.stop({ delayMs: 300, timeoutMs: 2000 });
  expect(graceful.stopping).toBe(true);
  // Within the delay: served (a load balancer has not noticed yet).
  expect(await get('/')).toBe('stopping');
  await sleep(400);
  // After it: no longer accepting, while the request in flight still runs and the stores are open.
  expect(await get('/')).toBe('error ECONNREFUSED');
  expect(events).toEqual([]);
  release();
  expect(await inFlight).toBe('slow');
  expect(await stopped).toEqual([]);
  expect(events).toEqual(['stores closed']);
  // A second call is the same stop.
  expect(await graceful.stop({ delayMs: 0, timeoutMs: 10 })).toEqual([]);
  expect(events).toEqual(['stores closed']);
});

test('a request still running at the deadline is cut and named, and the stores close all the same', async () => {
  const inFlight = get('/slow?id=110101199001011234');
  await sleep(50);
  const cut = await graceful.stop({ delayMs: 0, timeoutMs: 200 });
  expect(cut).toEqual([{ method: 'GET', path: '/slow', requestId: 'request-1', runningMs: expect.any(Number) }]);
  expect(cut[0]!.runningMs).toBeGreaterThanOrEqual(200);
  expect(await inFlight).toMatch(/^error /);
  expect(events).toEqual(['stores closed']);
  release();
});

/**
 * A misbehaving department on a loopback port, for fault tests (THREATS F1–F3), the way X-Road's proxy
 * suite injects faults: it never answers, answers garbage, fails, floods, or drops the first connection
 * and then passes requests on to the real department. It replaces nothing of ours; it sits on the wire.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'blackhole' | 'garbage' | 'error500' | 'huge' | 'drop-first';

export interface FaultServer {
  url: string;
  requests: () => number;
  stop(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFaultServer(fault: Fault, target?: string): Promise<FaultServer> {
  let requests = 0;
  const server: Server = createServer(async (req, res) => {
    requests += 1;
    const body = await bodyOf(req);
    switch (fault) {
      case 'blackhole':
        return; // never answers
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": {"oops"');
        return;
      case 'error500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('java.lang.NullPointerException at com.example.Internal(10.0.3.7:8080)');
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { padding: 'x'.repeat(8_000_000) } }));
        return;
      case 'drop-first': {
        if (requests === 1) {
          req.socket.destroy();
          return;
        }
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => ['authorization', 'content-type', 'x-request-id'].includes(k))) as Record<string, string>;
        const upstream = await fetch(target!, { method: 'POST', headers, body });
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(await upstream.text());
      }
    }
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests: () => requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

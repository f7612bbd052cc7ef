/**
 * /readyz's check of each subgraph, against small real servers on loopback: a subgraph with a health URL
 * is judged by it alone; any other must answer `{ __typename }` to a gateway token signed for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevKeys } from '../scripts/dev-keys';
import { createGatewayTokenVerifier, readJwksFile } from '../subgraphs/kit/gateway-token';
import { READINESS_PROBE_APP } from '../contracts/caller';
import { checkReadiness } from './readiness';
import { createSubgraphTokenSigner, type SubgraphTokenSigner } from './subgraph-token-signer';
import type { SubgraphEndpoint } from './supergraph-subgraphs';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => unknown;

const servers: Server[] = [];
const dir = mkdtempSync(join(tmpdir(), 'govgraph-readiness-'));
let sign: SubgraphTokenSigner;
let jwksFile: string;

beforeAll(async () => {
  const keys = await ensureDevKeys(dir);
  jwksFile = keys.gatewayJwks;
  sign = await createSubgraphTokenSigner({ signingKeyFile: keys.gatewayPrivate, ttlSeconds: 15 });
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => void handler(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

/** A subgraph that answers `{ __typename }` only to a gateway token for its own audience, as any department would; what it was asked is kept. */
async function subgraphAnswering(audience: string, asked: Array<{ query: string; app: string }> = []): Promise<string> {
  const verify = createGatewayTokenVerifier({ jwks: readJwksFile(jwksFile), audience, leewaySeconds: 5 });
  return serve(async (req, body, res) => {
    try {
      const caller = await verify(req.headers.authorization, req.headers['x-request-id'] as string | undefined);
      const { query } = JSON.parse(body) as { query: string };
      asked.push({ query, app: caller.app });
      json(res, 200, { data: { __typename: 'Query' } });
    } catch {
      json(res, 401, { errors: [{ message: 'only the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  });
}

const check = (subgraphs: SubgraphEndpoint[], timeoutMs = 1000) => checkReadiness(subgraphs, { sign, timeoutMs });

test('a subgraph without a health URL is ready once it answers { __typename } to a token signed for it, naming no app', async () => {
  const asked: Array<{ query: string; app: string }> = [];
  const url = await subgraphAnswering('alpha', asked);
  expect(await check([{ name: 'alpha', url }])).toEqual({ ready: true, subgraphs: { alpha: 'ready' } });
  expect(asked).toEqual([{ query: '{ __typename }', app: READINESS_PROBE_APP }]);
});

test('a subgraph that refuses the token, answers an error, or answers anything but GraphQL is unavailable', async () => {
  const otherAudience = await subgraphAnswering('somebody-else');
  const erring = await serve((_req, _body, res) => json(res, 200, { data: { __typename: 'Query' }, errors: [{ message: 'store down' }] }));
  const html = await serve((_req, _body, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>landing page</html>'));
  const good = await subgraphAnswering('delta');
  expect(await check([{ name: 'alpha', url: otherAudience }, { name: 'beta', url: erring }, { name: 'gamma', url: html }, { name: 'delta', url: good }])).toEqual({
    ready: false,
    subgraphs: { alpha: 'unavailable', beta: 'unavailable', gamma: 'unavailable', delta: 'ready' },
  });
});

test("a health URL decides alone: a department whose /readyz says its database is down is unavailable though it would answer { __typename }", async () => {
  let healthy = false;
  const health = await serve((_req, _body, res) => json(res, healthy ? 200 : 503, { status: healthy ? 'ready' : 'unavailable' }));
  const asked: Array<{ query: string; app: string }> = [];
  const url = await subgraphAnswering('alpha', asked);
  expect(await check([{ name: 'alpha', url, healthUrl: health }])).toEqual({ ready: false, subgraphs: { alpha: 'unavailable' } });
  healthy = true;
  expect(await check([{ name: 'alpha', url, healthUrl: health }])).toEqual({ ready: true, subgraphs: { alpha: 'ready' } });
  expect(asked).toEqual([]);
});

test('a subgraph that does not answer in time is unavailable, within the timeout', async () => {
  const silent = await serve(() => undefined);
  const started = Date.now();
  expect(await check([{ name: 'alpha', url: silent }], 200)).toEqual({ ready: false, subgraphs: { alpha: 'unavailable' } });
  expect(Date.now() - started).toBeLessThan(1500);
});

/**
 * /readyz over another deployment's graph: its subgraphs (plain @apollo/subgraph servers, the library of
 * generic-gateway.test.ts) serve no /readyz, so the gateway asks each `{ __typename }` with a gateway
 * token: it becomes ready, and names the subgraph that stops.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startGateway, type RunningGateway } from '../gateway/server';
import { ensureDevKeys } from '../scripts/dev-keys';
import { gatewayConfigFor } from './support/graph';
import { LIBRARY, startLibrary, type Library } from './support/library';

let library: Library;
let gateway: RunningGateway;
let dir: string;

beforeAll(async () => {
  library = await startLibrary();
  dir = mkdtempSync(join(tmpdir(), 'govgraph-foreign-readiness-'));
  const keys = await ensureDevKeys(dir);
  const supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, library.supergraph);
  gateway = await startGateway(
    { ...gatewayConfigFor(keys, {}, join(LIBRARY, 'contracts')), supergraphFile, platformFile: join(LIBRARY, 'platform.yaml') },
    { processMetrics: false, logger: pino({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await gateway.stop();
  await library.stop();
  rmSync(dir, { recursive: true, force: true });
});

const readiness = async () => {
  const response = await fetch(new URL('/readyz', gateway.url));
  return { status: response.status, body: await response.json() };
};

test('the subgraphs serve no /readyz of their own', async () => {
  for (const url of Object.values(library.urls)) expect((await fetch(new URL('/readyz', url))).ok).toBe(false);
});

test('the gateway is ready over them, and unavailable naming the one that stops', async () => {
  expect(await readiness()).toEqual({ status: 200, body: { status: 'ready', audit: 'ready', subgraphs: { catalog: 'ready', people: 'ready', reviews: 'ready' } } });
  await library.stopSubgraph('reviews');
  expect(await readiness()).toEqual({ status: 503, body: { status: 'unavailable', audit: 'ready', subgraphs: { catalog: 'ready', people: 'ready', reviews: 'unavailable' } } });
});

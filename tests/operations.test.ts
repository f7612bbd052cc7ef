/** /healthz, /readyz and /metrics on every service; a department that stops shows in readiness. */
import { READINESS_PROBE_APP } from '../contracts/caller';
import { departments } from '../scripts/departments';
import { createAccessLog } from '../subgraphs/kit/access-log';
import { sqliteFileFor } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { readCounter, startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const origin = (url: string) => new URL(url).origin;

test("every service is alive and ready, and the gateway's readiness names every department found under subgraphs/", async () => {
  for (const url of [graph.gateway.url, ...graph.subgraphs.map((s) => s.url)]) {
    expect((await fetch(`${origin(url)}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin(url)}/readyz`)).status).toBe(200);
  }
  const readiness = await (await fetch(`${origin(graph.gateway.url)}/readyz`)).json();
  expect(readiness).toEqual({
    status: 'ready',
    audit: 'ready',
    subgraphs: Object.fromEntries(departments().map((d) => [d.name, 'ready'])),
  });
});

test('without health URLs the gateway asks each department { __typename } with its token: every one answers, and logs it as reading nothing', async () => {
  const gateway = await graph.startGateway({ subgraphHealthUrls: {} });
  try {
    const readiness = await fetch(`${origin(gateway.url)}/readyz`);
    expect(await readiness.json()).toEqual({ status: 'ready', audit: 'ready', subgraphs: Object.fromEntries(departments().map((d) => [d.name, 'ready'])) });
    const db = openDatabase<unknown>({ location: { kind: 'sqlite', file: sqliteFileFor(graph.dataDir, 'civil-affairs') } });
    try {
      const probes = (await createAccessLog(db).read({}, 0, 1000)).filter((line) => line.app === READINESS_PROBE_APP);
      expect(probes).toEqual([expect.objectContaining({ decision: 'PERMIT', fields: [], reason: 'no field read', requestId: expect.stringMatching(/^readyz-/) })]);
    } finally {
      await db.destroy();
    }
  } finally {
    await graph.stopExtraGateways();
  }
});

test('metrics count requests by outcome and statements per department', async () => {
  await graph.query('{ enterprises(first: 1) { nodes { name } } }');
  await graph.query('{ enterprises(first: 1) { nodes { name } } }', { token: null });
  const metrics = `${origin(graph.gateway.url)}/metrics`;
  expect(await readCounter(metrics, 'govgraph_gateway_requests_total\\{outcome="ok"\\}')).toBeGreaterThanOrEqual(1);
  expect(await readCounter(metrics, 'govgraph_gateway_requests_total\\{outcome="unauthenticated"\\}')).toBeGreaterThanOrEqual(1);
  const market = graph.subgraphs.find((s) => s.name === 'market-regulation')!;
  expect(await readCounter(`${origin(market.url)}/metrics`, 'govgraph_db_statements_total\\{subgraph="market-regulation"\\}')).toBeGreaterThanOrEqual(1);
});

test('a department that is down: readiness names it, others still answer, its part is SUBGRAPH_UNAVAILABLE', async () => {
  await graph.stopSubgraph('civil-affairs');
  const readiness = await fetch(`${origin(graph.gateway.url)}/readyz`);
  expect(readiness.status).toBe(503);
  expect((await readiness.json()).subgraphs['civil-affairs']).toBe('unavailable');

  const { body } = await graph.query('{ enterprises(first: 2) { nodes { name legalRepresentative { name maritalStatus } } } }');
  expect(body.data.enterprises.nodes).toHaveLength(2);
  expect(body.data.enterprises.nodes[0].legalRepresentative.name).toEqual(expect.any(String));
  expect(body.data.enterprises.nodes[0].legalRepresentative.maritalStatus).toBeNull();
  expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', department: 'civil-affairs' } })]);
  expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|localhost/);
});

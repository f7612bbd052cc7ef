/**
 * Department faults (THREATS F1–F3): a department that is down, slow, broken or flooding yields partial data
 * with SUBGRAPH_UNAVAILABLE naming it — never its address or its error — while the others answer; queries
 * are retried once on a dropped connection, mutations never; a failing department's circuit opens; recovery
 * needs no restart of the gateway.
 */
import { startFaultServer, type Fault } from './support/fault-server';
import { startGraph, type GraphQLResponse, type TestGraph } from './support/graph';

let graph: TestGraph;
let person: string;

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query('{ enterprises(first: 1) { nodes { legalRepresentative { idNumber } } } }');
  person = body.data.enterprises.nodes[0].legalRepresentative.idNumber;
});
afterAll(() => graph.stop());

const civilAffairsUrl = () => graph.subgraphs.find((s) => s.name === 'civil-affairs')!.url;
const profile = () => `{ person(idNumber: "${person}") { name maritalStatus } }`;

function expectPartial(response: GraphQLResponse) {
  expect(response.status).toBe(200);
  expect(response.body.data.person.name).toEqual(expect.any(String));
  expect(response.body.data.person.maritalStatus).toBeNull();
  expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', department: 'civil-affairs' } })]);
  expect(JSON.stringify(response.body)).not.toMatch(/127\.0\.0\.1|10\.0\.3\.7|NullPointer|oops|padding|ECONN/);
}

test.each<[string, Fault]>([
  ['slow (never answers)', 'blackhole'],
  ['answering malformed JSON', 'garbage'],
  ['failing with HTTP 500', 'error500'],
  ['flooding an oversized body', 'huge'],
])('a department %s: the others still answer, within the timeout', async (_name, fault) => {
  const faulty = await startFaultServer(fault);
  try {
    const gateway = await graph.startGateway({ subgraphUrls: { ...Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url])), 'civil-affairs': faulty.url } });
    const started = Date.now();
    expectPartial(await graph.queryAs({ app: 'test-everything', purpose: 'TEST', url: gateway.url }, profile()));
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    await graph.stopExtraGateways();
    await faulty.stop();
  }
});

test("a department that keeps failing is not called until its circuit's cool-down has passed", async () => {
  const faulty = await startFaultServer('error500');
  try {
    const gateway = await graph.startGateway({ subgraphUrls: { ...Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url])), 'civil-affairs': faulty.url } });
    const ask = () => graph.queryAs({ app: 'test-everything', purpose: 'TEST', url: gateway.url }, profile());
    for (let i = 0; i < 3; i++) expectPartial(await ask());
    expect(faulty.requests()).toBe(3);
    expectPartial(await ask());
    expect(faulty.requests()).toBe(3); // open: not called
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expectPartial(await ask());
    expect(faulty.requests()).toBe(4); // half-open: tried again
  } finally {
    await graph.stopExtraGateways();
    await faulty.stop();
  }
});

test('a query whose connection dropped is retried once and answered', async () => {
  const flaky = await startFaultServer('drop-first', civilAffairsUrl());
  try {
    const gateway = await graph.startGateway({ subgraphUrls: { ...Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url])), 'civil-affairs': flaky.url } });
    const response = await graph.queryAs({ app: 'test-everything', purpose: 'TEST', url: gateway.url }, profile());
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.person.maritalStatus).toEqual(expect.any(String));
    expect(flaky.requests()).toBe(2);
  } finally {
    await graph.stopExtraGateways();
    await flaky.stop();
  }
});

test('a mutation whose connection dropped is not retried', async () => {
  const cityOps = graph.subgraphs.find((s) => s.name === 'city-operations')!.url;
  const flaky = await startFaultServer('drop-first', cityOps);
  try {
    const gateway = await graph.startGateway({ subgraphUrls: { ...Object.fromEntries(graph.subgraphs.map((s) => [s.name, s.url])), 'city-operations': flaky.url } });
    const response = await graph.queryAs(
      { app: 'test-everything', purpose: 'TEST', url: gateway.url },
      'mutation { reportEvent(input: { category: NOISE, source: CITIZEN, gridCode: "440106001001", description: "夜间施工噪声扰民" }) { id } }',
    );
    expect(response.body.errors![0]!.extensions).toEqual({ code: 'SUBGRAPH_UNAVAILABLE', department: 'city-operations' });
    expect(flaky.requests()).toBe(1);
  } finally {
    await graph.stopExtraGateways();
    await flaky.stop();
  }
});

test('a department that comes back is served again without restarting the gateway', async () => {
  await graph.stopSubgraph('civil-affairs');
  expectPartial(await graph.query(profile()));
  const readiness = await (await fetch(new URL('/readyz', graph.gateway.url))).json();
  expect(readiness.subgraphs['civil-affairs']).toBe('unavailable');
  await graph.restartSubgraph('civil-affairs');
  await new Promise((resolve) => setTimeout(resolve, 1600)); // the circuit's cool-down, if it opened
  const back = await graph.query(profile());
  expect(back.body.errors).toBeUndefined();
  expect(back.body.data.person.maritalStatus).toEqual(expect.any(String));
});

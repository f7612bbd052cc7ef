/**
 * The gateway over a foreign supergraph with the shapes it must take as they come (tests/support/transit.ts):
 * `@inaccessible` fields, an argument and a type, an `@interfaceObject` extending an interface entity,
 * `@requires` over a field the API never shows, and a union across subgraphs. `contracts check` names a
 * grant of what the API keeps out and the gateway refuses to start with it; with contracts that pass,
 * the gateway answers through every shape as a bare @apollo/gateway does, applies a region and a mask
 * through each of them, refuses what is not granted however it is reached, and never shows what the
 * supergraph keeps out.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import type { GatewayConfig } from '../gateway/config';
import { startGateway, type RunningGateway } from '../gateway/server';
import { ensureDevKeys } from '../scripts/dev-keys';
import { mintAppToken } from '../scripts/mint-app-token';
import { startBareGateway, type ForeignGraph } from './support/foreign-graph';
import { gatewayConfigFor } from './support/graph';
import { TRANSIT, plannerGranting, startTransit } from './support/transit';

let transit: ForeignGraph;
let gateway: RunningGateway;
let bare: { url: string; stop(): Promise<void> };
let dir: string;
let supergraphFile: string;
let config: GatewayConfig;
let issuerKey: string;

/** A contracts folder holding the planner's contract with these grants added. */
function contractsGranting(name: string, ...grants: string[]): string {
  const contracts = join(dir, name);
  mkdirSync(contracts);
  writeFileSync(join(contracts, 'planner.yaml'), plannerGranting(...grants));
  return contracts;
}

beforeAll(async () => {
  transit = await startTransit();
  dir = mkdtempSync(join(tmpdir(), 'govgraph-transit-'));
  const keys = await ensureDevKeys(dir);
  issuerKey = keys.appIssuerPrivate;
  supergraphFile = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphFile, transit.supergraph);
  config = { ...gatewayConfigFor(keys, {}, join(TRANSIT, 'contracts')), supergraphFile, platformFile: join(TRANSIT, 'platform.yaml') };
  gateway = await startGateway(config, { processMetrics: false, logger: pino({ level: 'silent' }) });
  bare = await startBareGateway(transit.supergraph);
});

afterAll(async () => {
  await gateway.stop();
  await bare.stop();
  await transit.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }), signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}

async function asApp(app: string, purpose: string, query: string) {
  const token = await mintAppToken(issuerKey, { app });
  return post(gateway.url, query, { authorization: `Bearer ${token}`, 'x-purpose': purpose });
}

const asPlanner = (query: string) => asApp('planner', 'PLAN', query);

async function contractsCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = join(__dirname, '..', 'contracts', 'cli.ts');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: join(__dirname, '..') });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const KEPT_OUT = 'is not part of the API schema (the supergraph marks it or its type @inaccessible): no app can be granted it';

describe('a grant of what the supergraph keeps out of its API', () => {
  test('contracts check reports it with file, app, coordinate and why, and passes without it', async () => {
    const granting = contractsGranting('granting-fuel-card', 'Bus.fuelCard');
    const platform = join(TRANSIT, 'platform.yaml');
    const refused = await contractsCli('check', '--dir', granting, '--platform', platform, '--supergraph', supergraphFile);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: `1 problem(s):\n  - ${join(granting, 'planner.yaml')}: planner: Bus.fuelCard: ${KEPT_OUT}\n` });
    const passed = await contractsCli('check', '--dir', join(TRANSIT, 'contracts'), '--platform', platform, '--supergraph', supergraphFile);
    expect(passed).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/^2 contracts checked against .*: no problems\n$/) });
  }, 30_000);

  test('the gateway given such a contract without the check refuses to start, with the same message', async () => {
    const contractsDir = contractsGranting('granting-notes', 'Tram.workshopNotes');
    const starting = startGateway({ ...config, contractsDir }, { processMetrics: false, logger: pino({ level: 'silent' }) });
    await expect(starting).rejects.toThrow(`The data-sharing contracts have 1 problem(s):\n  - ${join(contractsDir, 'planner.yaml')}: planner: Tram.workshopNotes: ${KEPT_OUT}`);
  });
});

// Every row has three entries: jest would take a missing third argument for a done callback.
const PARITY: Array<[string, string, string]> = [
  ['@requires over a field the API never shows, behind an interface', '{ vehicle(id: "v2") { id name ... on Bus { monthlyFuel depot { name } } } }', 'FC-1002'],
  ['@interfaceObject fields on every implementation, through a named fragment on the interface', 'fragment V on Vehicle { id name lastInspection } { vehicles { __typename ...V } }', '刹车片'],
  ['a union across subgraphs, its members by inline and named fragments', '{ find(term: "1") { __typename ... on Bus { name monthlyFuel } ...T } } fragment T on Tram { name lastInspection }', 'FC-1001'],
  ['an interface entity, and a union member resolved by another subgraph', '{ vehicle(id: "t1") { __typename id name } find(term: "南郊") { ... on Depot { name } } }', 'FC-100'],
];

test.each(PARITY)('the same data as a bare gateway: %s; and nothing kept out', async (_name, query, keptOut) => {
  const expected = await post(bare.url, query);
  expect(expected.body.errors).toBeUndefined();
  const actual = await asPlanner(query);
  expect(actual).toEqual({ status: 200, body: expected.body });
  expect(JSON.stringify(actual.body)).not.toContain(keptOut);
});

test('rows of a type the API keeps out are left out of a union, on either executor — a bare gateway loses the whole answer to them', async () => {
  const own = await asPlanner('{ find(term: "") { __typename ... on Bus { name } ... on Depot { name } } }');
  expect(own).toEqual({
    status: 200,
    body: { data: { find: [{ __typename: 'Bus', name: '1路' }, { __typename: 'Bus', name: '2路' }, { __typename: 'Tram' }, { __typename: 'Depot', name: '北郊车场' }, { __typename: 'Depot', name: '南郊车场' }] } },
  });
  // @interfaceObject's data rewrites are run by Apollo's executor (gateway/plan-executor.ts).
  const apollo = await asPlanner('{ find(term: "") { ... on Bus { lastInspection } ... on Tram { lastInspection } } }');
  expect(apollo).toEqual({ status: 200, body: { data: { find: [{ lastInspection: '2026-03-01' }, { lastInspection: '2026-02-14' }, { lastInspection: '2026-01-20' }, {}, {}] } } });
  expect((await asPlanner('{ find(term: "新能源") { __typename } }')).body).toEqual({ data: { find: [] } });
  expect((await post(bare.url, '{ find(term: "新能源") { __typename } }')).body.data).toBeNull();
});

// The depot desk's contract holds it to region 4401 and masks depot managers' names: the result gate runs.
test.each([
  ['through a union, by an inline fragment', '{ find(term: "车场") { __typename ... on Depot { name manager } } }', { find: [{ __typename: 'Depot', name: '北郊车场', manager: '王**' }] }],
  ['through a union, by named fragments on the union and the member', 'fragment D on Depot { name manager } fragment F on Found { ...D } { find(term: "车场") { ...F } }', { find: [{ name: '北郊车场', manager: '王**' }] }],
  ['through a union, by __typename alone', '{ find(term: "车场") { __typename } }', { find: [{ __typename: 'Depot' }] }],
  [
    'under an interface implementation, with aliases',
    '{ vehicles { name ... on Bus { d: depot { n: name m: manager } } } }',
    { vehicles: [{ name: '1路', d: { n: '北郊车场', m: '王**' } }, { name: '2路', d: null }, { name: '有轨电车1号线' }] },
  ],
  [
    'beside @interfaceObject fields (a plan Apollo\'s executor runs)',
    '{ vehicles { lastInspection ... on Bus { depot { manager } } ... on Tram { depot { name } } } }',
    { vehicles: [{ lastInspection: '2026-03-01', depot: { manager: '王**' } }, { lastInspection: '2026-02-14', depot: null }, { lastInspection: '2026-01-20', depot: { name: '北郊车场' } }] },
  ],
])("a region and a mask hold %s: the depot outside the desk's region is left out or null, the manager's name masked", async (_name, query, data) => {
  const response = await asApp('depot-desk', 'DEPOTS', query);
  expect(response).toEqual({ status: 200, body: { data } });
});

test.each([
  ['a union member not granted, by an inline fragment', '{ find(term: "车场") { ... on Depot { name energyBill } } }', 'Depot.energyBill'],
  ['an interface implementation not granted, by an inline fragment', '{ vehicles { name ... on Tram { line } } }', 'Tram.line'],
  ['an implementation not granted, by a named fragment', '{ vehicles { ...T } } fragment T on Tram { depot { name } }', 'Tram.depot'],
  ['a member not granted, by a named fragment on the union', '{ find(term: "1") { ...F } } fragment F on Found { ... on Bus { seats } }', 'Bus.seats'],
  ['a field of a type reached through an implementation, not granted', '{ vehicles { ... on Vehicle { id } ... on Bus { depot { id } } } }', 'Depot.id'],
])('default deny: %s is refused whole', async (_name, query, coordinate) => {
  const response = await asPlanner(query);
  expect(response.status).toBe(403);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors!.map((e) => [e.extensions.code, e.extensions.coordinate])).toEqual([['FORBIDDEN', coordinate]]);
});

test.each([
  ['a field', '{ vehicle(id: "v1") { ... on Bus { fuelCard } } }'],
  ['a field an @interfaceObject adds', '{ vehicles { ... on Bus { workshopNotes } } }'],
  ['an argument', '{ vehicles(retired: true) { id } }'],
  ['a type a union returns', '{ find(term: "") { ... on Tender { name } } }'],
])('what the supergraph keeps out is not in the API, for any caller: %s', async (_name, query) => {
  const response = await asPlanner(query);
  expect(response.status).toBe(400);
  expect(response.body.errors!.map((e) => e.extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(JSON.stringify(response.body)).not.toMatch(/FC-10|刹车片|新能源/);
});

test("the planner's own schema: the granted fields across the shapes, nothing kept out", async () => {
  const response = await asPlanner(`{
    vehicle: __type(name: "Vehicle") { fields { name } possibleTypes { name fields { name } } }
    found: __type(name: "Found") { possibleTypes { name fields { name } } }
    query: __type(name: "Query") { fields { name args { name } } }
    tender: __type(name: "Tender") { name }
  }`);
  expect(response.body).toEqual({
    data: {
      vehicle: {
        fields: [{ name: 'id' }, { name: 'name' }, { name: 'lastInspection' }],
        possibleTypes: [
          { name: 'Bus', fields: [{ name: 'id' }, { name: 'monthlyFuel' }, { name: 'name' }, { name: 'depot' }, { name: 'lastInspection' }] },
          { name: 'Tram', fields: [{ name: 'id' }, { name: 'name' }, { name: 'lastInspection' }] },
        ],
      },
      found: {
        possibleTypes: [
          { name: 'Bus', fields: [{ name: 'id' }, { name: 'monthlyFuel' }, { name: 'name' }, { name: 'depot' }, { name: 'lastInspection' }] },
          { name: 'Tram', fields: [{ name: 'id' }, { name: 'name' }, { name: 'lastInspection' }] },
          { name: 'Depot', fields: [{ name: 'name' }] },
        ],
      },
      query: { fields: [{ name: 'vehicles', args: [] }, { name: 'vehicle', args: [{ name: 'id' }] }, { name: 'find', args: [{ name: 'term' }] }] },
      tender: null,
    },
  });
});

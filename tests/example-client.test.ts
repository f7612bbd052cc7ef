/**
 * The example client of docs/front-end.md (examples/portal-client), built and run against the real graph
 * the way a front-end team builds it: the portal's schema printed by `contracts schema --app`, types
 * generated from that file by GraphQL Code Generator (no URL is read), tsc over the example, then the
 * example itself — so neither it nor the docs that show it can rot. The schema file and the generated
 * types are not committed (git-ignored): generation takes about two seconds, and this test does it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { ERROR_ACTIONS } from '../examples/portal-client/src/error-actions';
import { ERROR_CATALOGUE } from '../gateway/errors';
import { startGraph, type TestGraph } from './support/graph';

const ROOT = resolve(__dirname, '..');
const EXAMPLE = join(ROOT, 'examples', 'portal-client');
const BIN = join(ROOT, 'node_modules', '.bin');
const PORTAL = 'oneservice-portal';
const run = promisify(execFile);

/** The codegen plugin's own derivation (keyFields and connection fields), run here on a schema read by introspection. */
const { cachePolicies } = require('../examples/portal-client/apollo-type-policies.cjs') as {
  cachePolicies(schema: GraphQLSchema): { keyFields: Record<string, string[] | false>; connectionFields: Record<string, Record<string, string[]>> };
};
/**
 * Apollo Client, and the example's code that names its types, loaded untyped: Apollo's declarations do not
 * type-check under this project's node16 resolution with skipLibCheck off (@wry/caches), so the example's
 * own tsconfig (a front-end's: bundler resolution) type-checks them (the example's type-check below).
 */
const { ApolloClient, HttpLink, InMemoryCache, gql } = require('@apollo/client');
const { typePoliciesFrom } = require('../examples/portal-client/src/cache-policies');

let graph: TestGraph;
/** A citizen of the test world with at least one application: the portal's signed-in user. */
let citizen: string;

beforeAll(async () => {
  graph = await startGraph();
  const { body } = await graph.query('{ applications(first: 1) { nodes { applicant { idNumber } } } }');
  citizen = body.data.applications.nodes[0].applicant.idNumber;
}, 120_000);
afterAll(() => graph.stop());

describe('the example portal client', () => {
  test('contracts schema --app writes the portal schema, and codegen the types from that file, scalars as strings', async () => {
    // Nothing left from an earlier run: what is type-checked and run below is generated now.
    rmSync(join(EXAMPLE, 'src', 'gql'), { recursive: true, force: true });
    const { stdout: schema } = await run(join(BIN, 'tsx'), ['contracts/cli.ts', 'schema', '--app', PORTAL], { cwd: ROOT });
    writeFileSync(join(EXAMPLE, 'schema.graphql'), schema);
    await run(join(BIN, 'graphql-codegen'), ['--config', 'codegen.ts', '--silent'], { cwd: EXAMPLE, timeout: 60_000 });
    const types = readFileSync(join(EXAMPLE, 'src', 'gql', 'graphql.ts'), 'utf8');
    expect(types).toContain('export type MyProfileQueryVariables = Exact<{\n  idNumber: string;');
    expect(types).toMatch(/person: \{ idNumber: string, name: string \| null, birthDate: string \| null/);
    const policies = readFileSync(join(EXAMPLE, 'src', 'gql', 'type-policies.ts'), 'utf8');
    expect(policies).toMatch(/"Person": \[\s*"idNumber"\s*\]/);
  }, 90_000);

  test('type-checks against the generated types, graphql-request and Apollo Client', async () => {
    await expect(run(join(BIN, 'tsc'), ['-p', EXAMPLE], { cwd: ROOT, timeout: 120_000 })).resolves.toBeDefined();
  }, 120_000);

  test("reads the catalogue and the citizen's own profile, keys the cache by ID number, and says what to do about refusals", async () => {
    const token = await graph.token({ app: PORTAL, operator: citizen });
    const env = { ...process.env, GOVGRAPH_URL: graph.gateway.url, GOVGRAPH_TOKEN: token, CITIZEN_ID: citizen };
    const { stdout } = await run(join(BIN, 'tsx'), [join(EXAMPLE, 'src', 'main.ts')], { cwd: ROOT, env, timeout: 60_000 });

    const catalogue = (await graph.queryAs({ app: PORTAL }, '{ serviceItems { code name modes } }')).body.data.serviceItems;
    const own = await graph.queryAs({ app: PORTAL, purpose: 'SELF_SERVICE', operator: citizen }, `{ person(idNumber: "${citizen}") { name birthDate household { regionCode } applications { id item { code } } } }`);
    const me = own.body.data.person;
    expect(me.applications.length).toBeGreaterThan(0);
    const cached = [
      `Person:{"idNumber":"${citizen}"}`,
      ...me.applications.map((a: { id: string }) => `Application:{"id":"${a.id}"}`),
      ...[...new Set(me.applications.map((a: { item: { code: string } }) => a.item.code))].map((code) => `ServiceItem:{"code":"${code}"}`),
    ];
    expect(stdout.trimEnd().split('\n')).toEqual([
      `catalogue (GET): ${catalogue.length} service items, e.g. ${catalogue[0].code} ${catalogue[0].name} [${catalogue[0].modes.join(', ')}]`,
      `profile: ${me.name}, born ${me.birthDate}, household in ${me.household.regionCode}, ${me.applications.length} applications`,
      // One error for all the fields SELF_SERVICE would open, naming it in extensions.purposes.
      'without X-Purpose: PURPOSE_REQUIRED (HTTP 403) → change the request: send X-Purpose with one of extensions.purposes, or leave the fields out [SELF_SERVICE]',
      "another citizen: FORBIDDEN (HTTP 403) → change the request: leave out what the contract does not grant (extensions.coordinate), or a row that is not the app's to read",
      expect.stringMatching(new RegExp(`^apollo: ${me.name}; cache: `)),
      // Apollo Client reads the same errors from a refusal (the gateway answers it as application/graphql-response+json).
      'apollo without X-Purpose: PURPOSE_REQUIRED → change the request: send X-Purpose with one of extensions.purposes, or leave the fields out [SELF_SERVICE]',
    ]);
    expect(stdout.trimEnd().split('\n').at(-2)!.replace(/^apollo: .*; cache: /, '').split(' ').sort()).toEqual(cached.sort());
  }, 90_000);

  test('is what docs/front-end.md shows: every file it quotes, as it is', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'front-end.md'), 'utf8');
    const quoted = [...doc.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```\n/g)];
    expect(quoted.map(([, path]) => path)).toEqual(expect.arrayContaining(['examples/portal-client/codegen.ts', 'examples/portal-client/src/cache-policies.ts']));
    for (const [, path, text] of quoted) expect({ path, text }).toEqual({ path, text: readFileSync(join(ROOT, path!), 'utf8').trimEnd() });
  });

  test('knows every error code the gateway sends, each with the action the README gives it', () => {
    const actions = (entries: Record<string, { action: string }>) => Object.fromEntries(Object.entries(entries).map(([code, { action }]) => [code, action]));
    expect(actions(ERROR_ACTIONS)).toEqual(actions(ERROR_CATALOGUE));
  });
});

test("the nodes/pageInfo pager, configured from an app's introspected schema, appends the next page of a real connection", async () => {
  const app = 'market-supervision';
  const introspection = await graph.queryAs({ app }, getIntrospectionQuery({ descriptions: true }));
  const policies = cachePolicies(buildClientSchema(introspection.body.data as IntrospectionQuery));
  // Its schema keys enterprises by credit code, and names the filters of its one connection.
  expect(policies.connectionFields).toEqual({ Query: { enterprises: ['regionCode', 'status'] } });
  expect(policies.keyFields).toMatchObject({ Enterprise: ['creditCode'], Person: false });

  const token = await graph.token({ app });
  const cache = new InMemoryCache({ typePolicies: typePoliciesFrom(policies) });
  const client = new ApolloClient({ link: new HttpLink({ uri: graph.gateway.url, headers: { authorization: `Bearer ${token}` } }), cache });
  const page = gql`
    query Page($regionCode: RegionCode, $after: String) {
      enterprises(regionCode: $regionCode, first: 2, after: $after) { totalCount nodes { creditCode name } pageInfo { hasNextPage endCursor } }
    }
  `;
  const codes = (data: any): string[] => data.enterprises.nodes.map((n: { creditCode: string }) => n.creditCode);
  const direct = async (after?: string) => (await graph.queryAs({ app }, `{ enterprises(regionCode: "440100", first: 2${after ? `, after: "${after}"` : ''}) { nodes { creditCode } pageInfo { endCursor } } }`)).body.data;
  const [page1, page2] = [await direct(), await direct((await direct()).enterprises.pageInfo.endCursor)];
  expect(codes(page2)).toHaveLength(2);

  expect(codes((await client.query({ query: page, variables: { regionCode: '440100' } })).data)).toEqual(codes(page1));
  // As fetchMore asks it (from the network), the page after the list's endCursor lands at the list's end.
  const next = { regionCode: '440100', after: page1.enterprises.pageInfo.endCursor };
  const more = await client.query({ query: page, variables: next, fetchPolicy: 'network-only' });
  expect(codes(more.data)).toEqual([...codes(page1), ...codes(page2)]);
  const merged = cache.readQuery({ query: page, variables: { regionCode: '440100' } });
  expect(codes(merged)).toEqual([...codes(page1), ...codes(page2)]);
  expect(cache.identify({ __typename: 'Enterprise', creditCode: codes(page2)[0] })).toBe(`Enterprise:{"creditCode":"${codes(page2)[0]}"}`);
  expect(cache.extract()[`Enterprise:{"creditCode":"${codes(page2)[0]}"}`]).toMatchObject({ creditCode: codes(page2)[0] });
  // Another region is another list; asking its first page again starts it afresh.
  await client.query({ query: page, variables: { regionCode: '440000' } });
  expect(codes(cache.readQuery({ query: page, variables: { regionCode: '440100' } }))).toHaveLength(4);
  await client.query({ query: page, variables: { regionCode: '440100' }, fetchPolicy: 'network-only' });
  expect(codes(cache.readQuery({ query: page, variables: { regionCode: '440100' } }))).toEqual(codes(page1));
});

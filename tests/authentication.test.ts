/** Every request needs a valid app token; departments answer only the gateway. */
import { join } from 'node:path';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { AuditStore } from '../audit/audit-store';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';
import { mintAppToken } from '../scripts/mint-app-token';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(() => graph.stop());

const QUERY = '{ enterprises(first: 1) { nodes { name } } }';

async function forgedToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setIssuer('govgraph-dev-idp').setAudience('govgraph')
    .setSubject('market-supervision').setIssuedAt().setExpirationTime('1h').sign(privateKey);
}

describe('the gateway refuses requests without a valid app token, before any department is called', () => {
  const cases: Array<[string, () => Promise<string | null>, RegExp]> = [
    ['no token', async () => null, /app token is required/],
    ['a malformed token', async () => 'not-a-jwt', /refused/],
    ['an expired token', () => mintAppToken(graph.keys.appIssuerPrivate, { app: 'market-supervision', ttl: -60 }), /expired/],
    ['a token signed by an unknown key', forgedToken, /not signed by a trusted identity provider/],
    ['a token from another issuer', () => mintAppToken(graph.keys.appIssuerPrivate, { app: 'x', issuer: 'someone-else' }), /iss claim/],
    ['a token for another audience', () => mintAppToken(graph.keys.appIssuerPrivate, { app: 'x', audience: 'other' }), /aud claim/],
    ['an unsigned token', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`, /refused/],
  ];
  test.each(cases)('%s → 401 UNAUTHENTICATED', async (_name, makeToken, message) => {
    const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
    const { status, headers, body } = await graph.query(QUERY, { token: await makeToken() });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer');
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
  });
});

test('a token verified while valid, and so remembered, is refused once it has expired', async () => {
  // Without clock leeway a token expires on the second its exp names.
  const strict = await graph.startGateway({ appTokenLeewaySeconds: 0 });
  const token = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'market-supervision', ttl: 3 });
  const ask = async () => {
    const response = await fetch(strict.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: QUERY }) });
    return { status: response.status, body: (await response.json()) as { errors?: unknown[] } };
  };
  try {
    expect((await ask()).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, decodeJwt(token).exp! * 1000 - Date.now() + 100));
    const expired = await ask();
    expect(expired.status).toBe(401);
    expect(expired.body.errors).toEqual([{ message: 'The app token was refused: the token has expired.', extensions: { code: 'UNAUTHENTICATED' } }]);
  } finally {
    await graph.stopExtraGateways();
  }
});

test("a valid token is served, under a request id the gateway mints (a client's own is not taken)", async () => {
  const { status, headers, body } = await graph.query(QUERY, { headers: { 'x-request-id': 'req-123' } });
  expect(status).toBe(200);
  expect(body.data.enterprises.nodes).toHaveLength(1);
  expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('a malformed purpose header is BAD_USER_INPUT', async () => {
  const { status, body } = await graph.query(QUERY, { headers: { 'x-purpose': 'drop table;' } });
  expect(status).toBe(400);
  expect(body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
});

describe('the operator a token names is a Person’s ID number, or the token is refused (review F8)', () => {
  const world = buildWorld(TEST_WORLD);
  // The F8 reproduction: a credit code as operator "owned" the enterprise's licences under SELF_SERVICE.
  const { creditCode } = world.enterprises[0]!;
  const citizen = world.persons[0]!.idNumber;
  const OWN_RECORD = `{ person(idNumber: "${citizen}") { name } }`;

  test.each([
    ['a credit code', creditCode, 'must be 17 digits followed by a digit or X'],
    ['an account name', 'citizen-0001', 'must be 17 digits followed by a digit or X'],
    ['an ID number with a wrong check character', `${citizen.slice(0, 17)}${citizen[17] === '0' ? '1' : '0'}`, 'has a wrong check character'],
  ])('at the gateway: %s → 401 UNAUTHENTICATED, recorded as such, no department called', async (_name, operator, problem) => {
    const before = await graph.subgraphCounter('govgraph_subgraph_requests_total');
    const token = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'oneservice-portal', operator });
    const { status, headers, body } = await graph.query(OWN_RECORD, { token, headers: { 'x-purpose': 'SELF_SERVICE' } });
    expect(status).toBe(401);
    expect(body.errors).toEqual([
      { message: `The app token was refused: its operator must be a Person's idNumber, a valid ID number (GB 11643), but it ${problem}.`, extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(await graph.subgraphCounter('govgraph_subgraph_requests_total')).toBe(before);
    const store = await AuditStore.open({ kind: 'sqlite', file: join(graph.dataDir, 'db', 'audit.sqlite') });
    try {
      const records = (await store.recordsAfter(0, 1_000_000)).filter((r) => r.requestId === headers.get('x-request-id'));
      expect(records).toMatchObject([{ decision: 'UNAUTHENTICATED', app: null, operator: null, fields: [] }]);
    } finally {
      await store.close();
    }
  });

  test('the citizen’s own ID number is the operator: served', async () => {
    const token = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'oneservice-portal', operator: citizen });
    const { status, body } = await graph.query(OWN_RECORD, { token, headers: { 'x-purpose': 'SELF_SERVICE' } });
    expect(status).toBe(200);
    expect(body.data.person.name).toEqual(expect.any(String));
  });

  test('at a department: a gateway token whose operator is a credit code is refused, one with an ID number served', async () => {
    const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 60 });
    const ask = async (operator: string) => {
      const response = await fetch(graph.subgraphs.find((s) => s.name === 'licence-library')!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'f8', authorization: `Bearer ${await sign({ app: 'oneservice-portal', operator, purpose: 'SELF_SERVICE', requestId: 'f8' }, 'licence-library')}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      return { status: response.status, body: (await response.json()) as { errors?: Array<{ extensions: { code: string } }> } };
    };
    const refused = await ask(creditCode);
    expect(refused.status).toBe(401);
    expect(refused.body.errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect((await ask(citizen)).status).toBe(200);
  });
});

describe('a department refuses every request that is not signed by the gateway for it', () => {
  const direct = async (authorization: string | undefined) => {
    const subgraph = graph.subgraphs.find((s) => s.name === 'public-security')!;
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r', ...(authorization && { authorization }) },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  test('no token', async () => {
    const { status, body } = await direct(undefined);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test("the app's own token, replayed", async () => {
    expect((await direct(`Bearer ${await graph.token()}`)).status).toBe(401);
  });

  test('a gateway token for another department', async () => {
    const sign = await createSubgraphTokenSigner({ signingKeyFile: graph.keys.gatewayPrivate, ttlSeconds: 60 });
    const token = await sign({ app: 'x', requestId: 'r' }, 'market-regulation');
    expect((await direct(`Bearer ${token}`)).status).toBe(401);
    const own = await sign({ app: 'x', requestId: 'r' }, 'public-security');
    expect((await direct(`Bearer ${own}`)).status).toBe(200);
  });
});

test('query plans are never exposed and errors carry no stack traces', async () => {
  const { body } = await graph.query('{ enterprises(first: 1) { nodes { legalRepresentative { name } } } }', {
    headers: { 'apollo-query-plan-experimental': '1' },
  });
  expect(JSON.stringify(body)).not.toMatch(/queryPlan|QueryPlan/);
  const bad = await graph.query('{ enterprises(first: 1) { nodes { nope } } }');
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).not.toMatch(/stacktrace|at .*\.js|127\.0\.0\.1/);
});

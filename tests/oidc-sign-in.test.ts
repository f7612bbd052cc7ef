/**
 * Production tokens from a real OpenID Connect provider (oidc-provider, started by the test on a free
 * loopback port), read through the real gateway configured as docs/operations.md says (APP_JWKS_URL,
 * APP_TOKEN_ISSUER, APP_TOKEN_AUDIENCE): a service app's token by client credentials; a citizen's sign-in
 * to the portal by authorization code with PKCE, whose access token names the portal as subject and the
 * citizen's verified ID number as operator, so the citizen reads their own data and no one else's; and a
 * key rotation at the provider taken up by the running gateway.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { loadGatewayConfig, type GatewayConfig } from '../gateway/config';
import type { RunningGateway } from '../gateway/server';
import { mintAppToken } from '../scripts/mint-app-token';
import { buildWorld } from '../subgraphs/kit/synthetic/world';
import { OidcRefusal, startOidcProvider, type OidcCitizen, type RunningOidcProvider } from './support/oidc-provider';
import { TEST_WORLD, startGraph, type TestGraph } from './support/graph';

/** GovGraph's resource indicator at the provider, and so the audience the gateway requires. */
const RESOURCE = 'https://govgraph.example.gov.cn/graphql';
const MARKET = { clientId: 'market-supervision', secret: 'market-supervision-test-secret' };
const PORTAL = { clientId: 'oneservice-portal', redirectUri: 'http://127.0.0.1:5173/callback' };

const adults = buildWorld(TEST_WORLD).persons.filter((p) => p.status === 'NORMAL' && p.birthDate < '2000-01-01');
const citizen = (login: string, index: number, idNumberVerified = true): OidcCitizen & { name: string } => ({
  accountId: `account-${index}`,
  login,
  password: `${login}-password`,
  idNumber: adults[index]!.idNumber,
  idNumberVerified,
  name: adults[index]!.name,
});
const alice = citizen('alice', 0);
const bob = citizen('bob', 1);
const carol = citizen('carol', 2, false);

let graph: TestGraph;
let provider: RunningOidcProvider;
let gateway: RunningGateway;

/** The gateway's settings for app tokens, read from the environment an operator would set. */
function trusting(idp: RunningOidcProvider): Partial<GatewayConfig> {
  const config = loadGatewayConfig(idp.gatewayEnvironment);
  return { appKeys: config.appKeys, appTokenIssuer: config.appTokenIssuer, appTokenAudience: config.appTokenAudience };
}

beforeAll(async () => {
  graph = await startGraph();
  provider = await startOidcProvider({
    resource: RESOURCE,
    serviceClients: [MARKET],
    browserClients: [{ clientId: PORTAL.clientId, redirectUris: [PORTAL.redirectUri] }],
    citizens: [alice, bob, carol],
  });
  gateway = await graph.startGateway(trusting(provider));
});
afterAll(async () => {
  await provider?.stop();
  await graph?.stop();
});

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function ask(url: string, token: string, purpose: string, query: string): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': purpose },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const signIn = (who: OidcCitizen) => provider.signIn({ clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, login: who.login, password: who.password });
const personQuery = (idNumber: string) => `{ person(idNumber: "${idNumber}") { idNumber name } }`;

describe('a service app gets its token by client credentials', () => {
  test("the token is the provider's JWT for GovGraph: the app as subject, no operator", async () => {
    const { access_token: token, token_type: type } = await provider.clientCredentials(MARKET);
    expect(type).toBe('Bearer');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: provider.issuer, aud: RESOURCE, sub: 'market-supervision', client_id: 'market-supervision' });
    expect(claims).not.toHaveProperty('operator');
  });

  test('and reads through the gateway under its contract: unconditional data, and a masked representative under its purpose', async () => {
    const { access_token: token } = await provider.clientCredentials(MARKET);
    const list = await ask(gateway.url, token, 'MARKET_INSPECTION', '{ enterprises(first: 2) { nodes { creditCode name } } }');
    expect(list.status).toBe(200);
    expect(list.body.data.enterprises.nodes).toHaveLength(2);
    const representative = await ask(gateway.url, token, 'LEGAL_REPRESENTATIVE_CHECK', '{ enterprises(first: 1) { nodes { legalRepresentative { name idNumber } } } }');
    expect(representative.body.errors).toBeUndefined();
    expect(representative.body.data.enterprises.nodes[0].legalRepresentative).toEqual({ name: expect.stringMatching(/\*/), idNumber: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) });
  });

  test('no token without the secret; the portal, a public client, gets none this way at all', async () => {
    await expect(provider.clientCredentials({ ...MARKET, secret: 'guessed' })).rejects.toMatchObject({ error: 'invalid_client' });
    await expect(provider.clientCredentials({ clientId: PORTAL.clientId, secret: 'anything' })).rejects.toBeInstanceOf(OidcRefusal);
  });

  test("the gateway trusts only its configured issuer: the provider's token is refused by a gateway that trusts another, and the other's by this one", async () => {
    const { access_token: token } = await provider.clientCredentials(MARKET);
    const development = await ask(graph.gateway.url, token, 'MARKET_INSPECTION', '{ enterprises(first: 1) { nodes { name } } }');
    expect(development.status).toBe(401);
    const devToken = await mintAppToken(graph.keys.appIssuerPrivate, { app: 'oneservice-portal', operator: alice.idNumber });
    const here = await ask(gateway.url, devToken, 'SELF_SERVICE', personQuery(alice.idNumber));
    expect(here.status).toBe(401);
    expect(here.body.errors![0]!.message).toBe("The app token was refused: the token's iss claim is not accepted.");
  });
});

describe('a citizen signs in to the portal (authorization code with PKCE)', () => {
  test("the portal's access token names the portal as subject and the citizen's verified ID number as operator", async () => {
    const tokens = await signIn(alice);
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: provider.issuer, aud: RESOURCE, sub: 'oneservice-portal', client_id: 'oneservice-portal', operator: alice.idNumber });
    // The ID token names the account, not the ID number: the number goes only to GovGraph, in its own token.
    expect(decodeJwt(tokens.id_token!)).toMatchObject({ iss: provider.issuer, aud: 'oneservice-portal', sub: alice.accountId });
    expect(JSON.stringify(decodeJwt(tokens.id_token!))).not.toContain(alice.idNumber);
  });

  test('the citizen reads their own data through the gateway, and not another citizen\'s', async () => {
    const { access_token: token } = await signIn(alice);
    const own = await ask(gateway.url, token, 'SELF_SERVICE', personQuery(alice.idNumber));
    expect(own.status).toBe(200);
    expect(own.body.data.person).toEqual({ idNumber: alice.idNumber, name: alice.name });
    const other = await ask(gateway.url, token, 'SELF_SERVICE', personQuery(bob.idNumber));
    expect(other.status).toBe(403);
    expect(other.body.data ?? null).toBeNull();
    expect(other.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(JSON.stringify(other.body)).not.toContain(bob.name);
    // And the other citizen, signed in, reads their own.
    const bobs = await ask(gateway.url, (await signIn(bob)).access_token, 'SELF_SERVICE', personQuery(bob.idNumber));
    expect(bobs.body.data.person).toEqual({ idNumber: bob.idNumber, name: bob.name });
  });

  test('an account whose ID number is not verified signs in, but its token names no operator, so it reads no one\'s data', async () => {
    const { access_token: token } = await signIn(carol);
    expect(decodeJwt(token)).not.toHaveProperty('operator');
    const own = await ask(gateway.url, token, 'SELF_SERVICE', personQuery(carol.idNumber));
    expect(own.status).toBe(403);
    expect(own.body.errors![0]!.message).toBe("Forbidden: purpose SELF_SERVICE opens only the operator's own data, and the token names no operator.");
  });

  test('PKCE is required: a sign-in without a code challenge gets no code', async () => {
    await expect(provider.authorizationCode({ clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, login: alice.login, password: alice.password, withoutPkce: true })).rejects.toMatchObject({
      error: 'invalid_request',
      description: expect.stringMatching(/requires PKCE/),
    });
  });

  test('a code is exchanged only with its own verifier, and only once', async () => {
    const { code, verifier } = await provider.authorizationCode({ clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, login: alice.login, password: alice.password });
    const exchange = { clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, code };
    await expect(provider.exchangeCode({ ...exchange, verifier: `${verifier.slice(1)}x` })).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(decodeJwt((await provider.exchangeCode({ ...exchange, verifier })).access_token)).toMatchObject({ operator: alice.idNumber });
    await expect(provider.exchangeCode({ ...exchange, verifier })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  test('a wrong password signs no one in', async () => {
    await expect(provider.signIn({ clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, login: alice.login, password: 'wrong' })).rejects.toMatchObject({ error: 'login_failed' });
  });

  test("a token another provider signs in the trusted issuer's name, naming a citizen as operator, is refused", async () => {
    const impostor = await startOidcProvider({
      resource: RESOURCE,
      issuer: provider.issuer,
      browserClients: [{ clientId: PORTAL.clientId, redirectUris: [PORTAL.redirectUri] }],
      citizens: [{ ...carol, idNumber: alice.idNumber, idNumberVerified: true }],
    });
    try {
      const { access_token: token } = await impostor.signIn({ clientId: PORTAL.clientId, redirectUri: PORTAL.redirectUri, login: carol.login, password: carol.password });
      expect(decodeJwt(token)).toMatchObject({ iss: provider.issuer, sub: 'oneservice-portal', operator: alice.idNumber });
      const answer = await ask(gateway.url, token, 'SELF_SERVICE', personQuery(alice.idNumber));
      expect(answer.status).toBe(401);
      expect(answer.body.errors![0]!.message).toBe('The app token was refused: the token is not signed by a trusted identity provider.');
    } finally {
      await impostor.stop();
    }
  });
});

test(
  "a key rotated at the provider is taken up by the running gateway: the new key once jose's 30 s cooldown has passed, the old one refused from then on",
  async () => {
    // A gateway of its own, so that no other test's requests fetch the keys in between.
    const running = await graph.startGateway(trusting(provider));
    const read = (token: string) => ask(running.url, token, 'MARKET_INSPECTION', '{ enterprises(first: 1) { nodes { name } } }');
    const seenBefore = (await provider.clientCredentials(MARKET)).access_token;
    const notSeenBefore = (await provider.clientCredentials(MARKET)).access_token;
    const fetchesBefore = await provider.jwksFetches();
    expect((await read(seenBefore)).status).toBe(200);
    const fetched = Date.now();
    expect(await provider.jwksFetches()).toBe(fetchesBefore + 1);

    const newKid = await provider.rotateKeys();
    expect(newKid).not.toBe(decodeProtectedHeader(seenBefore).kid);
    const jwks = (await (await fetch(provider.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toEqual([newKid]);
    const rotated = (await provider.clientCredentials(MARKET)).access_token;
    expect(decodeProtectedHeader(rotated).kid).toBe(newKid);

    // Within 30 s of its last fetch, jose does not fetch the set again for an unknown kid: refused (the app retries).
    const early = await read(rotated);
    expect(early.status).toBe(401);
    expect(early.body.errors![0]!.message).toBe('The app token was refused: the token is not signed by a trusted identity provider.');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, fetched + 31_000 - Date.now())));
    const fetchesNow = await provider.jwksFetches();
    expect((await read(rotated)).status).toBe(200);
    // JWKS fetches the test made itself are counted too: one above, one now for the gateway.
    expect(await provider.jwksFetches()).toBe(fetchesNow + 1);
    for (const old of [notSeenBefore, seenBefore]) {
      const refused = await read(old);
      expect(refused.status).toBe(401);
      expect(refused.body.errors![0]!.message).toBe('The app token was refused: the token is not signed by a trusted identity provider.');
    }
  },
  90_000,
);

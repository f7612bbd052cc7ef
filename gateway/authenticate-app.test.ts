import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema } from 'graphql';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { operatorKeyCheck } from '../contracts/operator-key';
import { platformSchema } from '../contracts/platform-schema';
import { CallerRejected, createAppAuthenticator, type PlatformApps } from './authenticate-app';
import type { GatewayConfig } from './config';
import { platformKeyId } from './platform-key-id';

const APP_ISSUER = 'https://idp.test.gov.cn';
const PLATFORM_ISSUER = 'govgraph-platform';
const AUDIENCE = 'govgraph';
const LEEWAY_SECONDS = 5;
const NOW = Date.parse('2026-06-01T08:00:00Z');
const apps: PlatformApps = { internal: new Set(['case-review', 'case-archive']), inProcess: new Set(['govgraph-case-check']) };
// The token's operator is a Person, whose key is an IdNumber (as platform.yaml and the supergraph say).
const operatorKey = operatorKeyCheck(
  platformSchema.parse({ subjectKeys: { Person: 'idNumber', Enterprise: 'creditCode' }, operatorSubject: 'Person' }),
  buildSchema('scalar IdNumber scalar CreditCode type Person { idNumber: IdNumber! } type Enterprise { creditCode: CreditCode! } type Query { person: Person enterprise: Enterprise }'),
);

interface Issuer {
  sign(claims: Record<string, unknown>, options?: { issuer?: string; audience?: string; ttlSeconds?: number }): Promise<string>;
}

async function issuer(name: string, dir: string, file: string, kid = file): Promise<Issuer & { privateKey: CryptoKey }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  writeFileSync(join(dir, file), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', kid }] }));
  return {
    privateKey,
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(options.issuer ?? name)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + (options.ttlSeconds ?? 300))
        .sign(privateKey),
  };
}

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-'));
  const app = await issuer(APP_ISSUER, dir, 'app.jwks.json');
  // The platform issuer's key of one internal app, case-review.
  const platform = await issuer(PLATFORM_ISSUER, dir, 'platform.jwks.json', platformKeyId('case-review', '2026-06'));
  const stranger = await issuer(APP_ISSUER, dir, 'stranger.jwks.json');
  const config = configWith(join(dir, 'app.jwks.json'), join(dir, 'platform.jwks.json'));
  const authenticate = createAppAuthenticator(config, apps, operatorKey);
  const as = (token: string, headers: Record<string, string | string[]> = {}) => authenticate({ authorization: `Bearer ${token}`, ...headers });
  return { app, platform, stranger, authenticate, as };
}

/** The rejection a promise ends in: its code and message. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CallerRejected);
  const { code, message } = error as CallerRejected;
  return { code, message };
}

beforeEach(() => jest.useFakeTimers({ now: NOW, advanceTimers: true }));
afterEach(() => jest.useRealTimers());

test('a valid token names its app, operator and region; the purpose and case come from their headers', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal', operator: '11010519491231002X', region: '3301' });
  await expect(as(token, { 'x-purpose': 'IDENTITY_CHECK', 'x-case-id': 'GG-2026-0001' })).resolves.toStrictEqual({
    app: 'oneservice-portal',
    operator: '11010519491231002X',
    region: '3301',
    purpose: 'IDENTITY_CHECK',
    caseId: 'GG-2026-0001',
  });
  // Nothing the token or the headers leave out appears, not even as undefined.
  await expect(as(await app.sign({ sub: 'city-ops-center' }))).resolves.toStrictEqual({ app: 'city-ops-center' });
});

test.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'bearer abc', 'Bearer a b', 'Bearer abc\n', 'Token Bearer abc'])('authorization %p is refused before any verification', async (authorization) => {
  const { authenticate } = await setUp();
  await expect(rejection(authenticate(authorization === undefined ? {} : { authorization }))).resolves.toEqual({
    code: 'UNAUTHENTICATED',
    message: 'An app token is required: send Authorization: Bearer <token>.',
  });
});

test('a token from an untrusted key, another issuer or for another audience is refused, and says why', async () => {
  const { app, stranger, as } = await setUp();
  const refused = async (token: string) => (await rejection(as(token))).message;
  expect(await refused(await stranger.sign({ sub: 'oneservice-portal' }))).toBe('The app token was refused: the token is not signed by a trusted identity provider.');
  expect(await refused(await app.sign({ sub: 'oneservice-portal' }, { issuer: 'https://other.example' }))).toBe("The app token was refused: the token's iss claim is not accepted.");
  expect(await refused(await app.sign({ sub: 'oneservice-portal' }, { audience: 'another-gateway' }))).toBe("The app token was refused: the token's aud claim is not accepted.");
  expect(await refused('not.a.token')).toBe('The app token was refused: the token is malformed.');
});

test('expiry: accepted within the leeway, refused one second past it, also when the token was verified before', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal' }, { ttlSeconds: 60 });
  await expect(as(token)).resolves.toEqual({ app: 'oneservice-portal' });
  jest.setSystemTime(NOW + (60 + LEEWAY_SECONDS - 1) * 1000);
  await expect(as(token)).resolves.toEqual({ app: 'oneservice-portal' });
  jest.setSystemTime(NOW + (60 + LEEWAY_SECONDS + 1) * 1000);
  await expect(rejection(as(token))).resolves.toEqual({ code: 'UNAUTHENTICATED', message: 'The app token was refused: the token has expired.' });
});

test('a token verified before is refused from the very moment its leeway ends', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal' }, { ttlSeconds: 60 });
  await expect(as(token)).resolves.toEqual({ app: 'oneservice-portal' });
  jest.setSystemTime(NOW + (60 + LEEWAY_SECONDS) * 1000);
  await expect(rejection(as(token))).resolves.toMatchObject({ message: 'The app token was refused: the token has expired.' });
});

test('a token first seen after it expired is refused', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal' }, { ttlSeconds: 60 });
  jest.setSystemTime(NOW + (60 + LEEWAY_SECONDS + 1) * 1000);
  await expect(rejection(as(token))).resolves.toMatchObject({ message: 'The app token was refused: the token has expired.' });
});

test('a token without an expiry is refused', async () => {
  const { app, as } = await setUp();
  const token = await new SignJWT({ sub: 'oneservice-portal' }).setProtectedHeader({ alg: 'ES256', kid: 'app.jwks.json' }).setIssuer(APP_ISSUER).setAudience(AUDIENCE).sign(app.privateKey);
  await expect(rejection(as(token))).resolves.toMatchObject({ code: 'UNAUTHENTICATED' });
});

test.each<[string, Record<string, unknown>, string | undefined]>([
  ['an operator that is an ID number', { operator: '11010519491231002X' }, undefined],
  ['an operator of 65 characters', { operator: 'x'.repeat(65) }, 'The app token was refused: its operator must be a key of 1 to 64 characters.'],
  ['an empty operator', { operator: '' }, 'The app token was refused: its operator must be a key of 1 to 64 characters.'],
  // A credit code is an enterprise's key: as operator it would "own" that enterprise's licences (review F8).
  ['an operator that is a credit code', { operator: '91330108MA0G0U3H12' }, "The app token was refused: its operator must be a Person's idNumber, a valid ID number (GB 11643), but it must be 17 digits followed by a digit or X."],
  ['an operator that is an account name', { operator: 'citizen-0001' }, "The app token was refused: its operator must be a Person's idNumber, a valid ID number (GB 11643), but it must be 17 digits followed by a digit or X."],
  ['an operator with a wrong check character', { operator: '110105194912310021' }, "The app token was refused: its operator must be a Person's idNumber, a valid ID number (GB 11643), but it has a wrong check character."],
  ['an operator that is not a number', { operator: 42 }, 'The app token was refused: Invalid input: expected string, received number.'],
  ['a region of 2 digits', { region: '33' }, undefined],
  ['a region of 6 digits', { region: '330106' }, undefined],
  ['a region of 1 digit', { region: '3' }, 'The app token was refused: region must be a division code or prefix.'],
  ['a region of 7 digits', { region: '3301061' }, 'The app token was refused: region must be a division code or prefix.'],
  ['a region with a letter', { region: '33a1' }, 'The app token was refused: region must be a division code or prefix.'],
  ['a subject that is no app id', { sub: 'portal app' }, 'The app token was refused: the subject must be an app id.'],
])('claims: %s', async (_, claims, refusal) => {
  const { app, as } = await setUp();
  const answer = as(await app.sign({ sub: 'oneservice-portal', ...claims }));
  if (refusal) await expect(rejection(answer)).resolves.toEqual({ code: 'UNAUTHENTICATED', message: refusal });
  else await expect(answer).resolves.toMatchObject({ app: claims.sub ?? 'oneservice-portal' });
});

test('the operator is read as the departments read a key: trimmed, with an upper-case X', async () => {
  const { app, as } = await setUp();
  await expect(as(await app.sign({ sub: 'oneservice-portal', operator: ' 11010519491231002x ' }))).resolves.toStrictEqual({ app: 'oneservice-portal', operator: '11010519491231002X' });
});

test("an OAuth access token's client_id must be its subject: a user's token (subject a person) does not pass for an app's", async () => {
  const { app, as } = await setUp();
  await expect(as(await app.sign({ sub: 'oneservice-portal', client_id: 'oneservice-portal', operator: '11010519491231002X' }))).resolves.toStrictEqual({
    app: 'oneservice-portal',
    operator: '11010519491231002X',
  });
  // RFC 9068's shape, the account as subject: the account id must never be taken for an app id.
  for (const sub of ['citizen-0001', 'market-supervision']) {
    await expect(rejection(as(await app.sign({ sub, client_id: 'oneservice-portal' })))).resolves.toEqual({
      code: 'UNAUTHENTICATED',
      message: 'The app token was refused: its subject is not its client (client_id); the subject must be the app.',
    });
  }
});

test('the platform issuer speaks only for internal apps, and internal apps only through it', async () => {
  const { app, platform, as } = await setUp();
  await expect(as(await platform.sign({ sub: 'case-review' }))).resolves.toEqual({ app: 'case-review' });
  expect((await rejection(as(await app.sign({ sub: 'case-review' })))).message).toBe(
    'The app token was refused: case-review is internal to the platform: only the platform issuer\'s tokens are accepted for it.',
  );
  expect((await rejection(as(await platform.sign({ sub: 'oneservice-portal' })))).message).toBe(
    'The app token was refused: the platform issuer signs only the platform\'s own apps, and oneservice-portal is not one of them.',
  );
  for (const token of [await app.sign({ sub: 'govgraph-case-check' }), await platform.sign({ sub: 'govgraph-case-check' })]) {
    await expect(rejection(as(token))).resolves.toEqual({
      code: 'UNAUTHENTICATED',
      message: "The app token was refused: govgraph-case-check is the gateway's own app and is never accepted from outside.",
    });
  }
});

test("an internal app's key signs for that app alone", async () => {
  const { platform, as } = await setUp();
  expect((await rejection(as(await platform.sign({ sub: 'case-archive' })))).message).toBe(
    "The app token was refused: case-archive's token must be signed with case-archive's own key, not case-review's.",
  );
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-'));
  await issuer(APP_ISSUER, dir, 'app.jwks.json');
  const unbound = await issuer(PLATFORM_ISSUER, dir, 'platform.jwks.json', 'case-review');
  const authenticate = createAppAuthenticator(configWith(join(dir, 'app.jwks.json'), join(dir, 'platform.jwks.json')), apps, operatorKey);
  expect((await rejection(authenticate({ authorization: `Bearer ${await unbound.sign({ sub: 'case-review' })}` }))).message).toBe(
    "The app token was refused: case-review's token must be signed with case-review's own key, not one that names no app.",
  );
});

test('a token signed by the app issuer but claiming the platform issuer is refused', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'case-review' }, { issuer: PLATFORM_ISSUER });
  expect((await rejection(as(token))).message).toBe('The app token was refused: the token is not signed by a trusted identity provider.');
});

test.each([
  ['x-purpose', 'IDENTITY CHECK'],
  ['x-purpose', ''],
  ['x-case-id', 'x'.repeat(65)],
  ['x-case-id', '-leading-dash'],
])('a malformed %s header (%p) is bad input', async (header, value) => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal' });
  await expect(rejection(as(token, { [header]: value }))).resolves.toEqual({
    code: 'BAD_USER_INPUT',
    message: `The ${header} header must be a short code of letters, digits and . _ : -`,
  });
  await expect(as(token, { [header]: 'x'.repeat(64) })).resolves.toMatchObject({ app: 'oneservice-portal' });
});

test('a header sent twice, or given as a list at all, is bad input', async () => {
  const { app, as } = await setUp();
  const token = await app.sign({ sub: 'oneservice-portal' });
  await expect(rejection(as(token, { 'x-purpose': ['A', 'B'] }))).resolves.toMatchObject({ code: 'BAD_USER_INPUT' });
  // A list of one well-formed code is still not a code.
  await expect(rejection(as(token, { 'x-case-id': ['GG-2026-0001'] }))).resolves.toEqual({
    code: 'BAD_USER_INPUT',
    message: 'The x-case-id header must be a short code of letters, digits and . _ : -',
  });
});

/** The gateway's settings for app tokens, with the two issuers' keys read from these files. */
function configWith(appKeysFile: string, platformKeysFile: string): GatewayConfig {
  return {
    appKeys: { kind: 'file', file: appKeysFile },
    appTokenIssuer: APP_ISSUER,
    appTokenAudience: AUDIENCE,
    appTokenLeewaySeconds: LEEWAY_SECONDS,
    platformKeys: { kind: 'file', file: platformKeysFile },
    platformTokenIssuer: PLATFORM_ISSUER,
  } as GatewayConfig;
}

test('the keys of each issuer must be readable, and the error says which and how to provide them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-keys-'));
  await issuer(APP_ISSUER, dir, 'app.jwks.json');
  expect(() => createAppAuthenticator(configWith('/nonexistent/app.jwks.json', join(dir, 'app.jwks.json')), apps, operatorKey)).toThrow(
    'Cannot read the app token keys (a JWKS) at /nonexistent/app.jwks.json: run npm start once to create development keys, or set APP_JWKS_FILE / APP_JWKS_URL.',
  );
  expect(() => createAppAuthenticator(configWith(join(dir, 'app.jwks.json'), '/nonexistent/platform.jwks.json'), apps, operatorKey)).toThrow(
    "Cannot read the platform issuer's keys (a JWKS) at /nonexistent/platform.jwks.json: run npm start once to create development keys, or set PLATFORM_JWKS_FILE / PLATFORM_JWKS_URL.",
  );
});

test.each(['ES384', 'RS256', 'PS256', 'EdDSA'])('an app issuer may sign with %s', async (alg) => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-alg-'));
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  writeFileSync(join(dir, 'app.jwks.json'), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg }] }));
  await issuer(PLATFORM_ISSUER, dir, 'platform.jwks.json');
  const authenticate = createAppAuthenticator(configWith(join(dir, 'app.jwks.json'), join(dir, 'platform.jwks.json')), apps, operatorKey);
  const token = await new SignJWT({ sub: 'oneservice-portal' }).setProtectedHeader({ alg }).setIssuer(APP_ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  await expect(authenticate({ authorization: `Bearer ${token}` })).resolves.toStrictEqual({ app: 'oneservice-portal' });
});

test("an issuer's keys may be fetched from its URL; a token it signed is accepted, another key's refused", async () => {
  jest.useRealTimers();
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-url-'));
  const app = await issuer(APP_ISSUER, dir, 'app.jwks.json');
  const stranger = await issuer(APP_ISSUER, dir, 'stranger.jwks.json');
  await issuer(PLATFORM_ISSUER, dir, 'platform.jwks.json');
  const jwks = readFileSync(join(dir, 'app.jwks.json'));
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const config = { ...configWith('/nonexistent/app.jwks.json', join(dir, 'platform.jwks.json')), appKeys: { kind: 'url', url: `http://127.0.0.1:${port}/jwks.json` } } as GatewayConfig;
    const authenticate = createAppAuthenticator(config, apps, operatorKey);
    await expect(authenticate({ authorization: `Bearer ${await app.sign({ sub: 'city-ops-center' })}` })).resolves.toStrictEqual({ app: 'city-ops-center' });
    expect((await rejection(authenticate({ authorization: `Bearer ${await stranger.sign({ sub: 'city-ops-center' })}` }))).message).toBe(
      'The app token was refused: the token is not signed by a trusted identity provider.',
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a token that names a trusted key but was signed by another is refused as not signed by a trusted provider", async () => {
  const { stranger, as } = await setUp();
  const forged = await new SignJWT({ sub: 'oneservice-portal' })
    .setProtectedHeader({ alg: 'ES256', kid: 'app.jwks.json' })
    .setIssuer(APP_ISSUER)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(stranger.privateKey);
  await expect(rejection(as(forged))).resolves.toEqual({ code: 'UNAUTHENTICATED', message: 'The app token was refused: the token is not signed by a trusted identity provider.' });
});

test('a token without a subject is refused for its missing sub claim', async () => {
  const { app, as } = await setUp();
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'app.jwks.json' }).setIssuer(APP_ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(app.privateKey);
  await expect(rejection(as(token))).resolves.toEqual({ code: 'UNAUTHENTICATED', message: "The app token was refused: the token's sub claim is not accepted." });
});

describe('keys fetched from the identity provider (APP_JWKS_URL)', () => {
  /** A JWKS endpoint whose set can be replaced, counting how often it is fetched. */
  async function jwksServer() {
    let jwks: { keys: unknown[] } = { keys: [] };
    let fetches = 0;
    const server = createServer((_req, res) => {
      fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`,
      serve: (keys: unknown[]) => void (jwks = { keys }),
      fetches: () => fetches,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  async function signer(kid: string) {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    return {
      jwk: { ...(await exportJWK(publicKey)), alg: 'ES256', kid, use: 'sig' },
      sign: () =>
        new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setIssuer(APP_ISSUER).setAudience(AUDIENCE).setSubject('market-supervision')
          .setIssuedAt().setExpirationTime(Math.floor(Date.now() / 1000) + 600).sign(privateKey),
    };
  }

  test('a rotated key is fetched on its first unknown kid after the 30 s cooldown; a removed key is refused then, for tokens seen before too', async () => {
    const idp = await jwksServer();
    try {
      const [old, fresh] = [await signer('old'), await signer('new')];
      idp.serve([old.jwk]);
      const dir = mkdtempSync(join(tmpdir(), 'govgraph-auth-remote-'));
      await issuer(PLATFORM_ISSUER, dir, 'platform.jwks.json');
      const authenticate = createAppAuthenticator({ ...configWith('unused', join(dir, 'platform.jwks.json')), appKeys: { kind: 'url', url: idp.url } }, apps, operatorKey);
      const as = (token: string) => authenticate({ authorization: `Bearer ${token}` });
      const seenBefore = await old.sign();
      const notSeen = await old.sign();
      await expect(as(seenBefore)).resolves.toEqual({ app: 'market-supervision' });
      expect(idp.fetches()).toBe(1);

      idp.serve([fresh.jwk]);
      const rotated = await fresh.sign();
      // Within jose's cooldown an unknown kid does not fetch the set again: refused, and a token seen before is still remembered.
      jest.setSystemTime(NOW + 29_000);
      await expect(rejection(as(rotated))).resolves.toEqual({ code: 'UNAUTHENTICATED', message: 'The app token was refused: the token is not signed by a trusted identity provider.' });
      await expect(as(seenBefore)).resolves.toEqual({ app: 'market-supervision' });
      expect(idp.fetches()).toBe(1);

      jest.setSystemTime(NOW + 31_000);
      await expect(as(rotated)).resolves.toEqual({ app: 'market-supervision' });
      expect(idp.fetches()).toBe(2);
      for (const token of [notSeen, seenBefore]) {
        await expect(rejection(as(token))).resolves.toEqual({ code: 'UNAUTHENTICATED', message: 'The app token was refused: the token is not signed by a trusted identity provider.' });
      }
    } finally {
      await idp.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { GATEWAY_TOKEN_ISSUER } from '../../contracts/caller';
import { GatewayTokenError, createGatewayTokenVerifier, readJwksFile } from './gateway-token';

async function setUp(options: { leewaySeconds?: number; maxTokensInFlight?: number } = {}) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verify = createGatewayTokenVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }, audience: 'public-security', leewaySeconds: options.leewaySeconds ?? 0, ...options });
  const sign = (ttlSeconds: number, options: { audience?: string; requestId?: string; claims?: Record<string, unknown>; expires?: boolean } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const token = new SignJWT({ sub: 'oneservice-portal', purpose: 'IDENTITY_CHECK', rid: options.requestId ?? 'r1', ...options.claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience(options.audience ?? 'public-security')
      .setJti(randomUUID())
      .setIssuedAt(now);
    return (options.expires === false ? token : token.setExpirationTime(now + ttlSeconds)).sign(privateKey);
  };
  return { verify, sign };
}

afterEach(() => jest.useRealTimers());

test('a token is accepted once, for the request it was signed for; presented again it is refused', async () => {
  const { verify, sign } = await setUp();
  const token = await sign(15);
  await expect(verify(`Bearer ${token}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal', purpose: 'IDENTITY_CHECK', requestId: 'r1' });
  await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow('token already used');
});

test('a token presented with another request id, or none, is refused', async () => {
  const { verify, sign } = await setUp();
  await expect(verify(`Bearer ${await sign(15)}`, 'r2')).rejects.toThrow('token signed for another request');
  await expect(verify(`Bearer ${await sign(15)}`, undefined)).rejects.toThrow('token signed for another request');
});

test('an expired token is refused', async () => {
  jest.useFakeTimers({ now: Date.parse('2026-06-01T08:00:00Z'), advanceTimers: true });
  const { verify, sign } = await setUp();
  const token = await sign(15);
  jest.setSystemTime(Date.parse('2026-06-01T08:00:16Z'));
  await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow(GatewayTokenError);
});

test('a token older than a minute is refused even if it claims a longer life', async () => {
  jest.useFakeTimers({ now: Date.parse('2026-06-01T08:00:00Z'), advanceTimers: true });
  const { verify, sign } = await setUp();
  const token = await sign(3600);
  jest.setSystemTime(Date.parse('2026-06-01T08:01:01Z'));
  await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow(GatewayTokenError);
});

test('a token for another department is refused', async () => {
  const { verify, sign } = await setUp();
  await expect(verify(`Bearer ${await sign(15, { audience: 'civil-affairs' })}`, 'r1')).rejects.toThrow(GatewayTokenError);
});

test('a token without an id is refused', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verify = createGatewayTokenVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }, audience: 'public-security', leewaySeconds: 0 });
  const token = await new SignJWT({ sub: 'oneservice-portal', rid: 'r1' }).setProtectedHeader({ alg: 'ES256' }).setIssuer(GATEWAY_TOKEN_ISSUER).setAudience('public-security').setIssuedAt().setExpirationTime('15s').sign(privateKey);
  await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow(GatewayTokenError);
});

test.each([undefined, '', 'Bearer', 'bearer x.y.z', 'Token Bearer x.y.z', 'Bearer x.y.z extra'])('authorization %p is refused as missing a bearer token', async (authorization) => {
  const { verify } = await setUp();
  await expect(verify(authorization, 'r1')).rejects.toThrow(new GatewayTokenError('missing bearer token'));
});

test('a token without an expiry is refused, however fresh', async () => {
  const { verify, sign } = await setUp();
  await expect(verify(`Bearer ${await sign(15, { expires: false })}`, 'r1')).rejects.toThrow(GatewayTokenError);
});

test('a token whose claims are malformed is refused as such', async () => {
  const { verify, sign } = await setUp();
  await expect(verify(`Bearer ${await sign(15, { claims: { region: 'Guangzhou' } })}`, 'r1')).rejects.toThrow(new GatewayTokenError('malformed claims'));
});

describe('token ids in flight', () => {
  const T0 = Date.parse('2026-06-01T08:00:00Z');
  beforeEach(() => jest.useFakeTimers({ now: T0, advanceTimers: true }));

  test('when full, a new token is refused until an earlier one has expired, its leeway included', async () => {
    const { verify, sign } = await setUp({ leewaySeconds: 5, maxTokensInFlight: 1 });
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
    // The first token is valid until 15 s + 5 s of leeway: its id is kept until then.
    jest.setSystemTime(T0 + 19_000);
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).rejects.toThrow(new GatewayTokenError('too many tokens in flight'));
    jest.setSystemTime(T0 + 20_000);
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
  });

  test('a token claiming a long life is remembered for a minute and its leeway, not longer', async () => {
    const { verify, sign } = await setUp({ leewaySeconds: 5, maxTokensInFlight: 1 });
    await verify(`Bearer ${await sign(3600)}`, 'r1');
    jest.setSystemTime(T0 + 64_000);
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).rejects.toThrow(new GatewayTokenError('too many tokens in flight'));
    jest.setSystemTime(T0 + 65_000);
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
  });
});

describe("a refusal's reason, as the department's access log records it, is jose's code for what was wrong", () => {
  const T0 = Date.parse('2026-06-01T08:00:00Z');
  beforeEach(() => jest.useFakeTimers({ now: T0, advanceTimers: true }));

  test.each([
    ['expired', { ttlSeconds: 15, at: T0 + 16_000 }, 'ERR_JWT_EXPIRED'],
    ['signed more than a minute ago', { ttlSeconds: 3600, at: T0 + 61_000 }, 'ERR_JWT_EXPIRED'],
    ['for another department', { ttlSeconds: 15, at: T0, audience: 'civil-affairs' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
    ['without an expiry', { ttlSeconds: 15, at: T0, expires: false }, 'ERR_JWT_CLAIM_VALIDATION_FAILED'],
  ])('%s', async (_name, { ttlSeconds, at, ...options }, reason) => {
    const { verify, sign } = await setUp();
    const token = await sign(ttlSeconds, options);
    jest.setSystemTime(at);
    await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow(new GatewayTokenError(reason));
  });

  test("signed by a key that is not the gateway's", async () => {
    const { verify } = await setUp();
    const { sign } = await setUp();
    await expect(verify(`Bearer ${await sign(15)}`, 'r1')).rejects.toThrow(new GatewayTokenError('ERR_JWS_SIGNATURE_VERIFICATION_FAILED'));
  });
});

describe("the gateway's public keys, read from their file", () => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-gateway-jwks-'));

  test('a JSON Web Key Set is read as it is', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] };
    writeFileSync(join(dir, 'gateway.jwks.json'), JSON.stringify(jwks));
    expect(readJwksFile(join(dir, 'gateway.jwks.json'))).toEqual(jwks);
  });

  test('a missing file says how to create it; a file that is not JSON says so', () => {
    expect(() => readJwksFile(join(dir, 'missing.json'))).toThrow(
      new Error(`Cannot read the gateway's public keys at ${join(dir, 'missing.json')}: start the gateway once (npm start) or set GATEWAY_JWKS_FILE.`),
    );
    writeFileSync(join(dir, 'broken.json'), '{"keys": [');
    expect(() => readJwksFile(join(dir, 'broken.json'))).toThrow(new Error(`The gateway's public keys at ${join(dir, 'broken.json')} are not a JSON Web Key Set.`));
  });
});

test('while the gateway signing key is rotated, a JWKS with both keys accepts tokens signed with either; one without the old key refuses its tokens', async () => {
  const [old, next] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
  const publicJwk = async (key: CryptoKey, kid: string) => ({ ...(await exportJWK(key)), kid, alg: 'ES256' });
  const signWith = (privateKey: CryptoKey, kid: string) =>
    new SignJWT({ sub: 'oneservice-portal', rid: 'r1' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience('public-security')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('15s')
      .sign(privateKey);
  const verifierOf = (keys: object[]) => createGatewayTokenVerifier({ jwks: { keys }, audience: 'public-security', leewaySeconds: 0 });
  const during = verifierOf([await publicJwk(old.publicKey, 'old'), await publicJwk(next.publicKey, 'new')]);
  await expect(during(`Bearer ${await signWith(old.privateKey, 'old')}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
  await expect(during(`Bearer ${await signWith(next.privateKey, 'new')}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
  const after = verifierOf([await publicJwk(next.publicKey, 'new')]);
  await expect(after(`Bearer ${await signWith(old.privateKey, 'old')}`, 'r1')).rejects.toThrow(GatewayTokenError);
  await expect(after(`Bearer ${await signWith(next.privateKey, 'new')}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
});

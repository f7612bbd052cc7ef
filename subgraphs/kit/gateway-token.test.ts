import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { GATEWAY_TOKEN_ISSUER } from '../../contracts/caller';
import { GatewayTokenError, createGatewayTokenVerifier } from './gateway-token';

async function setUp() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verify = createGatewayTokenVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }, audience: 'public-security', leewaySeconds: 0 });
  const sign = (ttlSeconds: number, options: { audience?: string; requestId?: string } = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'oneservice-portal', purpose: 'IDENTITY_CHECK', rid: options.requestId ?? 'r1' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience(options.audience ?? 'public-security')
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(privateKey);
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

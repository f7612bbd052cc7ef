import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { GATEWAY_TOKEN_ISSUER } from '../../contracts/caller';
import { GatewayTokenError, createGatewayTokenVerifier } from './gateway-token';

async function setUp() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verify = createGatewayTokenVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }, audience: 'public-security', leewaySeconds: 0 });
  const sign = (ttlSeconds: number, audience = 'public-security') => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'oneservice-portal', purpose: 'IDENTITY_CHECK' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .sign(privateKey);
  };
  return { verify, sign };
}

afterEach(() => jest.useRealTimers());

test('a remembered token is refused once it has expired', async () => {
  jest.useFakeTimers({ now: Date.parse('2026-06-01T08:00:00Z'), advanceTimers: true });
  const { verify, sign } = await setUp();
  const token = await sign(60);
  await expect(verify(`Bearer ${token}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal', purpose: 'IDENTITY_CHECK', requestId: 'r1' });
  await expect(verify(`Bearer ${token}`, 'r2')).resolves.toMatchObject({ requestId: 'r2' });
  jest.setSystemTime(Date.parse('2026-06-01T08:01:01Z'));
  await expect(verify(`Bearer ${token}`, 'r3')).rejects.toThrow(GatewayTokenError);
});

test('a token older than ten minutes is refused even if it claims a longer life', async () => {
  jest.useFakeTimers({ now: Date.parse('2026-06-01T08:00:00Z'), advanceTimers: true });
  const { verify, sign } = await setUp();
  const token = await sign(3600);
  await expect(verify(`Bearer ${token}`, 'r1')).resolves.toMatchObject({ app: 'oneservice-portal' });
  jest.setSystemTime(Date.parse('2026-06-01T08:10:01Z'));
  await expect(verify(`Bearer ${token}`, 'r2')).rejects.toThrow(GatewayTokenError);
});

test('a token for another department is refused, however often it is presented', async () => {
  const { verify, sign } = await setUp();
  const token = await sign(60, 'civil-affairs');
  await expect(verify(`Bearer ${token}`, 'r1')).rejects.toThrow(GatewayTokenError);
  await expect(verify(`Bearer ${token}`, 'r2')).rejects.toThrow(GatewayTokenError);
});

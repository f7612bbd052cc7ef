/** Signs an app token as the development identity provider would. Used by `npm run token` and the tests. */
import { SignJWT } from 'jose';
import { DEV_APP_AUDIENCE, DEV_APP_ISSUER, readPrivateKey } from './dev-keys';

export interface AppTokenRequest {
  app: string;
  operator?: string;
  region?: string;
  /** A jose duration such as "1h" or "15m", or seconds. */
  ttl?: string | number;
  /** Override the issuer or audience, e.g. to test that a foreign token is refused. */
  issuer?: string;
  audience?: string;
}

export async function mintAppToken(issuerPrivateKeyFile: string, request: AppTokenRequest): Promise<string> {
  const { key, kid } = await readPrivateKey(issuerPrivateKeyFile);
  const claims = {
    ...(request.operator !== undefined && { operator: request.operator }),
    ...(request.region !== undefined && { region: request.region }),
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', ...(kid !== undefined && { kid }) })
    .setIssuer(request.issuer ?? DEV_APP_ISSUER)
    .setAudience(request.audience ?? DEV_APP_AUDIENCE)
    .setSubject(request.app)
    .setIssuedAt()
    .setExpirationTime(typeof request.ttl === 'number' ? Math.floor(Date.now() / 1000) + request.ttl : request.ttl ?? '1h')
    .sign(key);
}

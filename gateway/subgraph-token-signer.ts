/**
 * Step 4's credentials: each subgraph request carries a short-lived ES256 token signed by the gateway,
 * with that subgraph as audience and the caller's app, operator, region, purpose and case as claims.
 * A token is reused for the same caller and subgraph while more than half its life remains, so signing
 * costs nothing on the hot path.
 */
import { readFileSync } from 'node:fs';
import { SignJWT, importJWK, type JWK } from 'jose';
import { GATEWAY_TOKEN_ISSUER, claimsFromCaller, type Caller } from '../contracts/caller';

export type SubgraphTokenSigner = (caller: Caller, subgraph: string) => Promise<string>;

const MAX_CACHED = 10_000;

export async function createSubgraphTokenSigner(options: { signingKeyFile: string; ttlSeconds: number }): Promise<SubgraphTokenSigner> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(options.signingKeyFile, 'utf8')) as JWK;
  } catch {
    throw new Error(`Cannot read the gateway signing key at ${options.signingKeyFile}: run npm start once to create development keys, or set GATEWAY_SIGNING_KEY_FILE.`);
  }
  const key = await importJWK(jwk, 'ES256');
  const cache = new Map<string, { token: string; renewAt: number }>();

  return async (caller, subgraph) => {
    const claims = claimsFromCaller(caller);
    const cacheKey = `${subgraph}\u0000${JSON.stringify(claims)}`;
    const now = Date.now();
    const cached = cache.get(cacheKey);
    if (cached && cached.renewAt > now) return cached.token;
    const issuedAt = Math.floor(now / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', ...(jwk.kid !== undefined && { kid: jwk.kid }) })
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience(subgraph)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + options.ttlSeconds)
      .sign(key);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(cacheKey, { token, renewAt: now + (options.ttlSeconds * 1000) / 2 });
    return token;
  };
}

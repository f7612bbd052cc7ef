/**
 * Step 4's credentials: each department call carries its own ES256 token signed by the gateway, with that
 * department as audience, the caller's app, operator, region, purpose and case (and the case's subjects)
 * as claims, the request id (`rid`) and a fresh token id (`jti`). A department accepts a token once, only
 * with the same `X-Request-Id`, and only for a short time: a captured token buys nothing beyond the call
 * it was signed for. Signing per call costs one ES256 signature (0.1–0.3 ms of CPU, measured on the
 * shared two-core machine) and the department one verification; tokens were once reused per caller for
 * half their life, which made any captured token a bearer pass for that caller for 60 s.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT, importJWK, type JWK } from 'jose';
import { GATEWAY_TOKEN_ISSUER, claimsFromCaller, type Caller } from '../contracts/caller';

export type SubgraphTokenSigner = (caller: Caller, subgraph: string) => Promise<string>;

export async function createSubgraphTokenSigner(options: { signingKeyFile: string; ttlSeconds: number }): Promise<SubgraphTokenSigner> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(options.signingKeyFile, 'utf8')) as JWK;
  } catch {
    throw new Error(`Cannot read the gateway signing key at ${options.signingKeyFile}: run npm start once to create development keys, or set GATEWAY_SIGNING_KEY_FILE.`);
  }
  const key = await importJWK(jwk, 'ES256');
  const header = { alg: 'ES256', ...(jwk.kid !== undefined && { kid: jwk.kid }) };

  return (caller, subgraph) => {
    const issuedAt = Math.floor(Date.now() / 1000);
    return new SignJWT(claimsFromCaller(caller))
      .setProtectedHeader(header)
      .setIssuer(GATEWAY_TOKEN_ISSUER)
      .setAudience(subgraph)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + options.ttlSeconds)
      .sign(key);
  };
}

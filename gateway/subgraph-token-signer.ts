/**
 * Step 4's credentials: each department call carries its own ES256 token signed by the gateway, with that
 * department as audience, the caller's app, operator, region, purpose and case (and the case's subjects)
 * as claims, the request id (`rid`) and a fresh token id (`jti`). A department accepts a token once, only
 * with the same `X-Request-Id`, and only for a short time: a captured token buys nothing beyond the call
 * it was signed for. Signing per call costs one ES256 signature (0.1–0.3 ms of CPU, measured on the
 * shared two-core machine) and the department one verification; tokens were once reused per caller for
 * half their life, which made any captured token a bearer pass for that caller for 60 s.
 *
 * The compact JWS is put together here and signed with node:crypto, synchronously: jose signs through
 * WebCrypto, whose asynchronous job and algorithm normalisation cost three times the signature itself
 * (0.10 against 0.03 ms of CPU per token), on every department call. Departments verify with jose as before.
 */
import { createPrivateKey, randomUUID, sign as signWith, type JsonWebKeyInput, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { GATEWAY_TOKEN_ISSUER, claimsFromCaller, type Caller } from '../contracts/caller';

export type SubgraphTokenSigner = (caller: Caller, subgraph: string) => Promise<string>;

export async function createSubgraphTokenSigner(options: { signingKeyFile: string; ttlSeconds: number }): Promise<SubgraphTokenSigner> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(options.signingKeyFile, 'utf8')) as JWK;
  } catch {
    throw new Error(`Cannot read the gateway signing key at ${options.signingKeyFile}: run npm start once to create development keys, or set GATEWAY_SIGNING_KEY_FILE.`);
  }
  const key = es256Key(jwk);
  const header = base64url(JSON.stringify({ alg: 'ES256', ...(jwk.kid !== undefined && { kid: jwk.kid }) }));

  return async (caller, subgraph) => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = { ...claimsFromCaller(caller), iss: GATEWAY_TOKEN_ISSUER, aud: subgraph, jti: randomUUID(), iat, exp: iat + options.ttlSeconds };
    const signingInput = `${header}.${base64url(JSON.stringify(claims))}`;
    // JWS ES256 signatures are the raw r || s pair (RFC 7518 §3.4), not DER.
    const signature = signWith('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** The private P-256 key of a JWK, refused when it is any other kind (a token must be ES256). */
function es256Key(jwk: JWK): KeyObject {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || jwk.d === undefined) throw new Error('The gateway signing key must be a private P-256 (ES256) key in JWK form.');
  return createPrivateKey({ key: jwk as JsonWebKeyInput['key'], format: 'jwk' });
}

/**
 * A department accepts only requests signed by the gateway for it: a short-lived ES256 token whose
 * audience is this department. An app's own token, a token for another department, an expired one or
 * none at all is refused before any GraphQL work (THREATS G22, G23).
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import type { z } from 'zod';
import { GATEWAY_TOKEN_ISSUER, callerFromClaims, gatewayTokenClaims, type Caller } from '../../contracts/caller';

export type GatewayTokenVerifier = (authorization: string | undefined, requestId: string) => Promise<Caller>;

export class GatewayTokenError extends Error {}

export function readJwksFile(file: string): JSONWebKeySet {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`Cannot read the gateway's public keys at ${file}: start the gateway once (npm start) or set GATEWAY_JWKS_FILE.`);
  }
  try {
    return JSON.parse(text) as JSONWebKeySet;
  } catch {
    throw new Error(`The gateway's public keys at ${file} are not a JSON Web Key Set.`);
  }
}

/** Verified tokens kept at most; the gateway reuses one token per caller while it is fresh. */
const MAX_REMEMBERED = 10_000;
const MAX_TOKEN_AGE_SECONDS = 600;

export function createGatewayTokenVerifier(options: { jwks: JSONWebKeySet; audience: string; leewaySeconds: number }): GatewayTokenVerifier {
  const keys = createLocalJWKSet(options.jwks);
  // A token verified once stays valid until it expires: remembering it spares an ES256 verification per call.
  const verified = new Map<string, { claims: z.infer<typeof gatewayTokenClaims>; validUntilMs: number }>();
  return async (authorization, requestId) => {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new GatewayTokenError('missing bearer token');
    const known = verified.get(token);
    if (known && known.validUntilMs > Date.now()) return callerFromClaims(known.claims, requestId);
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: GATEWAY_TOKEN_ISSUER,
        audience: options.audience,
        algorithms: ['ES256'],
        clockTolerance: options.leewaySeconds,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      });
      const claims = gatewayTokenClaims.safeParse(payload);
      if (!claims.success) throw new GatewayTokenError('malformed claims');
      const validUntilSeconds = Math.min(payload.exp!, payload.iat! + MAX_TOKEN_AGE_SECONDS) + options.leewaySeconds;
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      verified.set(token, { claims: claims.data, validUntilMs: validUntilSeconds * 1000 });
      return callerFromClaims(claims.data, requestId);
    } catch (error) {
      if (error instanceof GatewayTokenError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new GatewayTokenError(error.code);
      throw error;
    }
  };
}

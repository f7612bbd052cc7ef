/**
 * A department accepts only requests signed by the gateway for it: a short-lived ES256 token whose
 * audience is this department. An app's own token, a token for another department, an expired one or
 * none at all is refused before any GraphQL work (THREATS G22, G23).
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
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

export function createGatewayTokenVerifier(options: { jwks: JSONWebKeySet; audience: string; leewaySeconds: number }): GatewayTokenVerifier {
  const keys = createLocalJWKSet(options.jwks);
  return async (authorization, requestId) => {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new GatewayTokenError('missing bearer token');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: GATEWAY_TOKEN_ISSUER,
        audience: options.audience,
        algorithms: ['ES256'],
        clockTolerance: options.leewaySeconds,
        requiredClaims: ['exp', 'iat'],
        maxTokenAge: '10m',
      });
      const claims = gatewayTokenClaims.safeParse(payload);
      if (!claims.success) throw new GatewayTokenError('malformed claims');
      return callerFromClaims(claims.data, requestId);
    } catch (error) {
      if (error instanceof GatewayTokenError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new GatewayTokenError(error.code);
      throw error;
    }
  };
}

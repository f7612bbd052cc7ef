/**
 * A department accepts only requests signed by the gateway for it: a short-lived ES256 token whose
 * audience is this department, signed for this very request (`rid` equal to `X-Request-Id`) and presented
 * once (`jti`). An app's own token, a token for another department, an expired one, one replayed or moved
 * to another request, or none at all is refused before any GraphQL work (THREATS G22, G23, R4).
 */
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { GATEWAY_TOKEN_ISSUER, callerFromClaims, gatewayTokenClaims, type Caller } from '../../contracts/caller';

export type GatewayTokenVerifier = (authorization: string | undefined, requestId: string | undefined) => Promise<Caller>;

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

/**
 * A token is accepted for at most this long after it was signed, whatever it claims: the gateway signs one
 * just before each call, and the token ids seen must be remembered for as long as a token is valid.
 */
const MAX_TOKEN_AGE_SECONDS = 60;
/** Token ids remembered at most; past it (pruned of expired ids) new tokens are refused, never an old one forgotten. */
const MAX_TOKENS_IN_FLIGHT = 200_000;

/** The ids of tokens already presented, each until its token expires. */
function createReplayGuard(now: () => number, capacity: number) {
  const seen = new Map<string, number>();
  const prune = () => {
    const at = now();
    for (const [id, until] of seen) if (until <= at) seen.delete(id);
  };
  return (id: string, validUntilMs: number): string | undefined => {
    if (seen.has(id)) return 'token already used';
    if (seen.size >= capacity) prune();
    if (seen.size >= capacity) return 'too many tokens in flight';
    seen.set(id, validUntilMs);
    return undefined;
  };
}

export interface GatewayTokenOptions {
  jwks: JSONWebKeySet;
  audience: string;
  leewaySeconds: number;
  /** How many unexpired token ids may be remembered at once (tests lower it). */
  maxTokensInFlight?: number;
}

export function createGatewayTokenVerifier(options: GatewayTokenOptions): GatewayTokenVerifier {
  const keys = createLocalJWKSet(options.jwks);
  const firstUse = createReplayGuard(() => Date.now(), options.maxTokensInFlight ?? MAX_TOKENS_IN_FLIGHT);
  return async (authorization, requestId) => {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new GatewayTokenError('missing bearer token');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: GATEWAY_TOKEN_ISSUER,
        audience: options.audience,
        algorithms: ['ES256'],
        clockTolerance: options.leewaySeconds,
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      });
      const claims = gatewayTokenClaims.safeParse(payload);
      if (!claims.success) throw new GatewayTokenError('malformed claims');
      if (claims.data.rid !== requestId) throw new GatewayTokenError('token signed for another request');
      const validUntilSeconds = Math.min(payload.exp!, payload.iat! + MAX_TOKEN_AGE_SECONDS) + options.leewaySeconds;
      const replay = firstUse(claims.data.jti, validUntilSeconds * 1000);
      if (replay) throw new GatewayTokenError(replay);
      return callerFromClaims(claims.data);
    } catch (error) {
      if (error instanceof GatewayTokenError) throw error;
      if (error instanceof joseErrors.JOSEError) throw new GatewayTokenError(error.code);
      throw error;
    }
  };
}

/**
 * Step 2 of a request (ARCHITECTURE.md): who is calling. The app's JWT is verified with jose against the
 * identity provider's keys; the stated purpose and case are read from their headers. Anything wrong
 * stops the request here with 401 (or 400 for a malformed header) and nothing else runs.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { HEADER_CODE, type Caller } from '../contracts/caller';
import type { GatewayConfig } from './config';
import type { ErrorCode } from './errors';

export class CallerRejected extends Error {
  constructor(readonly code: Extract<ErrorCode, 'UNAUTHENTICATED' | 'BAD_USER_INPUT'>, message: string) {
    super(message);
  }
}

export type AppAuthenticator = (headers: IncomingHttpHeaders) => Promise<Caller>;

const appClaims = z.object({
  sub: z.string().regex(HEADER_CODE, 'the subject must be an app id'),
  operator: z.string().min(1).max(64).optional(),
  region: z.string().regex(/^\d{2,6}$/, 'region must be a division code or prefix').optional(),
});

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function loadKeys(config: GatewayConfig): JWTVerifyGetKey {
  if (config.appKeys.kind === 'url') return createRemoteJWKSet(new URL(config.appKeys.url));
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(config.appKeys.file, 'utf8')) as JSONWebKeySet;
  } catch {
    throw new Error(`Cannot read the app token keys (a JWKS) at ${config.appKeys.file}: run npm start once to create development keys, or set APP_JWKS_FILE / APP_JWKS_URL.`);
  }
  return createLocalJWKSet(jwks);
}

function joseReason(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) {
    return 'the token is not signed by a trusted identity provider';
  }
  return 'the token is malformed';
}

function headerCode(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !HEADER_CODE.test(value)) {
    throw new CallerRejected('BAD_USER_INPUT', `The ${name} header must be a short code of letters, digits and . _ : -`);
  }
  return value;
}

/** The request id to log and echo: the caller's own when well-formed, else a fresh one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const value = headers['x-request-id'];
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : randomUUID();
}

/** Verified tokens are remembered until they expire: an app sends the same token many times. */
const MAX_REMEMBERED = 10_000;

export function createAppAuthenticator(config: GatewayConfig): AppAuthenticator {
  const keys = loadKeys(config);
  const verified = new Map<string, { payload: unknown; expiresAt: number }>();
  const verify = async (token: string): Promise<unknown> => {
    const known = verified.get(token);
    if (known && known.expiresAt + config.appTokenLeewaySeconds * 1000 > Date.now()) return known.payload;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: config.appTokenIssuer,
        audience: config.appTokenAudience,
        algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
        clockTolerance: config.appTokenLeewaySeconds,
        requiredClaims: ['exp', 'sub'],
      });
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      verified.set(token, { payload, expiresAt: (payload.exp ?? 0) * 1000 });
      return payload;
    } catch (error) {
      verified.delete(token);
      throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${joseReason(error)}.`);
    }
  };
  return async (headers) => {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(headers.authorization ?? '')?.[1];
    if (!token) throw new CallerRejected('UNAUTHENTICATED', 'An app token is required: send Authorization: Bearer <token>.');
    const payload = await verify(token);
    const claims = appClaims.safeParse(payload);
    if (!claims.success) throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${claims.error.issues[0]!.message}.`);
    const purpose = headerCode(headers, 'x-purpose');
    const caseId = headerCode(headers, 'x-case-id');
    return {
      app: claims.data.sub,
      requestId: requestIdOf(headers),
      ...(claims.data.operator !== undefined && { operator: claims.data.operator }),
      ...(claims.data.region !== undefined && { region: claims.data.region }),
      ...(purpose !== undefined && { purpose }),
      ...(caseId !== undefined && { caseId }),
    };
  };
}

/**
 * Step 2 of a request (ARCHITECTURE.md): who is calling. The app's JWT is verified with jose against the
 * keys of its issuer — the identity provider for apps, the platform issuer for the platform's own apps —
 * and the stated purpose and case are read from their headers. Anything wrong stops the request here with
 * 401 (or 400 for a malformed header) and nothing else runs.
 *
 * The platform's own identities are usable only from inside (THREATS I4): an app the gateway runs itself
 * (the case lookup) never comes with a token at all, an internal app only with the platform issuer's, signed
 * with the key of that app alone (its id names the app: platform-key-id.ts), and the platform issuer speaks
 * for no other app.
 */
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { HEADER_CODE, type Caller } from '../contracts/caller';
import type { OperatorKeyCheck } from '../contracts/operator-key';
import type { GatewayConfig } from './config';
import type { ErrorCode } from './errors';
import { appOfPlatformKey } from './platform-key-id';

export class CallerRejected extends Error {
  constructor(readonly code: Extract<ErrorCode, 'UNAUTHENTICATED' | 'BAD_USER_INPUT'>, message: string) {
    super(message);
  }
}

/** The caller a token names; the request id is the gateway's own (request-record.ts), never the client's. */
export type AppAuthenticator = (headers: IncomingHttpHeaders) => Promise<Omit<Caller, 'requestId'>>;

const appClaims = z.object({
  sub: z.string().regex(HEADER_CODE, 'the subject must be an app id'),
  // An OAuth access token names its client here (RFC 9068); the gateway's subject is the app, so they must agree.
  client_id: z.string().optional(),
  operator: z.string().optional(),
  region: z.string().regex(/^\d{2,6}$/, 'region must be a division code or prefix').optional(),
});

function loadKeys(source: GatewayConfig['appKeys'], what: string, variables: string): JWTVerifyGetKey {
  if (source.kind === 'url') return createRemoteJWKSet(new URL(source.url));
  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(source.file, 'utf8')) as JSONWebKeySet;
  } catch {
    throw new Error(`Cannot read ${what} (a JWKS) at ${source.file}: run npm start once to create development keys, or set ${variables}.`);
  }
  return createLocalJWKSet(jwks);
}

/** The platform's own apps, as the contracts and the platform file name them. */
export interface PlatformApps {
  /** Contracts marked `internal`: their tokens come only from the platform issuer. */
  internal: ReadonlySet<string>;
  /** Apps the gateway runs as itself (the case lookup): no token speaks for them. */
  inProcess: ReadonlySet<string>;
}

/** How a token was verified: by the platform issuer (with which app's key), or by the identity provider. */
type Signer = { fromPlatform: false } | { fromPlatform: true; keyOf: string | undefined };

/** Why a verified token may not speak for its app, or undefined when it may. */
function identityProblem(app: string, signer: Signer, apps: PlatformApps): string | undefined {
  if (apps.inProcess.has(app)) return `${app} is the gateway's own app and is never accepted from outside`;
  if (apps.internal.has(app) && !signer.fromPlatform) return `${app} is internal to the platform: only the platform issuer's tokens are accepted for it`;
  if (!apps.internal.has(app) && signer.fromPlatform) return `the platform issuer signs only the platform's own apps, and ${app} is not one of them`;
  // The key was picked by its exact id, so the app that id names is the app whose key signed the token.
  if (signer.fromPlatform && signer.keyOf !== app) return `${app}'s token must be signed with ${app}'s own key, not ${signer.keyOf === undefined ? 'one that names no app' : `${signer.keyOf}'s`}`;
  return undefined;
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

/** Verified tokens are remembered until they expire: an app sends the same token many times. */
const MAX_REMEMBERED = 10_000;
/**
 * ...but verified again after this long, so that a key removed from the issuer's set stops being accepted
 * for tokens seen before too, not only at their expiry (which whoever signed them chose). jose refetches a
 * remote set on an unknown key id at most every 30 s, and when it is 10 minutes old.
 */
const REVERIFY_AFTER_MS = 30_000;

/**
 * `operatorKey` checks the token's operator (contracts/operator-key.ts): only a key of the operator subject
 * (in the shipped platform file, a citizen's ID number) is anyone's "own data", so a token naming anything else is refused whole.
 */
export function createAppAuthenticator(config: GatewayConfig, platformApps: PlatformApps, operatorKey: OperatorKeyCheck): AppAuthenticator {
  // The token's issuer picks the keys that must have signed it; the two issuers never share a name (config.ts).
  const issuers = new Map(
    [
      { name: config.appTokenIssuer, keys: loadKeys(config.appKeys, 'the app token keys', 'APP_JWKS_FILE / APP_JWKS_URL'), fromPlatform: false },
      { name: config.platformTokenIssuer, keys: loadKeys(config.platformKeys, "the platform issuer's keys", 'PLATFORM_JWKS_FILE / PLATFORM_JWKS_URL'), fromPlatform: true },
    ].map((issuer) => [issuer.name, issuer]),
  );
  const verified = new Map<string, { payload: unknown; signer: Signer; until: number }>();
  const verify = async (token: string): Promise<{ payload: unknown; signer: Signer }> => {
    const known = verified.get(token);
    if (known && Date.now() < known.until) return known;
    try {
      const issuer = issuers.get(String(decodeJwt(token).iss));
      if (!issuer) throw new joseErrors.JWTClaimValidationFailed('unexpected "iss" claim value', {}, 'iss', 'check_failed');
      const { payload, protectedHeader } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.name,
        audience: config.appTokenAudience,
        algorithms: ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'],
        clockTolerance: config.appTokenLeewaySeconds,
        requiredClaims: ['exp', 'sub'],
      });
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      const until = Math.min(((payload.exp ?? 0) + config.appTokenLeewaySeconds) * 1000, Date.now() + REVERIFY_AFTER_MS);
      const signer: Signer = issuer.fromPlatform ? { fromPlatform: true, keyOf: appOfPlatformKey(protectedHeader.kid) } : { fromPlatform: false };
      const result = { payload, signer, until };
      verified.set(token, result);
      return result;
    } catch (error) {
      verified.delete(token);
      throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${joseReason(error)}.`);
    }
  };
  return async (headers) => {
    const token = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(headers.authorization ?? '')?.[1];
    if (!token) throw new CallerRejected('UNAUTHENTICATED', 'An app token is required: send Authorization: Bearer <token>.');
    const { payload, signer } = await verify(token);
    const claims = appClaims.safeParse(payload);
    if (!claims.success) throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${claims.error.issues[0]!.message}.`);
    if (claims.data.client_id !== undefined && claims.data.client_id !== claims.data.sub) {
      // A user's token (its subject a person, not the app) must not pass for an app's: docs/operations.md, tokens in production.
      throw new CallerRejected('UNAUTHENTICATED', 'The app token was refused: its subject is not its client (client_id); the subject must be the app.');
    }
    const problem = identityProblem(claims.data.sub, signer, platformApps);
    if (problem) throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${problem}.`);
    const operator = claims.data.operator === undefined ? undefined : operatorKey(claims.data.operator);
    if (operator && !operator.ok) throw new CallerRejected('UNAUTHENTICATED', `The app token was refused: ${operator.problem}.`);
    const purpose = headerCode(headers, 'x-purpose');
    const caseId = headerCode(headers, 'x-case-id');
    return {
      app: claims.data.sub,
      ...(operator?.ok && { operator: operator.key }),
      ...(claims.data.region !== undefined && { region: claims.data.region }),
      ...(purpose !== undefined && { purpose }),
      ...(caseId !== undefined && { caseId }),
    };
  };
}

/**
 * Who is asking: the calling app as the gateway authenticated it, and the purpose and case it stated.
 * The gateway signs this into a short-lived token for each department call, bound to the request; the
 * subgraph verifies it and reads the same shape back. It is the one interface between the two besides
 * the supergraph.
 */
import { z } from 'zod';

export interface Caller {
  app: string;
  operator?: string;
  region?: string;
  purpose?: string;
  caseId?: string;
  /**
   * Division-code prefixes every row must lie in: the app's contract region and its token region. Set by
   * the gateway so departments can limit their own queries to them.
   */
  regions?: string[];
  /**
   * The subject keys of the open case the gateway looked up (set only then): a department limits rows of
   * case-bound reads to them, and refuses such rows when the token carries none.
   */
  caseSubjects?: string[];
  requestId: string;
}

/**
 * Who a caller is, as one string: the app, the operator it acts for and the region its token binds it to
 * (everything the token says; the purpose and case are stated per request). State kept for a caller (what
 * it sent before) is kept under this, never under the app alone: a portal's citizens are different parties.
 */
export function callerScope(caller: Pick<Caller, 'app' | 'operator' | 'region'>): string {
  return JSON.stringify([caller.app, caller.operator ?? null, caller.region ?? null]);
}

/** The issuer every subgraph expects on a gateway token. */
export const GATEWAY_TOKEN_ISSUER = 'govgraph-gateway';

/**
 * The app a gateway token for the gateway's readiness probe (`{ __typename }`, gateway/readiness.ts) names:
 * none (an app id cannot hold `/`), so no contract grants it anything and a department's default-deny gate
 * lets through nothing but `__typename`.
 */
export const READINESS_PROBE_APP = 'gateway/readiness';

/**
 * The header with which a department's read through the gateway names the request it serves, so the
 * gateway records the read as caused by it (gateway/request-record.ts).
 */
export const PARENT_REQUEST_HEADER = 'x-parent-request-id';

/** Header values an app may state: short codes, no spaces or control characters. */
export const HEADER_CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Whether a row's division code lies within every region that binds a caller (a contract's province and a
 * token's district hold at once): the one region test of the gateway's and the departments' row rules.
 */
export function withinRegions(code: string, regions: readonly string[]): boolean {
  return regions.every((prefix) => code.startsWith(prefix));
}

/** A request id as the gateway and the departments accept it in `X-Request-Id`. */
export const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The claims of a gateway token besides iss/aud/iat/exp. */
export const gatewayTokenClaims = z.object({
  sub: z.string().min(1),
  /** The one request this token was signed for; it must arrive with the same `X-Request-Id`. */
  rid: z.string().regex(REQUEST_ID),
  /** Single use: a department accepts each token id once. */
  jti: z.string().min(16).max(64),
  operator: z.string().optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  purpose: z.string().regex(HEADER_CODE).optional(),
  case: z.string().regex(HEADER_CODE).optional(),
  regions: z.array(z.string().regex(/^\d{2,6}$/)).optional(),
  caseSubjects: z.array(z.string().min(1).max(64)).max(1000).optional(),
});

export type GatewayTokenClaims = z.infer<typeof gatewayTokenClaims>;

export function callerFromClaims(claims: GatewayTokenClaims): Caller {
  return {
    app: claims.sub,
    requestId: claims.rid,
    ...(claims.operator !== undefined && { operator: claims.operator }),
    ...(claims.region !== undefined && { region: claims.region }),
    ...(claims.purpose !== undefined && { purpose: claims.purpose }),
    ...(claims.case !== undefined && { caseId: claims.case }),
    ...(claims.regions !== undefined && { regions: claims.regions }),
    ...(claims.caseSubjects !== undefined && { caseSubjects: claims.caseSubjects }),
  };
}

/** The caller's claims, bound to its request (`rid`); the signer adds the token id (`jti`). */
export function claimsFromCaller(caller: Caller): Record<string, string | string[]> {
  return {
    sub: caller.app,
    rid: caller.requestId,
    ...(caller.operator !== undefined && { operator: caller.operator }),
    ...(caller.region !== undefined && { region: caller.region }),
    ...(caller.purpose !== undefined && { purpose: caller.purpose }),
    ...(caller.caseId !== undefined && { case: caller.caseId }),
    ...(caller.regions !== undefined && caller.regions.length > 0 && { regions: caller.regions }),
    ...(caller.caseSubjects !== undefined && { caseSubjects: caller.caseSubjects }),
  };
}


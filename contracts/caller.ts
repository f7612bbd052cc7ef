/**
 * Who is asking: the calling app as the gateway authenticated it, and the purpose and case it stated.
 * The gateway signs this into a short-lived token for each subgraph; the subgraph verifies it and reads
 * the same shape back. It is the one interface between the two besides the supergraph.
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
  requestId: string;
}

/** The issuer every subgraph expects on a gateway token. */
export const GATEWAY_TOKEN_ISSUER = 'govgraph-gateway';

/**
 * The header with which a department's read through the gateway names the request it serves, so the
 * gateway records the read as caused by it (gateway/request-record.ts).
 */
export const PARENT_REQUEST_HEADER = 'x-parent-request-id';

/** Header values an app may state: short codes, no spaces or control characters. */
export const HEADER_CODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The claims of a gateway token besides iss/aud/iat/exp. */
export const gatewayTokenClaims = z.object({
  sub: z.string().min(1),
  operator: z.string().optional(),
  region: z.string().regex(/^\d{2,6}$/).optional(),
  purpose: z.string().regex(HEADER_CODE).optional(),
  case: z.string().regex(HEADER_CODE).optional(),
  regions: z.array(z.string().regex(/^\d{2,6}$/)).optional(),
});

/**
 * The request id travels beside the token in `x-request-id` rather than inside it, so one signed token can
 * serve all requests of the same caller while it is fresh.
 */
export function callerFromClaims(claims: z.infer<typeof gatewayTokenClaims>, requestId: string): Caller {
  return {
    app: claims.sub,
    requestId,
    ...(claims.operator !== undefined && { operator: claims.operator }),
    ...(claims.region !== undefined && { region: claims.region }),
    ...(claims.purpose !== undefined && { purpose: claims.purpose }),
    ...(claims.case !== undefined && { caseId: claims.case }),
    ...(claims.regions !== undefined && { regions: claims.regions }),
  };
}

export function claimsFromCaller(caller: Caller): Record<string, string | string[]> {
  return {
    sub: caller.app,
    ...(caller.operator !== undefined && { operator: caller.operator }),
    ...(caller.region !== undefined && { region: caller.region }),
    ...(caller.purpose !== undefined && { purpose: caller.purpose }),
    ...(caller.caseId !== undefined && { case: caller.caseId }),
    ...(caller.regions !== undefined && caller.regions.length > 0 && { regions: caller.regions }),
  };
}


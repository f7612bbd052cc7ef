/**
 * A department that needs another department's data reads it through the gateway, as an app with its own
 * contract, purpose and case — audited like any reader — never by reaching into another database
 * (Decree 716 art. 7 through the platform, not around it). Its app is one of the platform's own (its
 * contract is marked `internal`), so its token is signed with the platform issuer's key (in development,
 * the development platform key); the gateway refuses the public identity provider's tokens for it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SignJWT, importJWK, type JWK } from 'jose';
import { PARENT_REQUEST_HEADER } from '../../contracts/caller';
import type { Tracing } from '../../http/tracing';

export interface GatewayClientConfig {
  url: string;
  app: string;
  keyFile: string;
  issuer: string;
  audience: string;
}

export interface GatewayReply<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * A read through the gateway is a request of its own (a fresh request id) caused by the request the
 * department is serving (`parentRequestId`): the gateway records it as that request's child, so the
 * statistics count the caller's request once.
 */
export type GatewayClient = <T>(query: string, variables: Record<string, unknown>, context: { purpose: string; caseId?: string; parentRequestId: string }) => Promise<GatewayReply<T>>;

const TOKEN_SECONDS = 300;

/** The read carries the department's `traceparent`, so it is part of the trace of the request that caused it. */
export function createGatewayClient(config: GatewayClientConfig, tracing?: Tracing): GatewayClient {
  let signing: Promise<{ token: string; renewAt: number }> | undefined;
  const token = async () => {
    const current = signing ? await signing : undefined;
    if (current && current.renewAt > Date.now()) return current.token;
    signing = (async () => {
      const jwk = JSON.parse(readFileSync(config.keyFile, 'utf8')) as JWK;
      const jwt = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', ...(jwk.kid !== undefined && { kid: jwk.kid }) })
        .setIssuer(config.issuer)
        .setAudience(config.audience)
        .setSubject(config.app)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_SECONDS}s`)
        .sign(await importJWK(jwk, 'ES256'));
      return { token: jwt, renewAt: Date.now() + (TOKEN_SECONDS * 1000) / 2 };
    })();
    return (await signing).token;
  };
  return async (query, variables, context) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${await token()}`,
      'x-purpose': context.purpose,
      'x-request-id': randomUUID(),
      [PARENT_REQUEST_HEADER]: context.parentRequestId,
      ...(context.caseId !== undefined && { 'x-case-id': context.caseId }),
    };
    tracing?.inject(headers);
    const response = await fetch(config.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.json()) as GatewayReply<never>;
  };
}

/**
 * CORS on /graphql (THREATS G26): which browser pages may call the gateway from another origin. An app's
 * contract lists the origins its pages are served from (`origins:`), and the platform may list origins
 * every app may use (`CORS_ORIGINS`). The browser's preflight carries no token, so it is answered before
 * authentication, from the origins alone: allowed when any contract or the platform lists the origin.
 * Every other answer is decided once the caller is known: it names the origin only when the platform or
 * the calling app's own contract lists it — a page on one app's origin cannot read with another app's
 * token. An answer to a request whose app is not known (no valid token) names any listed origin, so that
 * a page can read why it was refused and sign in again: it says nothing but that.
 *
 * Nothing else is loosened: the token is still required, Apollo Server's CSRF defence (G21) still
 * refuses simple requests, no cookie is read and no `Access-Control-Allow-Credentials` is sent, and an
 * origin is always named exactly, never `*`. Every answer carries `Vary: Origin`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export const CORS_ALLOWED_METHODS = 'GET, POST';

/** The request headers a GovGraph client sends from a page; the browser refuses to send any other. */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-purpose',
  'x-case-id',
  'x-request-id',
  // Apollo Server lets a GET or a simple POST through its CSRF defence only with one of these (G21).
  'apollo-require-preflight',
  'x-apollo-operation-name',
  // Apollo Client's client awareness.
  'apollographql-client-name',
  'apollographql-client-version',
].join(', ');

/** Response headers a page may read besides the safelisted ones: the request id to quote, when to retry, how to authenticate. */
export const CORS_EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate';

export interface CorsSettings {
  /** Origins every app may be called from, besides those its contract lists. */
  origins: readonly string[];
  /** How long a browser may keep a preflight's answer (`Access-Control-Max-Age`). */
  maxAgeSeconds: number;
}

export interface Preflight {
  allowed: boolean;
  headers: Record<string, string>;
}

export interface CorsPolicy {
  /** The answer to a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method); undefined for any other request. */
  preflight(method: string | undefined, headers: IncomingHttpHeaders): Preflight | undefined;
  /** The CORS headers of the answer to any other request, by the calling app (undefined: not authenticated). */
  answerHeaders(headers: IncomingHttpHeaders, app: string | undefined): Record<string, string>;
}

export function createCorsPolicy(settings: CorsSettings, originsByApp: ReadonlyMap<string, readonly string[]>): CorsPolicy {
  const platform = new Set(settings.origins);
  const byApp = new Map([...originsByApp].map(([app, origins]) => [app, new Set(origins)]));
  const anyListed = new Set([...platform, ...[...byApp.values()].flatMap((origins) => [...origins])]);
  const allowedFor = (origin: string, app: string | undefined) =>
    app === undefined ? anyListed.has(origin) : platform.has(origin) || (byApp.get(app)?.has(origin) ?? false);
  return {
    preflight(method, headers): Preflight | undefined {
      const { origin } = headers;
      if (method !== 'OPTIONS' || origin === undefined || headers['access-control-request-method'] === undefined) return undefined;
      if (!anyListed.has(origin)) return { allowed: false, headers: { vary: 'Origin' } };
      return {
        allowed: true,
        headers: {
          vary: 'Origin',
          'access-control-allow-origin': origin,
          'access-control-allow-methods': CORS_ALLOWED_METHODS,
          'access-control-allow-headers': CORS_ALLOWED_HEADERS,
          'access-control-max-age': String(settings.maxAgeSeconds),
        },
      };
    },
    answerHeaders(headers, app): Record<string, string> {
      const { origin } = headers;
      if (origin === undefined || !allowedFor(origin, app)) return { vary: 'Origin' };
      return { vary: 'Origin', 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSED_HEADERS };
    },
  };
}

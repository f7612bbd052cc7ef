/**
 * A web origin a browser app is served from, as a contract's `origins` and the gateway's `CORS_ORIGINS`
 * list them (gateway/cors.ts). Browsers send an origin serialised — scheme, host, port when not the
 * default, lower case, nothing else — and the gateway compares it to the list exactly, so an entry is
 * accepted only in that form: anything else (a path, a trailing slash, a wildcard) would never match,
 * or would mean more than one origin. Only secure contexts: https, or http on the loopback interface for
 * development (a page on plain http elsewhere can be rewritten on the way, and would read with its user's
 * token).
 */
import { z } from 'zod';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Why `text` is not an origin the gateway allows, or undefined when it is one. */
export function originProblem(text: string): string | undefined {
  if (text.includes('*')) return 'must be one exact origin: no wildcard';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'must be an origin such as https://portal.example.gov.cn';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) origin such as https://portal.example.gov.cn';
  if (url.origin !== text) return `must be scheme, host and port only, as a browser sends it (no path, trailing slash, user, query, upper case or default port): ${url.origin}`;
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) return 'must use https (plain http only on localhost, 127.0.0.1 or [::1])';
  return undefined;
}

export const webOrigin = z.string().superRefine((text, ctx) => {
  const problem = originProblem(text);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * How the gateway reaches a department (THREATS F1–F3): a timeout on every call, a bounded response body,
 * one retry of a query whose connection failed (never of a mutation: it may have run), and a circuit
 * breaker that stops calling a department that keeps failing until a cool-down has passed — so one slow or
 * broken department never holds up the others.
 */
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';

export interface DepartmentCallLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  /** Consecutive failures that open the circuit, and how long it stays open. */
  breakerFailures: number;
  breakerCooldownMs: number;
}

export class DepartmentUnavailable extends Error {}

const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function connectionFailed(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return typeof cause?.code === 'string' && CONNECTION_FAILURES.has(cause.code);
}

function isMutation(body: unknown): boolean {
  if (typeof body !== 'string') return true;
  try {
    return /^\s*mutation\b/.test((JSON.parse(body) as { query?: string }).query ?? '');
  } catch {
    return true;
  }
}

async function readBounded(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new DepartmentUnavailable(`response larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createDepartmentFetcher(limits: DepartmentCallLimits): Fetcher {
  let failures = 0;
  let openUntil = 0;
  const failed = () => {
    failures += 1;
    if (failures >= limits.breakerFailures) openUntil = Date.now() + limits.breakerCooldownMs;
  };

  return async (url, init = {}) => {
    if (openUntil > Date.now()) throw new DepartmentUnavailable('circuit open after repeated failures');
    const retryable = !isMutation(init.body);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, {
          method: init.method ?? 'POST',
          headers: init.headers ?? {},
          ...(init.body !== undefined && { body: typeof init.body === 'string' ? init.body : init.body.toString('utf8') }),
          signal: AbortSignal.timeout(limits.timeoutMs),
        });
        const text = await readBounded(response, limits.maxResponseBytes);
        if (response.status >= 500) failed();
        else failures = 0;
        return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers }) as unknown as FetcherResponse;
      } catch (error) {
        if (attempt === 1 && retryable && connectionFailed(error)) continue;
        failed();
        throw error;
      }
    }
  };
}

/**
 * How the gateway reaches a department (THREATS F1–F3): a timeout on every call, a bounded response body,
 * one retry of a query whose connection failed (never of a mutation: it may have run), and a circuit
 * breaker that stops calling a department that keeps failing until a cool-down has passed — so one slow or
 * broken department never holds up the others.
 *
 * Calls go through one undici connection pool per department with keep-alive, and the body is read as
 * text at once: the global fetch's web streams, abort signals and Response objects were a third of the
 * gateway's own CPU time per request.
 */
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent, request } from 'undici';

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
  const code = (error as { code?: string; cause?: { code?: string } } | null)?.code ?? (error as { cause?: { code?: string } } | null)?.cause?.code;
  return typeof code === 'string' && CONNECTION_FAILURES.has(code);
}

/**
 * Whether the body the planner sends carries a mutation. Inside the JSON body a `"query":"` can only be the
 * key itself (quotes within the operation text are escaped), so no parse is needed.
 */
function isMutation(body: unknown): boolean {
  return typeof body !== 'string' || /"query":"\s*mutation\b/.test(body);
}

/** What Apollo's data source reads of a response, over a body already read in full. */
class DepartmentResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly statusText = '';

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: Headers,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new TextEncoder().encode(this.body).buffer;
  }

  clone(): DepartmentResponse {
    return new DepartmentResponse(this.url, this.status, this.headers, this.body);
  }
}

function headersOf(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function createDepartmentFetcher(limits: DepartmentCallLimits): Fetcher {
  const pool = new Agent({ headersTimeout: limits.timeoutMs, bodyTimeout: limits.timeoutMs, maxResponseSize: limits.maxResponseBytes, keepAliveTimeout: 30_000 });
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
        const response = await request(url, {
          dispatcher: pool,
          method: (init.method ?? 'POST') as 'POST',
          headers: init.headers ?? {},
          ...(init.body !== undefined && { body: init.body }),
        });
        const text = await response.body.text();
        if (response.statusCode >= 500) failed();
        else failures = 0;
        return new DepartmentResponse(url, response.statusCode, headersOf(response.headers), text);
      } catch (error) {
        if (attempt === 1 && retryable && connectionFailed(error)) continue;
        failed();
        throw error;
      }
    }
  };
}

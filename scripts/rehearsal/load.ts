/**
 * A bounded load through the load balancer (autocannon, in this process): a fixed number of requests over
 * a fixed number of connections, so that every request sent is answered before the run ends — none is
 * left in flight to be recorded with no answer counted. Each answer is sorted: answered (2xx with data,
 * its X-Request-Id kept to find its record) or failed (its status and what it said, and when); a request
 * that got no answer at all is counted as such.
 */
import autocannon from 'autocannon';

export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  amount: number;
  /** Whether a 2xx answer's body holds the data asked for. */
  hasData(body: unknown): boolean;
}

export interface FailedAnswer {
  status: number;
  /** The first line of what the answer said (a GraphQL error's message, or HAProxy's page's heading). */
  said: string;
  at: number;
}

export interface LoadOutcome {
  /** The X-Request-Id of every 2xx answer with data. */
  answered: string[];
  failed: FailedAnswer[];
  /**
   * Requests that got no HTTP answer at all: their connection closed under them, or they timed out. HAProxy
   * answers a request whose replica died under it this way, not with a 502, when the client's connection
   * had carried a request before (a kept-alive connection): the client sees its connection close.
   */
  unanswered: number;
  latencyMs: { p50: number; p99: number; max: number };
  seconds: number;
  startedAt: number;
}

function firstLine(body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: Array<{ message?: string }> };
    if (parsed.errors?.[0]?.message) return parsed.errors[0].message;
  } catch {
    // not JSON: HAProxy's own error page
  }
  const heading = /<h1>([^<]*)<\/h1>/i.exec(body)?.[1];
  return (heading ?? body).trim().split('\n', 1)[0]!.slice(0, 200);
}

function headerOf(headers: Record<string, string | string[]>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(found) ? found[0] : found;
}

export async function runLoad(load: LoadRequest): Promise<LoadOutcome> {
  const answered: string[] = [];
  const failed: FailedAnswer[] = [];
  const onResponse = (status: number, body: string, _context: object, headers: Record<string, string | string[]>) => {
    const requestId = headerOf(headers, 'x-request-id');
    let data = false;
    if (status >= 200 && status < 300) {
      try {
        data = load.hasData(JSON.parse(body));
      } catch {
        data = false;
      }
    }
    if (data && requestId) answered.push(requestId);
    else failed.push({ status, said: firstLine(body), at: Date.now() });
  };
  const startedAt = Date.now();
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    amount: load.amount,
    requests: [{ method: 'POST', headers: load.headers, body: load.body, onResponse: onResponse as autocannon.Request['onResponse'] }],
  });
  return {
    answered,
    failed,
    // autocannon opens a new connection after one closes, and counts the request lost with it as sent, not as answered.
    unanswered: result.requests.sent - result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    seconds: (Date.now() - startedAt) / 1000,
    startedAt,
  };
}

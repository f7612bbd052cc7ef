/**
 * Per-app rate limits from the contracts (THREATS G7): requests per minute, counted before any GraphQL
 * work, and cost per minute (the field coordinates an operation reads), counted after the access gate.
 * Fixed one-minute windows, in memory for one gateway or in Redis so that replicas share them.
 */
import Redis from 'ioredis';
import type { Logger } from 'pino';

export type RateVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Adds `amount` to the app's count of `kind` in this minute; refuses once it would pass `limit`. */
  consume(app: string, kind: 'requests' | 'cost', amount: number, limit: number): Promise<RateVerdict>;
  /** Resolves true once the counts can be kept, or false when that has not happened within `ms`. */
  connected(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

function window(now: number): { start: number; retryAfterSeconds: number } {
  const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  return { start, retryAfterSeconds: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
}

export function memoryRateLimiter(): RateLimiter {
  const counts = new Map<string, number>();
  let currentWindow = 0;
  return {
    async consume(app, kind, amount, limit) {
      const { start, retryAfterSeconds } = window(Date.now());
      if (start !== currentWindow) {
        counts.clear();
        currentWindow = start;
      }
      const key = `${app}\u0000${kind}`;
      const used = (counts.get(key) ?? 0) + amount;
      counts.set(key, used);
      return used <= limit ? { allowed: true } : { allowed: false, retryAfterSeconds };
    },
    async connected() {
      return true;
    },
    async close() {},
  };
}

/** Shared by every replica; if Redis cannot be reached the request is let through and the fault logged. */
export function redisRateLimiter(url: string, logger: Logger): RateLimiter {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', (error) => logger.warn({ err: error }, 'rate-limit store unavailable'));
  return {
    async consume(app, kind, amount, limit) {
      const { start, retryAfterSeconds } = window(Date.now());
      const key = `govgraph:rate:${app}:${kind}:${start}`;
      try {
        const [[, used]] = (await redis.multi().incrby(key, amount).pexpire(key, WINDOW_MS * 2).exec()) as [[Error | null, number]];
        return used <= limit ? { allowed: true } : { allowed: false, retryAfterSeconds };
      } catch (error) {
        logger.warn({ err: error }, 'rate limit not checked: its store is unavailable');
        return { allowed: true };
      }
    },
    connected(ms) {
      if (redis.status === 'ready') return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          redis.off('ready', onReady);
          resolve(false);
        }, ms);
        const onReady = () => {
          clearTimeout(timer);
          resolve(true);
        };
        redis.once('ready', onReady);
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}

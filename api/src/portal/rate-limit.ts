/**
 * A small in-memory token bucket per client address for the public portal.
 *
 * The client is the first hop of X-Forwarded-For when present (the portal is
 * meant to sit behind the city's reverse proxy, which must overwrite that
 * header: a client could otherwise pick its own key), else the socket's
 * remote address (@hono/node-server's getConnInfo), else 'local' (requests
 * made with app.request() in tests, which have no socket).
 *
 * Per process: with several API processes each keeps its own buckets, so the
 * effective limit is the per-process limit times the number of processes.
 * Memory is bounded: at most `maxKeys` buckets, the least recently used
 * dropped first (a dropped bucket is a full one, so forgetting it only ever
 * lets a client through, never blocks one).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { AppError, errorBody } from '../http/errors.ts';

export type RateLimitOptions = {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  maxKeys?: number;
  /** Milliseconds; monotonic time by default (rate limiting is about real time, not the business clock). */
  now?: () => number;
};

export type Decision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export type RateLimiter = {
  take(key: string): Decision;
  /** Whether take() would succeed now, without using a token. */
  peek(key: string): Decision;
  size(): number;
};

export function createRateLimiter(opts: RateLimitOptions): RateLimiter {
  const { capacity, refillPerSecond } = opts;
  if (!(capacity >= 1) || !(refillPerSecond > 0)) throw new RangeError('rate limit: capacity >= 1 and refillPerSecond > 0');
  const maxKeys = opts.maxKeys ?? 50_000;
  const now = opts.now ?? (() => performance.now());
  // Map iteration order is insertion order: re-inserting on use keeps it LRU.
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key);
      let tokens = capacity;
      if (b) {
        tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * refillPerSecond);
        buckets.delete(key);
      } else if (buckets.size >= maxKeys) {
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }
      if (tokens < 1) {
        buckets.set(key, { tokens, at: t });
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)) };
      }
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true, remaining: Math.floor(tokens - 1) };
    },
    peek(key) {
      const b = buckets.get(key);
      if (!b) return { ok: true, remaining: capacity };
      const tokens = Math.min(capacity, b.tokens + ((now() - b.at) / 1000) * refillPerSecond);
      if (tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)) };
      return { ok: true, remaining: Math.floor(tokens) };
    },
    size: () => buckets.size,
  };
}

/** The client's address as the rate limit sees it (see the file header). */
export function clientKey(c: Context): string {
  const forwarded = c.req.header('x-forwarded-for');
  const first = forwarded?.split(',')[0]?.trim();
  if (first) return first.slice(0, 100);
  try {
    const address = getConnInfo(c).remote.address;
    if (address) return address;
  } catch {
    // no socket: app.request() in tests
  }
  return 'local';
}

export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError(429, 'RATE_LIMITED', `请求过于频繁，请 ${retryAfterSeconds} 秒后再试`, `too many requests; retry in ${retryAfterSeconds} s`);
}

/** Answers 429 RATE_LIMITED (error shape, Retry-After) when the client's bucket is empty. */
export function rateLimit(pick: (c: Context<AppEnv>) => RateLimiter | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limiter = pick(c);
    if (!limiter) return next();
    const d = limiter.take(clientKey(c));
    if (!d.ok) {
      const err = rateLimited(d.retryAfterSeconds);
      return c.json(errorBody(c, err), 429, { 'Retry-After': String(d.retryAfterSeconds) });
    }
    await next();
  };
}

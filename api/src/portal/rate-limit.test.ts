import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.ts';

describe('token bucket', () => {
  it('allows a burst, then refills at its rate, per key', () => {
    let now = 0;
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => now });
    expect([1, 2, 3, 4].map(() => limiter.take('a').ok)).toEqual([true, true, true, false]);
    expect(limiter.take('b').ok).toBe(true);
    const denied = limiter.take('a');
    expect(denied).toEqual({ ok: false, retryAfterSeconds: 2 });
    now += 1999;
    expect(limiter.take('a').ok).toBe(false);
    now += 2000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('holds at most maxKeys buckets, forgetting the least recently used', () => {
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.size()).toBe(2);
    // 'b' was forgotten: a full bucket again.
    expect(limiter.take('b').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });
});

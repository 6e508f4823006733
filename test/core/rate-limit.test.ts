import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import type { StateStore } from '../../src/core/ports/state-store.js';
import { RateLimiter } from '../../src/core/rate-limit.js';

const T0 = Date.parse('2026-11-25T09:00:00Z');

function limiter(perMinute: number): RateLimiter {
  return new RateLimiter(new MemoryStateStore(() => T0), perMinute);
}

/** A store that records what the limiter asks of it, answering like the in-memory one. */
function recording(calls: unknown[][]): StateStore {
  const inner = new MemoryStateStore(() => T0);
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop !== 'acquire') return Reflect.get(target, prop, receiver) as unknown;
      return (...args: Parameters<StateStore['acquire']>) => {
        calls.push(args);
        return target.acquire(...args);
      };
    },
  });
}

describe('rate limit: a sliding minute of logoffs and disconnects per caller', () => {
  it('lets the limit through, then says how long until the oldest action leaves the minute', async () => {
    const r = limiter(2);
    expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.take('console:root', T0 + 1_000)).toBe(0);
    expect(await r.take('console:root', T0 + 2_000)).toBe(58_000);
    expect(await r.retryAfter('console:root', T0 + 2_000)).toBe(58_000);
    expect(await r.retryAfter('console:root', T0 + 59_000)).toBe(1_000);
  });

  it('an action counts for 59,999 ms and no longer: at 60,000 ms the caller may act again', async () => {
    const r = limiter(1);
    expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.retryAfter('console:root', T0 + 59_999)).toBe(1);
    expect(await r.take('console:root', T0 + 59_999)).toBe(1);
    expect(await r.retryAfter('console:root', T0 + 60_000)).toBe(0);
    expect(await r.take('console:root', T0 + 60_000)).toBe(0);
    expect(await r.take('console:root', T0 + 60_001)).toBe(59_999);
  });

  it('a minute and a millisecond later the old action is gone too', async () => {
    const r = limiter(1);
    expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.take('console:root', T0 + 60_001)).toBe(0);
  });

  it('old actions leave one by one: the wait is to the oldest one still inside the minute', async () => {
    const r = limiter(2);
    await r.take('console:root', T0);
    await r.take('console:root', T0 + 30_000);
    expect(await r.take('console:root', T0 + 60_000)).toBe(0);
    expect(await r.take('console:root', T0 + 60_500)).toBe(29_500);
  });

  it('looking (retryAfter) takes nothing from the allowance', async () => {
    const r = limiter(1);
    for (let i = 0; i < 5; i++) expect(await r.retryAfter('console:root', T0 + i)).toBe(0);
    expect(await r.take('console:root', T0 + 10)).toBe(0);
    expect(await r.take('console:root', T0 + 20)).toBe(59_990);
  });

  it('a refused action is not counted: the wait does not grow with retries', async () => {
    const r = limiter(1);
    await r.take('console:root', T0);
    for (let i = 1; i <= 5; i++) expect(await r.take('console:root', T0 + i * 1_000)).toBe(60_000 - i * 1_000);
    expect(await r.take('console:root', T0 + 60_000)).toBe(0);
  });

  it('each caller has their own minute', async () => {
    const r = limiter(1);
    expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.take('console:alice', T0)).toBe(0);
    expect(await r.take('slack:root', T0)).toBe(0);
    expect(await r.take('console:root', T0)).toBe(60_000);
  });

  it('a limit of 0 means no limit, and the store is not asked', async () => {
    const calls: unknown[][] = [];
    const r = new RateLimiter(recording(calls), 0);
    for (let i = 0; i < 50; i++) expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.retryAfter('console:root', T0)).toBe(0);
    expect(r.limit).toBe(0);
    expect(calls).toEqual([]);
  });

  it('a limit of 1 is a limit: the second action in the minute waits', async () => {
    const r = limiter(1);
    expect(r.limit).toBe(1);
    expect(await r.take('console:root', T0)).toBe(0);
    expect(await r.retryAfter('console:root', T0)).toBe(60_000);
  });

  it('keeps its windows in the shared state store, under "rate", one minute long', async () => {
    const calls: unknown[][] = [];
    const r = new RateLimiter(recording(calls), 3);
    await r.retryAfter('console:root', T0);
    await r.take('console:root', T0 + 1);
    expect(calls).toEqual([
      ['rate', 'console:root', T0, 60_000, 3, false],
      ['rate', 'console:root', T0 + 1, 60_000, 3, true],
    ]);
  });
});

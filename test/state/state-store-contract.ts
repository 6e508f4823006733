import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateStore } from '../../src/core/ports/state-store.js';

/**
 * How a contract run gets stores. `open(prefix)` is one bot instance's view: for Redis a new client
 * each time (so concurrency really crosses connections), for memory the same object per prefix.
 */
export interface StoreFixture {
  open(prefix?: string): Promise<StateStore>;
  /** Ends whatever the fixture started (servers, clients). */
  close(): Promise<void>;
}

let nsCounter = 0;
/** A namespace no other test uses, so no test sees another's entries. */
const freshNs = (): string => `t${process.pid}x${++nsCounter}`;

/** Exactly one of `n` concurrent attempts over `stores` wins. */
async function winners<T>(stores: StateStore[], n: number, attempt: (s: StateStore, i: number) => Promise<T>, won: (r: T) => boolean): Promise<number> {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => attempt(stores[i % stores.length] as StateStore, i)));
  return results.filter(won).length;
}

/** The StateStore contract (src/core/ports/state-store.ts), the same cases for every implementation. */
export function stateStoreContract(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`StateStore contract: ${name}`, () => {
    let fx: StoreFixture;
    let a: StateStore;
    let b: StateStore;
    let c: StateStore;
    beforeAll(async () => {
      fx = await makeFixture();
      [a, b, c] = [await fx.open(), await fx.open(), await fx.open()];
    });
    afterAll(async () => fx?.close());
    const HOUR = 3_600_000;

    it('put then get from another instance; put replaces; unknown IDs and namespaces are undefined', async () => {
      const ns = freshNs();
      await a.put(ns, 'p1', '{"v":1}', Date.now() + HOUR, HOUR);
      expect(await b.get(ns, 'p1')).toBe('{"v":1}');
      await b.put(ns, 'p1', '{"v":2}', Date.now() + HOUR, HOUR);
      expect(await a.get(ns, 'p1')).toBe('{"v":2}');
      expect(await a.get(ns, 'nope')).toBeUndefined();
      expect(await a.get(freshNs(), 'p1')).toBeUndefined();
    });

    it('take returns the value once: of 50 concurrent takers over three instances, exactly one gets it', async () => {
      const ns = freshNs();
      await a.put(ns, 'c1', 'payload', Date.now() + HOUR, HOUR);
      const got = await Promise.all(Array.from({ length: 50 }, (_, i) => [a, b, c][i % 3]!.take(ns, 'c1')));
      expect(got.filter((v) => v === 'payload')).toHaveLength(1);
      expect(got.filter((v) => v === undefined)).toHaveLength(49);
      expect(await b.get(ns, 'c1')).toBeUndefined();
      expect(await c.take(ns, 'c1')).toBeUndefined();
    });

    it('a taken entry is no longer due nor counted', async () => {
      const ns = freshNs();
      const now = Date.now();
      await a.put(ns, 'x', '1', now - 1000, HOUR);
      await a.put(ns, 'y', '2', now - 500, HOUR);
      expect(await b.take(ns, 'x')).toBe('1');
      expect(await c.due(ns, now, 10)).toEqual(['y']);
      expect(await c.count(ns)).toBe(1);
    });

    it('swap replaces only the exact expected value; a changed or missing entry answers false', async () => {
      const ns = freshNs();
      await a.put(ns, 's', 'pending', Date.now() + HOUR, HOUR);
      expect(await b.swap(ns, 's', 'pending', 'approved-by-1')).toBe(true);
      expect(await a.get(ns, 's')).toBe('approved-by-1');
      expect(await c.swap(ns, 's', 'pending', 'approved-by-2')).toBe(false);
      expect(await a.get(ns, 's')).toBe('approved-by-1');
      expect(await a.swap(ns, 'missing', 'pending', 'x')).toBe(false);
      expect(await a.get(ns, 'missing')).toBeUndefined();
    });

    it('of 30 concurrent swaps from the same expected value, exactly one succeeds', async () => {
      const ns = freshNs();
      await a.put(ns, 's', 'v0', Date.now() + HOUR, HOUR);
      const n = await winners([a, b, c], 30, (s, i) => s.swap(ns, 's', 'v0', `v${i + 1}`), (ok) => ok);
      expect(n).toBe(1);
      expect(await a.get(ns, 's')).toMatch(/^v([1-9]|[12]\d|30)$/);
    });

    it('a swapped entry keeps its due time and is still forgotten when first planned', async () => {
      const ns = freshNs();
      const now = Date.now();
      await a.put(ns, 's', 'v0', now - 10, 1000);
      expect(await b.swap(ns, 's', 'v0', 'v1')).toBe(true);
      expect(await a.due(ns, now, 10)).toEqual(['s']);
      await sleep(1400);
      expect(await a.get(ns, 's')).toBeUndefined();
      expect(await a.due(ns, Date.now(), 10)).toEqual([]);
    });

    it('due lists what is due at or before now, soonest first, at most limit, from this namespace only', async () => {
      const ns = freshNs();
      const other = freshNs();
      const t = Date.now();
      await a.put(ns, 'c', '3', t - 1000, HOUR);
      await b.put(ns, 'a', '1', t - 3000, HOUR);
      await c.put(ns, 'later', '9', t + 60_000, HOUR);
      await a.put(ns, 'b', '2', t - 2000, HOUR);
      await a.put(ns, 'exact', '4', t, HOUR);
      await a.put(other, 'z', '0', t - 5000, HOUR);
      expect(await b.due(ns, t, 10)).toEqual(['a', 'b', 'c', 'exact']);
      expect(await c.due(ns, t, 2)).toEqual(['a', 'b']);
      expect(await a.due(ns, t, 0)).toEqual([]);
      expect(await a.due(ns, t - 2500, 10)).toEqual(['a']);
      expect(await a.due(ns, t + 60_000, 10)).toEqual(['a', 'b', 'c', 'exact', 'later']);
      // Put again with a new due time: listed by the new one only.
      await a.put(ns, 'a', '1', t + 30_000, HOUR);
      expect(await b.due(ns, t, 10)).toEqual(['b', 'c', 'exact']);
      expect(await b.due(ns, t + 30_000, 10)).toEqual(['b', 'c', 'exact', 'a']);
    });

    it('an entry is forgotten keepMs after it was due: get, take, due and count all stop seeing it', async () => {
      const ns = freshNs();
      const now = Date.now();
      await a.put(ns, 'short', 's', now, 50);
      await a.put(ns, 'long', 'l', now - 10_000, HOUR);
      await a.put(ns, 'gone', 'g', now - 10_000, 5_000);
      expect(await b.get(ns, 'gone')).toBeUndefined();
      await sleep(200);
      expect(await b.get(ns, 'short')).toBeUndefined();
      expect(await b.take(ns, 'short')).toBeUndefined();
      expect(await b.due(ns, Date.now(), 10)).toEqual(['long']);
      expect(await b.count(ns)).toBe(1);
      expect(await c.get(ns, 'long')).toBe('l');
    });

    it('mark: exactly one of 50 concurrent marks over three instances is first; others false while it lives', async () => {
      const ns = freshNs();
      const n = await winners([a, b, c], 50, (s) => s.mark(ns, 'trigger-1', HOUR), (first) => first);
      expect(n).toBe(1);
      expect(await a.mark(ns, 'trigger-1', HOUR)).toBe(false);
      expect(await a.mark(ns, 'trigger-2', HOUR)).toBe(true);
      expect(await a.mark(freshNs(), 'trigger-1', HOUR)).toBe(true);
    });

    it('mark: once its TTL has passed, the same ID is first again', async () => {
      const ns = freshNs();
      expect(await a.mark(ns, 'm', 50)).toBe(true);
      expect(await b.mark(ns, 'm', 50)).toBe(false);
      await sleep(200);
      expect(await b.mark(ns, 'm', HOUR)).toBe(true);
      expect(await c.mark(ns, 'm', HOUR)).toBe(false);
    });

    it('acquire: the limit holds in a sliding window, with the time until the oldest event leaves', async () => {
      const ns = freshNs();
      const t = Date.now();
      const W = 60_000;
      expect(await a.acquire(ns, 'u1', t, W, 3, true)).toBe(0);
      expect(await b.acquire(ns, 'u1', t + 1000, W, 3, true)).toBe(0);
      expect(await c.acquire(ns, 'u1', t + 2000, W, 3, false)).toBe(0);
      expect(await c.acquire(ns, 'u1', t + 2000, W, 3, true)).toBe(0);
      expect(await a.acquire(ns, 'u1', t + 3000, W, 3, true)).toBe(W - 3000);
      expect(await b.acquire(ns, 'u1', t + 3000, W, 3, false)).toBe(W - 3000);
      // Another key and another namespace are windows of their own.
      expect(await a.acquire(ns, 'u2', t + 3000, W, 3, true)).toBe(0);
      expect(await a.acquire(freshNs(), 'u1', t + 3000, W, 3, true)).toBe(0);
      // The first event leaves the window at t + W: one more fits, then the next wait is until t+1000+W.
      expect(await b.acquire(ns, 'u1', t + W, W, 3, true)).toBe(0);
      expect(await c.acquire(ns, 'u1', t + W + 1, W, 3, true)).toBe(1000 - 1);
    });

    it('acquire: events at the same millisecond each count', async () => {
      const ns = freshNs();
      const t = Date.now();
      for (let i = 0; i < 4; i++) expect(await [a, b][i % 2]!.acquire(ns, 'same', t, 60_000, 4, true)).toBe(0);
      expect(await c.acquire(ns, 'same', t, 60_000, 4, true)).toBe(60_000);
    });

    it('acquire: 40 concurrent requests over three instances, limit 5: exactly 5 pass', async () => {
      const ns = freshNs();
      const t = Date.now();
      const n = await winners([a, b, c], 40, (s, i) => s.acquire(ns, 'burst', t + (i % 4), 60_000, 5, true), (wait) => wait === 0);
      expect(n).toBe(5);
      expect(await a.acquire(ns, 'burst', t + 10, 60_000, 5, false)).toBeGreaterThan(0);
    });

    it('count: live entries put in a namespace, not marks, windows or other namespaces', async () => {
      const ns = freshNs();
      const now = Date.now();
      expect(await a.count(ns)).toBe(0);
      await a.put(ns, '1', 'x', now + HOUR, HOUR);
      await b.put(ns, '2', 'x', now - 1000, HOUR);
      await c.put(ns, '3', 'x', now + HOUR, HOUR);
      await c.put(ns, '3', 'y', now + HOUR, HOUR);
      await a.put(ns, 'old', 'x', now - 10_000, 1_000);
      await a.mark(ns, 'mk', HOUR);
      await a.acquire(ns, 'w', now, 60_000, 5, true);
      await a.put(freshNs(), 'elsewhere', 'x', now + HOUR, HOUR);
      expect(await b.count(ns)).toBe(3);
      await a.take(ns, '1');
      expect(await c.count(ns)).toBe(2);
    });

    it('stores with different prefixes share nothing', async () => {
      const p = await fx.open('siteA:');
      const q = await fx.open('siteB:');
      const ns = freshNs();
      const now = Date.now();
      await p.put(ns, 'id', 'from A', now - 1, HOUR);
      expect(await q.get(ns, 'id')).toBeUndefined();
      expect(await q.take(ns, 'id')).toBeUndefined();
      expect(await q.due(ns, now, 10)).toEqual([]);
      expect(await q.count(ns)).toBe(0);
      expect(await q.swap(ns, 'id', 'from A', 'x')).toBe(false);
      expect(await p.mark(ns, 'm', HOUR)).toBe(true);
      expect(await q.mark(ns, 'm', HOUR)).toBe(true);
      expect(await p.acquire(ns, 'k', now, 60_000, 1, true)).toBe(0);
      expect(await q.acquire(ns, 'k', now, 60_000, 1, true)).toBe(0);
      expect(await p.get(ns, 'id')).toBe('from A');
      expect(await p.count(ns)).toBe(1);
    });

    it('ping answers', async () => {
      await expect(a.ping()).resolves.toBeUndefined();
    });
  });
}

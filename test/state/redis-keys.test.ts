import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';

describe.skipIf(skipWithoutRedis())('what the Redis store leaves in Redis', () => {
  let server: RedisServer;
  let store: RedisStateStore;
  let raw: Redis;
  beforeAll(async () => {
    server = await new RedisServer().start();
    store = new RedisStateStore({ connection: { host: '127.0.0.1', port: server.port, db: 0, tls: false, display: server.url }, prefix: 'keys:', log: silentLogger });
    raw = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    await raw.connect();
  });
  afterAll(async () => {
    raw?.disconnect();
    await store?.close();
    await server?.stop();
  });

  it('every key is under the prefix, and every key expires by itself', async () => {
    const now = Date.now();
    await store.put('confirm', 'c1', 'v', now + 60_000, 120_000);
    await store.put('confirm', 'c2', 'v', now - 1000, 30_000);
    await store.swap('confirm', 'c1', 'v', 'w');
    await store.mark('replay', 'T1', 600_000);
    await store.acquire('rate', 'slack:U1', now, 60_000, 10, true);
    await store.due('confirm', now, 10);
    await store.count('confirm');
    const keys = (await raw.keys('*')).sort();
    expect(keys).toEqual([
      'keys:{confirm}:due',
      'keys:{confirm}:forget',
      'keys:{confirm}:v:c1',
      'keys:{confirm}:v:c2',
      'keys:{rate}:w:slack:U1',
      'keys:{replay}:m:T1',
    ]);
    for (const k of keys) {
      const ttl = await raw.pttl(k);
      expect(ttl, k).toBeGreaterThan(0);
    }
    // A value's lifetime is due + keep from now (to within the test's own time), and a swap keeps it.
    expect(await raw.pttl('keys:{confirm}:v:c1')).toBeGreaterThan(170_000);
    expect(await raw.pttl('keys:{confirm}:v:c1')).toBeLessThanOrEqual(180_000);
    // The indexes live as long as their longest entry.
    expect(await raw.pttl('keys:{confirm}:due')).toBeGreaterThan(170_000);
  });

  it('an entry whose value key vanished (deleted by hand, or expired early) is not listed as due', async () => {
    const now = Date.now();
    await store.put('sweep', 'a', '1', now - 2000, 60_000);
    await store.put('sweep', 'b', '2', now - 1000, 60_000);
    await store.put('sweep', 'c', '3', now - 500, 60_000);
    await raw.del('keys:{sweep}:v:a', 'keys:{sweep}:v:b');
    expect(await store.due('sweep', now, 1)).toEqual(['c']);
    // …and due() dropped them from the indexes, so count agrees.
    expect(await store.count('sweep')).toBe(1);
  });
});

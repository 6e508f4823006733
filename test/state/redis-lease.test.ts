import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLeadership } from '../../src/app/lease-leadership.js';
import { StateUnavailable } from '../../src/core/ports/state-store.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { MemoryLog } from '../support/core-harness.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';

describe.skipIf(skipWithoutRedis())('the gateway lease in Redis', () => {
  let server: RedisServer;
  let raw: Redis;
  const opened: RedisStateStore[] = [];
  const leaders: LeaseLeadership[] = [];
  let n = 0;
  const store = (prefix = 'lease:', timeoutMs = 400): RedisStateStore => {
    const s = new RedisStateStore({ connection: { host: '127.0.0.1', port: server.port, db: 0, tls: false, display: server.url }, prefix, log: new MemoryLog(), timeoutMs });
    opened.push(s);
    return s;
  };
  /** Short timings, so a test sees leases lapse; the defaults are 10 s, 2.5 s and 2 s. */
  const TIMING = { ttlMs: 600, renewMs: 150, pollMs: 100, holdBackMs: 250 };
  const leader = (s: RedisStateStore, name: string, log = new MemoryLog()): LeaseLeadership => {
    const l = new LeaseLeadership(s, name, log, `host${++n} (pid ${n})`, TIMING);
    leaders.push(l);
    return l;
  };

  beforeAll(async () => {
    server = await new RedisServer().start();
    raw = new Redis({ host: '127.0.0.1', port: server.port, lazyConnect: true });
    await raw.connect();
  });
  afterEach(async () => {
    server.resume();
    for (const l of leaders.splice(0)) await l.release();
  });
  afterAll(async () => {
    raw?.disconnect();
    for (const s of opened) await s.close();
    await server?.stop();
  });

  it('taken when free, under a fencing token larger than every earlier one; renewed and freed only with its own token', async () => {
    const a = store();
    const b = store();
    const first = await a.acquireLease('gw1', 'A', 60_000);
    expect(first).toEqual({ ok: true, token: 1 });
    expect(await b.acquireLease('gw1', 'B', 60_000)).toEqual({ ok: false, heldBy: { token: 1, holder: 'A' } });
    expect(await b.renewLease('gw1', 1, 'B', 60_000)).toBe(false);
    await b.releaseLease('gw1', 1, 'B');
    expect(await raw.get('lease:{lease}:gw1')).toBe('1 A');
    expect(await a.renewLease('gw1', 1, 'A', 60_000)).toBe(true);
    await a.releaseLease('gw1', 1, 'A');
    expect(await b.acquireLease('gw1', 'B', 60_000)).toEqual({ ok: true, token: 2 });
    // A holder replaced meanwhile can neither extend nor free its successor's lease.
    expect(await a.renewLease('gw1', 1, 'A', 60_000)).toBe(false);
    await a.releaseLease('gw1', 1, 'A');
    expect(await raw.get('lease:{lease}:gw1')).toBe('2 B');
    // Both keys go by themselves: the lease with its time to live, the counter within a week.
    expect(await raw.pttl('lease:{lease}:gw1')).toBeGreaterThan(50_000);
    expect(await raw.pttl('lease:{lease}:gw1:fence')).toBeGreaterThan(6 * 24 * 3_600_000);
  });

  it('a lapsed lease (Redis was away longer than its life) is taken back by its holder when nobody took it since, never when someone did', async () => {
    const a = store();
    const b = store();
    const { token } = (await a.acquireLease('gw2', 'A', 200)) as { ok: true; token: number };
    await sleep(300);
    expect(await raw.get('lease:{lease}:gw2')).toBeNull();
    expect(await a.renewLease('gw2', token, 'A', 60_000)).toBe(true);
    expect(await raw.get('lease:{lease}:gw2')).toBe(`${token} A`);
    await raw.pexpire('lease:{lease}:gw2', 1);
    await sleep(20);
    expect(await b.acquireLease('gw2', 'B', 60_000)).toEqual({ ok: true, token: token + 1 });
    expect(await a.renewLease('gw2', token, 'A', 60_000)).toBe(false);
  });

  it('a call Redis does not answer is StateUnavailable, not a hang', async () => {
    const a = store();
    await a.ping();
    server.pause();
    await expect(a.acquireLease('gw3', 'A', 1000)).rejects.toBeInstanceOf(StateUnavailable);
    server.resume();
  });

  it('two instances: one leads, the other stands by saying who holds it; a release hands over at once', async () => {
    const changes: string[] = [];
    const one = leader(store(), 'gwA');
    one.start((l) => changes.push(`one ${l}`));
    await expect.poll(() => one.leading).toBe(true);
    const two = leader(store(), 'gwA');
    two.start((l) => changes.push(`two ${l}`));
    await sleep(400);
    expect(two.leading).toBe(false);
    expect(two.describe()).toMatch(/^standby: host\d+ \(pid \d+\) holds it \(token 1\)$/);
    expect(one.describe()).toBe('holds the gwA lease (token 1)');
    await one.release();
    await expect.poll(() => two.leading).toBe(true);
    expect(changes).toEqual(['one true', 'two true']);
  });

  it('a holder that dies (stops renewing) is replaced after its lease lapses', async () => {
    const s = store();
    // A holder that took the lease and then went silent, as a process killed with -9 does.
    expect(await s.acquireLease('gwB', 'dead (pid 1)', TIMING.ttlMs)).toEqual({ ok: true, token: 1 });
    const standby = leader(store(), 'gwB');
    standby.start(() => undefined);
    await sleep(TIMING.ttlMs / 2);
    expect(standby.leading).toBe(false);
    await expect.poll(() => standby.leading, { timeout: 5000 }).toBe(true);
    expect(standby.describe()).toBe('holds the gwB lease (token 2)');
  });

  it('a holder that cannot reach Redis keeps leading but holds back once its lease may have lapsed; when Redis answers and another holds it, it steps down', async () => {
    const log = new MemoryLog();
    const changes: boolean[] = [];
    const holder = leader(store(), 'gwC', log);
    holder.start((l) => changes.push(l));
    await expect.poll(() => holder.leading).toBe(true);
    expect(holder.holdBackMs()).toBe(0);
    server.pause();
    await sleep(TIMING.ttlMs + 2 * TIMING.renewMs + 500);
    expect(holder.leading).toBe(true);
    expect(holder.holdBackMs()).toBe(TIMING.holdBackMs);
    expect(holder.describe()).toMatch(/^holds the gwC lease \(token 1\), unconfirmed: cannot reach the state store to renew it/);
    expect(log.lines.filter((l) => l.includes('cannot reach the state store to renew it'))).toHaveLength(1);
    server.resume();
    // Another instance took it while this one could not hear Redis (here: its key made to lapse, then taken).
    await raw.del('lease:{lease}:gwC');
    expect((await store().acquireLease('gwC', 'other (pid 9)', 60_000)).ok).toBe(true);
    await expect.poll(() => holder.leading, { timeout: 5000 }).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(log.lines.at(-1)).toBe('warn gwC: another instance holds the lease now; this one lets go of its connection');
  });
});

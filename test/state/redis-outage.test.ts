import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StateUnavailable, type StateStore } from '../../src/core/ports/state-store.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { memoryLogger } from '../slack/slack-harness.js';
import { freePort, RedisServer, skipWithoutRedis } from '../support/redis-server.js';

const HOUR = 3_600_000;
/** Not a speed target: a call that has not settled by then hangs, which is the failure being tested. */
const HANG = 10_000;

async function settles<T>(p: Promise<T>): Promise<PromiseSettledResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the call did not settle within ${HANG} ms: it hangs`)), HANG)));
  try {
    return await Promise.race([p.then((value) => ({ status: 'fulfilled', value }) as const, (reason: unknown) => ({ status: 'rejected', reason }) as const), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every operation of the port, each of which must reject with StateUnavailable while Redis cannot answer. */
const EVERY_OPERATION: [string, (s: StateStore) => Promise<unknown>][] = [
  ['put', (s) => s.put('confirm', 'p', 'v', Date.now(), HOUR)],
  ['get', (s) => s.get('confirm', 'p')],
  ['take', (s) => s.take('confirm', 'p')],
  ['swap', (s) => s.swap('confirm', 'p', 'v', 'w')],
  ['due', (s) => s.due('confirm', Date.now(), 10)],
  ['mark', (s) => s.mark('replay', 'r', HOUR)],
  ['acquire', (s) => s.acquire('rate', 'u', Date.now(), 60_000, 5, true)],
  ['count', (s) => s.count('confirm')],
  ['ping', (s) => s.ping()],
];

async function expectAllUnavailable(store: StateStore): Promise<void> {
  const results = await Promise.all(EVERY_OPERATION.map(async ([name, op]) => [name, await settles(op(store))] as const));
  for (const [name, r] of results) {
    expect(r.status, `${name} while Redis cannot answer`).toBe('rejected');
    expect((r as PromiseRejectedResult).reason, name).toBeInstanceOf(StateUnavailable);
  }
}

/** Calls ping until Redis answers (the client reconnects by itself); fails after `ms`. */
async function untilAnswering(store: StateStore, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await store.ping();
    } catch (e) {
      if (Date.now() > end) throw e;
      await sleep(100);
    }
  }
}

describe.skipIf(skipWithoutRedis())('the Redis store when Redis is paused, killed or not there yet', () => {
  let server: RedisServer;
  let store: RedisStateStore;
  const logs: string[] = [];
  const open = (port: number): RedisStateStore =>
    new RedisStateStore({ connection: { host: '127.0.0.1', port, db: 0, tls: false, display: `redis://127.0.0.1:${port}` }, prefix: 'outage:', log: memoryLogger(logs), timeoutMs: 400 });

  beforeAll(async () => {
    server = await new RedisServer().start();
  });
  afterEach(async () => {
    server.resume();
    await store?.close();
    logs.length = 0;
  });
  afterAll(async () => server?.stop());

  it('paused (SIGSTOP): every call rejects with StateUnavailable instead of hanging; resumed (SIGCONT): the same store works again', async () => {
    store = open(server.port);
    await store.put('confirm', 'kept', 'before', Date.now() + HOUR, HOUR);
    server.pause();
    await expectAllUnavailable(store);
    // Twice: calls keep failing (boundedly) for as long as it stays paused.
    await expectAllUnavailable(store);
    server.resume();
    await untilAnswering(store);
    expect(await store.get('confirm', 'kept')).toBe('before');
    expect(await store.mark('replay', 'after-resume', HOUR)).toBe(true);
    expect(logs.filter((l) => l.startsWith('warn'))).toHaveLength(1);
    expect(logs.find((l) => l.startsWith('warn'))).toMatch(/state store: Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable \(.*\): actions and confirmations are refused/);
    expect(logs.filter((l) => /answers again$/.test(l))).toHaveLength(1);
  });

  it('answers that arrive after their call timed out are not given to later calls', async () => {
    store = open(server.port);
    await store.put('confirm', 'one', 'first', Date.now() + HOUR, HOUR);
    await store.put('confirm', 'two', 'second', Date.now() + HOUR, HOUR);
    server.pause();
    expect((await settles(store.get('confirm', 'one'))).status).toBe('rejected');
    server.resume();
    await untilAnswering(store);
    expect(await store.get('confirm', 'two')).toBe('second');
    expect(await store.get('confirm', 'one')).toBe('first');
  });

  it('killed (kill -9) and started again on the same port: refused meanwhile, then works without a new store', async () => {
    store = open(server.port);
    await store.ping();
    await server.kill();
    await expectAllUnavailable(store);
    await server.start();
    await untilAnswering(store);
    // A fresh server (no persistence): nothing survived, and everything works.
    expect(await store.get('confirm', 'kept')).toBeUndefined();
    await store.put('confirm', 'new', 'v', Date.now() + HOUR, HOUR);
    expect(await store.take('confirm', 'new')).toBe('v');
    expect(logs.filter((l) => /answers again$/.test(l))).toHaveLength(1);
  });

  it('not running when the bot starts: refused, then connects by itself once Redis is up', async () => {
    const late = new RedisServer();
    late.port = await freePort();
    store = open(late.port);
    try {
      await expectAllUnavailable(store);
      await late.start();
      await untilAnswering(store);
      expect(await store.mark('replay', 'x', HOUR)).toBe(true);
    } finally {
      await late.stop();
    }
  });

  it('closed: calls reject with StateUnavailable at once', async () => {
    store = open(server.port);
    await store.ping();
    await store.close();
    await expectAllUnavailable(store);
  });
});

import type { Worker } from 'node:worker_threads';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import { WtsWorkerPool } from '../../src/wts/koffi/pool.js';
import { spawnWtsWorker } from '../../src/wts/koffi/spawn-worker.js';
import { WtsBackend } from '../../src/wts/koffi/wts-backend.js';
import { fakeWtsPerTest, rejection, skipWithoutGcc } from './wts-harness.js';

describe.skipIf(skipWithoutGcc())('the WTS thread pool: starting, stopping, dying', () => {
  const w = fakeWtsPerTest();

  // Worker.terminate() on a thread that is still loading koffi aborts the whole process
  // ("FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw"): this file's process would die.
  it('closes at once after creation, while its threads are still loading koffi, without killing the process', async () => {
    for (let i = 0; i < 8; i++) {
      const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 5000, threads: 4, maxAbandonedThreads: 4 });
      await backend.close();
      expect(backend.stuckThreads()).toBe(0);
      expect(backend.stats().threads).toBe(0);
    }
  });

  it('close() lets a call in progress finish and answers it, then stops its thread', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 5000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
    w.fake.standardServer('slow', { latencyMs: 400 });
    const call = backend.listSessions('slow');
    await new Promise((r) => setTimeout(r, 50));
    const closing = backend.close();
    expect(await call).toHaveLength(5);
    await closing;
    expect(backend.stuckThreads()).toBe(0);
    expect(backend.stats().threads).toBe(0);
    expect((await rejection(backend.listSessions('slow'))).message).toBe('slow: the WTS backend is closed');
    expect(w.fake.openHandles()).toBe(0);
  });

  it('close() does not wait for a thread stuck in a hung call: it reports it, for the owner to exit hard', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 800, threads: 1, maxAbandonedThreads: 1 });
    await backend.warmUp(1);
    w.fake.server('hung', { hang: true });
    expect((await rejection(backend.listSessions('hung'))).code).toBe(1460);
    await backend.close();
    expect(backend.stuckThreads()).toBe(1);
    w.fake.releaseHangs();
  });

  it('a worker thread that dies mid-call answers its caller, and a new thread takes over', async () => {
    const workers: Worker[] = [];
    const pool = new WtsWorkerPool({
      size: 1,
      maxAbandoned: 1,
      timeoutMs: 5000,
      spawn: () => {
        const worker = spawnWtsWorker({ libraryPath: w.lib });
        workers.push(worker);
        return worker;
      },
    });
    const backend = new WtsBackend(pool);
    w.fake.standardServer('slow', { latencyMs: 300 });
    w.fake.standardServer('rds01');
    await backend.listSessions('rds01');
    const inFlight = rejection(backend.listSessions('slow'));
    await new Promise((r) => setTimeout(r, 50));
    // What a crash looks like from outside (terminate() is safe here: the thread sleeps inside the fake, not in koffi's marshalling).
    await workers[0]?.terminate();
    const e = await inFlight;
    expect(e.message).toMatch(/^slow: the WTS worker thread exited/);
    expect((await backend.listSessions('rds01')).length).toBe(5);
    expect(workers.length).toBe(2);
    await backend.close();
  });

  it('stops idle threads beyond the kept minimum (each costs about 10 MB)', async () => {
    const pool = new WtsWorkerPool({ size: 4, maxAbandoned: 1, timeoutMs: 5000, minThreads: 1, idleMs: 1000, spawn: () => spawnWtsWorker({ libraryPath: w.lib }) });
    const backend = new WtsBackend(pool);
    await backend.warmUp(4);
    w.fake.standardServer('slow', { latencyMs: 100 });
    await Promise.all([1, 2, 3, 4].map(() => backend.listSessions('slow')));
    expect(backend.stats().threads).toBe(4);
    await expect.poll(() => backend.stats().threads, { timeout: 10_000, interval: 100 }).toBe(1);
    expect((await backend.listSessions('slow')).length).toBe(5);
    await backend.close();
  });

  it('a library that cannot be loaded is a clear error with code 126, not a respawn loop', async () => {
    const backend = createWtsBackend({ libraryPath: '/nonexistent/wtsapi32.so', timeoutMs: 5000, threads: 2, maxAbandonedThreads: 2 });
    const e = await rejection(backend.listSessions('rds01'));
    expect(e.code).toBe(126);
    expect(e.message).toMatch(/^rds01: cannot load wtsapi32: /);
    for (let i = 0; i < 5; i++) expect((await rejection(backend.listSessions('rds01'))).message).toMatch(/^rds01: cannot load wtsapi32/);
    // The threads started ahead of time, and no more.
    expect(backend.stats().spawned).toBe(2);
    await backend.close();
  });
});

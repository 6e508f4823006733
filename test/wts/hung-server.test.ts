import { monitorEventLoopDelay } from 'node:perf_hooks';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import { fakeWtsPerTest, rejection, skipWithoutGcc } from './wts-harness.js';

// Each backend warms its threads before the clock matters: under tsx a thread takes up to a second
// or two to start on a small machine, and that must not be mistaken for a server's slowness.
describe.skipIf(skipWithoutGcc())('a hung server never stalls anything else', () => {
  const w = fakeWtsPerTest();

  it('answers a hung call with a timeout (1460) while other servers and the event loop carry on', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 1500, threads: 4, maxAbandonedThreads: 4 });
    await backend.warmUp(4);
    // The hung call answers normally once released, with buffers its written-off thread must free.
    w.fake.standardServer('hung');
    w.fake.server('hung', { hang: true, hangResult: 0 });
    w.fake.standardServer('rds01', { latencyMs: 20 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    let hungSettled = false;
    const hung = rejection(backend.listSessions('hung')).finally(() => (hungSettled = true));
    // Other servers keep answering, one after another, for as long as the hung call is outstanding.
    const others: number[] = [];
    while (!hungSettled) {
      const t = Date.now();
      expect(await backend.listSessions('rds01')).toHaveLength(5);
      others.push(Date.now() - t);
    }
    expect(others.length).toBeGreaterThanOrEqual(3);
    const e = await hung;
    delay.disable();
    const waited = Date.now() - started;
    expect(e).toMatchObject({ code: 1460, server: 'hung', operation: 'list' });
    expect(e.message).toMatch(/^hung: timed out \(error 1460\): the server did not answer in time/);
    // Relative, not absolute: the loop's worst stall is a small fraction of the hang it lived through.
    expect(delay.max / 1e6).toBeLessThan(waited / 4);
    expect(Math.max(...others)).toBeLessThan(waited / 2);
    expect(backend.stats()).toMatchObject({ abandoned: 1, hungServers: ['hung'] });
    expect(w.fake.maxConcurrent()).toBeGreaterThanOrEqual(2);
    // The hung call returns at last: its buffers are freed, its handle closed, its thread stopped.
    w.fake.server('hung', {});
    w.fake.releaseHangs();
    await expect.poll(() => backend.stats().abandoned, { timeout: 10_000 }).toBe(0);
    expect(backend.stats()).toMatchObject({ lateAnswers: 1, hungServers: [] });
    expect(w.fake.openHandles()).toBe(0);
    expect(w.fake.outstanding()).toBe(0);
    expect(w.fake.badFrees()).toBe(0);
    await backend.close();
    expect(backend.stuckThreads()).toBe(0);
  });

  it('a hung server holds one thread however often it is retried, and is called again once its call returns', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 1000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
    w.fake.server('hung', { hang: true });
    w.fake.standardServer('rds01');
    expect((await rejection(backend.listSessions('hung'))).code).toBe(1460);
    const calls = w.fake.calls('enumex');
    for (let i = 0; i < 10; i++) {
      const e = await rejection(backend.querySession('hung', 3));
      expect(e).toMatchObject({ code: 1460, server: 'hung', operation: 'query' });
      expect(e.message).toMatch(/^hung: timed out \(error 1460\): a call to it has not returned for \d+ s past its deadline; the bot calls it again once that call returns/);
    }
    expect(w.fake.calls('enumex') + w.fake.calls('query')).toBe(calls);
    expect(backend.stats()).toMatchObject({ abandoned: 1, hungServers: ['hung'] });
    expect(await backend.listSessions('rds01')).toHaveLength(5);
    w.fake.server('hung', {});
    w.fake.releaseHangs();
    await expect.poll(() => backend.stats().hungServers, { timeout: 10_000 }).toEqual([]);
    expect(await backend.listSessions('hung')).toEqual([]);
    expect(w.fake.outstanding()).toBe(0);
    await backend.close();
  });

  it('a process listing has the same deadline and the same hung-server rule as every other call', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 1000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
    // Released, the hung call answers normally: its process buffer must still be freed, with its own function.
    w.fake.standardServer('hung');
    w.fake.standardProcesses('hung');
    w.fake.server('hung', { hang: true, hangResult: 0 });
    const e = await rejection(backend.listProcesses('hung', 3));
    expect(e).toMatchObject({ code: 1460, server: 'hung', operation: 'processes' });
    expect(e.message).toMatch(/^hung: timed out \(error 1460\): the server did not answer in time/);
    const again = await rejection(backend.listProcesses('hung'));
    expect(again.message).toMatch(/^hung: timed out \(error 1460\): a call to it has not returned/);
    expect(w.fake.calls('enumprocex')).toBe(1);
    w.fake.server('hung', {});
    w.fake.releaseHangs();
    await expect.poll(() => backend.stats().hungServers, { timeout: 10_000 }).toEqual([]);
    expect((await backend.listProcesses('hung', 3)).length).toBe(5);
    expect(w.fake.outstanding()).toBe(0);
    expect(w.fake.badFrees()).toBe(0);
    await backend.close();
  });

  it('writes off hung threads up to a cap, then answers "waiting for a free thread", and recovers', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 1500, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
    for (const name of ['hung1', 'hung2', 'hung3', 'hung4']) w.fake.server(name, { hang: true });
    w.fake.standardServer('rds01');
    const first = await Promise.all(['hung1', 'hung2'].map((s) => rejection(backend.listSessions(s))));
    expect(first.map((e) => e.code)).toEqual([1460, 1460]);
    await backend.warmUp(2); // the two replacements
    const second = await Promise.all(['hung3', 'hung4'].map((s) => rejection(backend.listSessions(s))));
    expect(second.map((e) => e.code)).toEqual([1460, 1460]);
    expect(backend.stats()).toMatchObject({ abandoned: 4, threads: 4 });
    // Two live threads and two written off is the cap: no third replacement, the call waits and is answered.
    const starved = await rejection(backend.listSessions('rds01'));
    expect(starved.message).toMatch(/^rds01: timed out \(error 1460\) waiting for a free thread: 0 calls are in progress, 4 are hung; try again$/);
    w.fake.releaseHangs();
    await expect.poll(() => backend.stats().abandoned, { timeout: 10_000 }).toBe(0);
    expect(await backend.listSessions('rds01')).toHaveLength(5);
    expect(backend.stats().threads).toBeLessThanOrEqual(2);
    expect(w.fake.openHandles()).toBe(0);
    await backend.close();
  });

  it('a waited message may stay up for its /time; a call that is not waited for still has the usual deadline', async () => {
    const backend = createWtsBackend({ libraryPath: w.lib, timeoutMs: 1000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
    w.fake.standardServer('rds01', { latencyMs: 2000 });
    const waited = await backend.sendMessage('rds01', 3, { title: 'T', text: 'Are you there?', timeoutSeconds: 5, wait: true });
    expect(waited).toBe('ok');
    const e = await rejection(backend.sendMessage('rds01', 3, { title: 'T', text: 'x', timeoutSeconds: 5, wait: false }));
    expect(e).toMatchObject({ code: 1460, operation: 'message' });
    await expect.poll(() => backend.stats().abandoned, { timeout: 10_000 }).toBe(0);
    expect(w.fake.outstanding()).toBe(0);
    await backend.close();
  });
});

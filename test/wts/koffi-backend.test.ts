import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findUser } from '../../src/core/usecases/find.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings.js';
import { ManualClock } from '../support/core-harness.js';
import { Policy } from '../../src/core/policy/policy.js';
import { emptyAccessModel } from '../../src/config/access-file.js';
import { WtsError } from '../../src/wts/errors.js';
import { WtsWorkerPool } from '../../src/wts/koffi/pool.js';
import { spawnWtsWorker } from '../../src/wts/koffi/spawn-worker.js';
import { WtsBackend } from '../../src/wts/koffi/wts-backend.js';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import { FakeWtsControl } from '../native/fake-wts-control.js';

const skip = requireOrSkip('gcc (builds the fake wtsapi32 for the koffi binding tests)', hasTool('gcc'));

async function rejection(p: Promise<unknown>): Promise<WtsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WtsError);
    return e as WtsError;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(skip)('the koffi binding against the fake wtsapi32', () => {
  let lib: string;
  let fake: FakeWtsControl;
  let backend: ReturnType<typeof createWtsBackend>;

  beforeAll(() => {
    lib = buildFakeWts('linux');
    fake = new FakeWtsControl(lib);
    backend = createWtsBackend({ libraryPath: lib, timeoutMs: 1500, threads: 4, maxAbandonedThreads: 4 });
  });
  afterAll(async () => {
    fake.releaseHangs();
    await backend.close();
  });
  beforeEach(() => {
    fake.releaseHangs();
    fake.reset();
    fake.standardServer('rds01');
  });

  it('lists every session with user, domain, state, logon and idle times, client name and address', async () => {
    const sessions = await backend.listSessions('rds01');
    expect(sessions.map((s) => [s.id, s.name, s.user, s.domain, s.state])).toEqual([
      [0, 'services', '', '', 'Disconnected'],
      [1, 'console', '', '', 'Connected'],
      [65536, 'rdp-tcp', '', '', 'Listen'],
      [3, 'RDP-Tcp#7', 'jdoe', 'CORP', 'Active'],
      [5, '', 'bwayne', 'CORP', 'Disconnected'],
    ]);
    const jdoe = sessions.find((s) => s.id === 3);
    expect(jdoe).toMatchObject({ server: 'rds01', clientName: 'WS-JDOE-01', clientAddress: '10.20.1.31' });
    expect(Math.round((jdoe?.idleMs ?? 0) / 60_000)).toBe(17);
    expect(Math.round((Date.now() - (jdoe?.logonTime?.getTime() ?? 0)) / 60_000)).toBe(95);
    const bwayne = sessions.find((s) => s.id === 5);
    expect(Math.round((bwayne?.idleMs ?? 0) / 60_000)).toBe(130);
    expect(bwayne?.disconnectTime).toBeInstanceOf(Date);
    expect(fake.calls('enumex')).toBe(1);
  });

  it('falls back to WTSEnumerateSessionsW + WTSQuerySessionInformationW where the Ex call is not supported', async () => {
    fake.opFailure('rds01', 'enumex', 50);
    const sessions = await backend.listSessions('rds01');
    expect(fake.calls('enum')).toBe(1);
    expect(sessions.find((s) => s.id === 3)).toMatchObject({ user: 'jdoe', domain: 'CORP', name: 'RDP-Tcp#7', clientName: 'WS-JDOE-01' });
    expect(sessions.find((s) => s.id === 0)?.user).toBe('');
  });

  it('queries one session, and 7022 when it does not exist', async () => {
    expect(await backend.querySession('rds01', 3)).toMatchObject({ id: 3, user: 'jdoe', domain: 'CORP', state: 'Active', name: 'RDP-Tcp#7' });
    const e = await rejection(backend.querySession('rds01', 42));
    expect(e).toMatchObject({ code: 7022, server: 'rds01', operation: 'query' });
    expect(e.message).toBe('rds01: session not found (error 7022): no such session: it has already ended, or the ID is stale; list the sessions again');
  });

  it('logs off, disconnects and messages', async () => {
    await backend.disconnect('rds01', 3);
    expect((await backend.querySession('rds01', 3)).state).toBe('Disconnected');
    expect(await backend.sendMessage('rds01', 5, { title: 'Helpdesk', text: 'Réinitialisation à 18h 🙂', timeoutSeconds: 30, wait: false })).toBe('async');
    expect(await backend.sendMessage('rds01', 5, { title: 'T', text: 'x', timeoutSeconds: 0, wait: true })).toBe('ok');
    await backend.logoff('rds01', 3);
    expect((await backend.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);
  });

  it.each([
    ['an unknown or down server', () => fake.server('rds07', { failure: 1722 }), () => backend.listSessions('rds07'), 1722, /^rds07: unreachable \(RPC 1722\): is it up, and is RPC open in its firewall\?$/],
    ['a server that refuses the account', () => fake.server('rds07', { failure: 5 }), () => backend.listSessions('rds07'), 5, /^rds07: access denied \(error 5\): the bot's Windows account lacks Remote Desktop rights/],
    ['a session already closing', () => fake.session('rds01', { id: 9, state: 8, user: 'x' }), () => backend.logoff('rds01', 9), 7007, /already closing/],
    ['the console', () => undefined, () => backend.disconnect('rds01', 1), 7041, /console cannot be disconnected/],
    ['a busy server', () => fake.opFailure('rds01', 'logoff', 7024), () => backend.logoff('rds01', 3), 7024, /busy; retry in a minute/],
    ['a protected session', () => fake.opFailure('rds01', 'message', 7045), () => backend.sendMessage('rds01', 3, { title: 't', text: 'x', timeoutSeconds: 0, wait: false }), 7045, /access to this session is denied/],
    ['a failed RPC call', () => fake.opFailure('rds01', 'disconnect', 1726), () => backend.disconnect('rds01', 3), 1726, /call failed \(RPC 1726\)/],
  ])('maps %s to its Win32 code and sentence', async (_name, arrange, act, code, sentence) => {
    arrange();
    const e = await rejection(act());
    expect(e.code).toBe(code);
    expect(e.message).toMatch(sentence);
  });

  it('frees every buffer and closes every handle after many operations, errors included', async () => {
    fake.server('down', { failure: 1722 });
    for (let i = 0; i < 400; i++) {
      await backend.listSessions('rds01');
      await backend.querySession('rds01', 3);
      await backend.querySession('rds01', 99).catch(() => undefined);
      await backend.listSessions('down').catch(() => undefined);
      if (i % 50 === 0) {
        fake.opFailure('rds01', 'enumex', 50);
        await backend.listSessions('rds01');
        fake.opFailure('rds01', 'enumex', 0);
      }
    }
    expect(fake.outstanding()).toBe(0);
    expect(fake.openHandles()).toBe(0);
    expect(fake.badFrees()).toBe(0);
  });
});

describe.skipIf(skip)('a hung server never stalls anything else', () => {
  let lib: string;
  let fake: FakeWtsControl;

  beforeAll(() => {
    lib = buildFakeWts('linux');
    fake = new FakeWtsControl(lib);
  });
  beforeEach(() => {
    fake.releaseHangs();
    fake.reset();
  });

  it('answers a hung call with a timeout (1460) while other servers and the event loop carry on', async () => {
    const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 1200, threads: 4, maxAbandonedThreads: 4 });
    fake.server('hung', { hang: true });
    fake.standardServer('rds01', { latencyMs: 20 });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    const hung = rejection(backend.listSessions('hung'));
    const others: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = Date.now();
      await backend.listSessions('rds01');
      others.push(Date.now() - t);
    }
    const e = await hung;
    delay.disable();
    const waited = Date.now() - started;
    expect(e).toMatchObject({ code: 1460, server: 'hung', operation: 'list' });
    expect(e.message).toMatch(/^hung: timed out \(error 1460\): the server did not answer in time/);
    // Relative, not absolute: the loop's worst stall is a small fraction of the hang it lived through.
    expect(delay.max / 1e6).toBeLessThan(waited / 4);
    expect(Math.max(...others)).toBeLessThan(waited / 2);
    expect(backend.stats()).toMatchObject({ abandoned: 1 });
    // The hung call returns at last: its buffers are freed, its handle closed, its thread retired.
    fake.releaseHangs();
    await expect.poll(() => backend.stats().abandoned, { timeout: 5000 }).toBe(0);
    expect(backend.stats().lateAnswers).toBe(1);
    expect(fake.openHandles()).toBe(0);
    expect(fake.outstanding()).toBe(0);
    await backend.close();
  });

  it('writes off hung threads up to a cap, then answers "waiting for a free thread", and recovers', async () => {
    const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 600, threads: 2, maxAbandonedThreads: 2 });
    fake.server('hung', { hang: true });
    fake.standardServer('rds01');
    const first = await Promise.all([1, 2].map(() => rejection(backend.listSessions('hung'))));
    expect(first.map((e) => e.code)).toEqual([1460, 1460]);
    const second = await Promise.all([1, 2].map(() => rejection(backend.listSessions('hung'))));
    expect(second.map((e) => e.code)).toEqual([1460, 1460]);
    expect(backend.stats()).toMatchObject({ abandoned: 4, threads: 4 });
    const starved = await rejection(backend.listSessions('rds01'));
    expect(starved.message).toMatch(/waiting for a free thread: 0 calls are in progress and 4 are hung/);
    fake.releaseHangs();
    await expect.poll(() => backend.stats().abandoned, { timeout: 5000 }).toBe(0);
    expect((await backend.listSessions('rds01')).length).toBe(5);
    expect(backend.stats().threads).toBeLessThanOrEqual(2);
    await backend.close();
  });

  it('a worker thread that dies mid-call answers its caller, and a new thread takes over', async () => {
    const workers: Worker[] = [];
    const pool = new WtsWorkerPool({
      size: 1,
      maxAbandoned: 1,
      timeoutMs: 5000,
      spawn: () => {
        const w = spawnWtsWorker({ libraryPath: lib });
        workers.push(w);
        return w;
      },
    });
    const backend = new WtsBackend(pool);
    fake.standardServer('slow', { latencyMs: 300 });
    fake.standardServer('rds01');
    await backend.listSessions('rds01');
    const inFlight = rejection(backend.listSessions('slow'));
    await new Promise((r) => setTimeout(r, 50));
    await workers[0]?.terminate();
    const e = await inFlight;
    expect(e.message).toMatch(/^slow: the WTS worker thread exited/);
    expect((await backend.listSessions('rds01')).length).toBe(5);
    expect(workers.length).toBe(2);
    await backend.close();
  });

  it('stops idle threads beyond the kept minimum (each costs about 10 MB)', async () => {
    const pool = new WtsWorkerPool({ size: 4, maxAbandoned: 1, timeoutMs: 5000, minThreads: 1, idleMs: 1000, spawn: () => spawnWtsWorker({ libraryPath: lib }) });
    const backend = new WtsBackend(pool);
    fake.standardServer('slow', { latencyMs: 100 });
    await Promise.all([1, 2, 3, 4].map(() => backend.listSessions('slow')));
    expect(backend.stats().threads).toBe(4);
    await expect.poll(() => backend.stats().threads, { timeout: 5000, interval: 100 }).toBe(1);
    expect((await backend.listSessions('slow')).length).toBe(5);
    await backend.close();
  });

  it('a library that cannot be loaded is a clear error, not a respawn loop', async () => {
    const backend = createWtsBackend({ libraryPath: '/nonexistent/wtsapi32.so', timeoutMs: 5000, threads: 2, maxAbandonedThreads: 2 });
    const e = await rejection(backend.listSessions('rds01'));
    expect(e.message).toMatch(/^rds01: cannot load wtsapi32: /);
    for (let i = 0; i < 5; i++) expect((await rejection(backend.listSessions('rds01'))).message).toMatch(/cannot load wtsapi32/);
    // The threads started ahead of time, and no more.
    expect(backend.stats().spawned).toBe(2);
    await backend.close();
  });

  it('finding a user across 40 servers, 4 down and 2 hung: results beside each failure', async () => {
    const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 800, threads: 8, maxAbandonedThreads: 8 });
    const servers: string[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `rds${String(i).padStart(2, '0')}`;
      servers.push(name);
      if (i % 10 === 3) fake.server(name, { failure: 1722 });
      else if (i === 7 || i === 27) fake.server(name, { hang: true });
      else fake.standardServer(name, { latencyMs: 10 });
    }
    await backend.warmUp(8);
    const ctx = { backend, policy: new Policy(emptyAccessModel()), clock: new ManualClock(), settings: { ...DEFAULT_SETTINGS, fanoutConcurrency: 8 } };
    const r = await findUser(ctx, { user: { kind: 'name', name: 'jdoe' }, verbose: false, servers });
    expect(r.matches).toHaveLength(34);
    expect(r.failures.map((f) => [f.server, f.code])).toEqual([
      ['rds03', 1722],
      ['rds07', 1460],
      ['rds13', 1722],
      ['rds23', 1722],
      ['rds27', 1460],
      ['rds33', 1722],
    ]);
    expect(r.summary).toBe('jdoe: 34 sessions on 34 servers (6 of 40 servers did not answer).');
    fake.releaseHangs();
    await backend.close();
  });
});

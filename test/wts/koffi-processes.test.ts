import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WtsCalls } from '../../src/wts/koffi/calls.js';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import { loadWtsApi } from '../../src/wts/koffi/library.js';
import type { ProcessInfo } from '../../src/wts/process.js';
import { BWAYNE_SID, JDOE_SID, STANDARD_DOMAIN_SID, type FakeWtsControl } from '../native/fake-wts-control.js';
import { fakeWts, rejection, skipWithoutGcc } from './wts-harness.js';

const ADMIN_SENTENCE = /^rds01: access denied \(error 5\): the bot's Windows account must be a local administrator on that server to see other users' programs$/;
const pick = (ps: ProcessInfo[], pid: number): ProcessInfo | undefined => ps.find((p) => p.pid === pid);

describe.skipIf(skipWithoutGcc())('processes through the koffi binding (WTSEnumerateProcessesExW, LookupAccountSidW)', () => {
  let fake: FakeWtsControl;
  let lib: string;
  let backend: ReturnType<typeof createWtsBackend>;

  beforeAll(async () => {
    ({ fake, lib } = fakeWts());
    backend = createWtsBackend({ libraryPath: lib, timeoutMs: 15_000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    fake.releaseHangs();
    fake.reset();
    fake.standardServer('rds01');
    fake.standardProcesses('rds01');
  });

  it('lists every process of the server, with image, PID, session, working set and the account named by the server', async () => {
    const ps = await backend.listProcesses('rds01');
    expect(ps).toHaveLength(12);
    expect(pick(ps, 6012)).toEqual({ server: 'rds01', sessionId: 3, pid: 6012, image: 'explorer.exe', user: 'jdoe', domain: 'CORP', sid: JDOE_SID, workingSetBytes: 99_614_720 });
    expect(pick(ps, 8224)).toMatchObject({ sessionId: 5, image: 'EXCEL.EXE', user: 'bwayne', domain: 'CORP', sid: BWAYNE_SID });
    expect(pick(ps, 4)).toMatchObject({ image: 'System', user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' });
    expect(pick(ps, 1020)).toMatchObject({ image: 'svchost.exe', user: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20' });
    expect(pick(ps, 5200)).toMatchObject({ image: 'dwm.exe', user: 'DWM-3', domain: 'Window Manager', sid: 'S-1-5-90-0-3' });
    // No SID at all (the idle process): no user, no SID.
    expect(pick(ps, 0)).toEqual({ server: 'rds01', sessionId: 0, pid: 0, image: 'System Idle Process', user: '', domain: '', workingSetBytes: 8192 });
    // A SID that maps to no name (1332, a deleted account): no user, but the SID is kept for the operator.
    expect(pick(ps, 1400)).toEqual({ server: 'rds01', sessionId: 0, pid: 1400, image: 'UpdateAgent.exe', user: '', domain: '', sid: `${STANDARD_DOMAIN_SID}-4711`, workingSetBytes: 31_457_280 });
    expect(fake.calls('enumprocex')).toBe(1);
    expect(fake.calls('enumproc')).toBe(0);
  });

  it("one session's processes: the session ID goes to the server as the filter", async () => {
    fake.failureFor('rds01', 'enumprocex', { session: 5 }, 5);
    const ps = await backend.listProcesses('rds01', 3);
    expect(ps.map((p) => p.pid)).toEqual([5120, 5200, 6012, 6480, 7332]);
    expect(ps.every((p) => p.sessionId === 3)).toBe(true);
    // Only a call filtered on session 5 fails: the filter was the server's, not ours.
    expect(await rejection(backend.listProcesses('rds01', 5))).toMatchObject({ code: 5, operation: 'processes' });
    expect(await backend.listProcesses('rds01', 42)).toEqual([]);
  });

  it.each([-1, 1.5, 0xfffffffe, 0xffffffff, Number.NaN])('refuses %d as a session ID before any call', async (id) => {
    const e = await rejection(backend.listProcesses('rds01', id));
    expect(e).toMatchObject({ code: 87, operation: 'processes', message: `rds01: ${id} is not a session ID` });
    expect(fake.calls('enumprocex')).toBe(0);
  });

  it('names a local account only when asked on its own server (LookupAccountSidW gets the server name)', async () => {
    fake.server('rds02');
    fake.process('rds02', { session: 2, pid: 900, image: 'notepad.exe', sid: JDOE_SID });
    fake.process('rds02', { session: 2, pid: 904, image: 'explorer.exe', sid: BWAYNE_SID });
    const ps = await backend.listProcesses('rds02');
    // jdoe is rds01's local account: unknown on rds02. bwayne is a domain account, known everywhere.
    expect(ps.map((p) => [p.pid, p.user, p.sid])).toEqual([
      [900, '', JDOE_SID],
      [904, 'bwayne', BWAYNE_SID],
    ]);
  });

  it.each([
    [1745, 'RPC_S_PROCNUM_OUT_OF_RANGE: a server older than the Ex call'],
    [50, 'not supported'],
    [1, 'invalid function'],
    [120, 'not implemented'],
    [87, 'invalid parameter'],
  ])('falls back to WTSEnumerateProcessesW when the Ex call fails with %i (%s), filtering by session itself', async (code) => {
    fake.opFailure('rds01', 'enumprocex', code);
    const all = await backend.listProcesses('rds01');
    expect(all).toHaveLength(12);
    expect(pick(all, 6012)).toEqual({ server: 'rds01', sessionId: 3, pid: 6012, image: 'explorer.exe', user: 'jdoe', domain: 'CORP', sid: JDOE_SID });
    expect(all.some((p) => p.workingSetBytes !== undefined)).toBe(false);
    const five = await backend.listProcesses('rds01', 5);
    expect(five.map((p) => [p.pid, p.image, p.user])).toEqual([
      [8100, 'explorer.exe', 'bwayne'],
      [8224, 'EXCEL.EXE', 'bwayne'],
    ]);
    expect(fake.calls('enumproc')).toBe(2);
    expect(fake.outstanding()).toBe(0);
    expect(fake.badFrees()).toBe(0);
  });

  it('a wtsapi32 without the Ex export (or without LookupAccountSidW) uses the old call (and gives SIDs only)', () => {
    // In this thread, synchronously: the calls the worker makes, on an API missing what an old DLL lacks.
    const api = loadWtsApi(lib);
    expect(api.WTSEnumerateProcessesExW).toBeDefined();
    delete api.WTSEnumerateProcessesExW;
    const old = new WtsCalls(api).listProcesses('rds01', 3);
    expect(old.map((p) => [p.pid, p.user, p.workingSetBytes])).toEqual([
      [5120, 'SYSTEM', undefined],
      [5200, 'DWM-3', undefined],
      [6012, 'jdoe', undefined],
      [6480, 'jdoe', undefined],
      [7332, 'jdoe', undefined],
    ]);
    expect(fake.calls('enumprocex')).toBe(0);
    expect(fake.calls('enumproc')).toBe(1);
    delete api.LookupAccountSidW;
    const unnamed = new WtsCalls(api).listProcesses('rds01', 3);
    expect(unnamed.every((p) => p.user === '' && p.sid !== undefined)).toBe(true);
    expect(fake.outstanding()).toBe(0);
  });

  it('a server answering the Ex call at level 0 is decoded and freed as level 0', async () => {
    fake.processLevel('rds01', 0);
    const ps = await backend.listProcesses('rds01', 3);
    expect(pick(ps, 6012)).toEqual({ server: 'rds01', sessionId: 3, pid: 6012, image: 'explorer.exe', user: 'jdoe', domain: 'CORP', sid: JDOE_SID });
    expect(fake.calls('enumproc')).toBe(0);
    expect(fake.outstanding()).toBe(0);
    expect(fake.badFrees()).toBe(0);
  });

  it('error 5 says the account must be a local administrator there; the Ex call failing with 5 is not retried the old way', async () => {
    fake.opFailure('rds01', 'enumprocex', 5);
    const e = await rejection(backend.listProcesses('rds01'));
    expect(e).toMatchObject({ code: 5, server: 'rds01', operation: 'processes' });
    expect(e.message).toMatch(ADMIN_SENTENCE);
    expect(fake.calls('enumproc')).toBe(0);
    // Both calls refusing, through the fallback: the same words.
    fake.opFailure('rds01', 'enumprocex', 1745);
    fake.opFailure('rds01', 'enumproc', 5);
    expect((await rejection(backend.listProcesses('rds01'))).message).toMatch(ADMIN_SENTENCE);
    // The session listing keeps its own wording for 5.
    fake.opFailure('rds01', 'enumex', 5);
    expect((await rejection(backend.listSessions('rds01'))).message).toMatch(/lacks Remote Desktop rights/);
  });

  it.each([
    ['down', 1722, /^rds07: unreachable \(RPC 1722\)/],
    ['busy', 7024, /^rds07: busy \(error 7024\)/],
  ])('a %s server fails the process listing with its own code', async (_name, code, sentence) => {
    fake.server('rds07', { failure: code });
    const e = await rejection(backend.listProcesses('rds07'));
    expect(e).toMatchObject({ code, operation: 'processes' });
    expect(e.message).toMatch(sentence);
  });

  it("a session's processes go with its logoff", async () => {
    expect(await backend.listProcesses('rds01', 3)).toHaveLength(5);
    await backend.logoff('rds01', 3);
    expect(await backend.listProcesses('rds01', 3)).toEqual([]);
    expect((await backend.listProcesses('rds01')).some((p) => p.sessionId === 3)).toBe(false);
  });

  it('names are looked up once per server and SID (two calls each: sizes, then names), the unmapped one once', async () => {
    const single = createWtsBackend({ libraryPath: lib, timeoutMs: 15_000, threads: 1, maxAbandonedThreads: 1 });
    await single.warmUp(1);
    try {
      await single.listProcesses('rds01');
      // Six distinct SIDs: five named (2 calls each), one unmapped (1332 on the sizing call).
      expect(fake.calls('lookup')).toBe(11);
      const again = await single.listProcesses('rds01');
      expect(fake.calls('lookup')).toBe(11);
      expect(pick(again, 6012)?.user).toBe('jdoe');
      expect(pick(again, 1400)?.user).toBe('');
    } finally {
      await single.close();
    }
  });

  it('when the server cannot name SIDs (1722 from LookupAccountSidW), the listing still succeeds with SIDs only, after one try', async () => {
    const single = createWtsBackend({ libraryPath: lib, timeoutMs: 15_000, threads: 1, maxAbandonedThreads: 1 });
    await single.warmUp(1);
    try {
      fake.opFailure('rds01', 'lookup', 1722);
      const ps = await single.listProcesses('rds01');
      expect(ps).toHaveLength(12);
      expect(ps.every((p) => p.user === '' && p.domain === '')).toBe(true);
      expect(pick(ps, 6012)?.sid).toBe(JDOE_SID);
      expect(fake.calls('lookup')).toBe(1);
      // Not remembered: once the server answers again, the names come back.
      fake.opFailure('rds01', 'lookup', 0);
      expect(pick(await single.listProcesses('rds01'), 6012)?.user).toBe('jdoe');
    } finally {
      await single.close();
    }
  });

  it('frees every process buffer with its own function and type, errors and fallbacks included', async () => {
    fake.server('down', { failure: 1722 });
    for (let i = 0; i < 300; i++) {
      await backend.listProcesses('rds01');
      await backend.listProcesses('rds01', 3);
      await backend.listProcesses('down').catch(() => undefined);
      if (i % 30 === 0) {
        fake.opFailure('rds01', 'enumprocex', 1745);
        await backend.listProcesses('rds01', 5);
        fake.opFailure('rds01', 'enumproc', 5);
        await backend.listProcesses('rds01').catch(() => undefined);
        fake.opFailure('rds01', 'enumprocex', 0);
        fake.opFailure('rds01', 'enumproc', 0);
        fake.processLevel('rds01', 0);
        await backend.listProcesses('rds01');
        fake.processLevel('rds01', 1);
      }
    }
    expect(fake.outstanding()).toBe(0);
    expect(fake.badFrees()).toBe(0);
    expect(fake.openHandles()).toBe(0);
  });
});

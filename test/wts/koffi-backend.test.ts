import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import type { FakeWtsControl } from '../native/fake-wts-control.js';
import { fakeWts, rejection, skipWithoutGcc } from './wts-harness.js';

// Every successful call of the fake returns 0x100 for TRUE: a binding that read BOOL as a one-byte
// bool would see FALSE, and every test here would fail.
describe.skipIf(skipWithoutGcc())('the koffi binding against the fake wtsapi32', () => {
  let fake: FakeWtsControl;
  let backend: ReturnType<typeof createWtsBackend>;

  beforeAll(async () => {
    const built = fakeWts();
    fake = built.fake;
    backend = createWtsBackend({ libraryPath: built.lib, timeoutMs: 15_000, threads: 4, maxAbandonedThreads: 4 });
    await backend.warmUp(4);
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
    // WTSINFOW's counters, each read at its own offset (the fake gives each field its own value).
    expect(jdoe?.counters).toEqual({ bytesIn: 3011, bytesOut: 3022, framesIn: 3033, framesOut: 3044 });
    expect((await backend.querySession('rds01', 5)).counters).toEqual({ bytesIn: 5011, bytesOut: 5022, framesIn: 5033, framesOut: 5044 });
    const bwayne = sessions.find((s) => s.id === 5);
    // Disconnected: idle since the disconnection, as Windows counts it.
    expect(Math.round((bwayne?.idleMs ?? 0) / 60_000)).toBe(130);
    expect(bwayne?.disconnectTime).toBeInstanceOf(Date);
    expect(sessions.find((s) => s.id === 0)?.idleMs).toBeUndefined();
    expect(fake.calls('enumex')).toBe(1);
    expect(fake.calls('enum')).toBe(0);
  });

  it.each([
    [50, 'not supported'],
    [1745, 'RPC_S_PROCNUM_OUT_OF_RANGE: a server older than the Ex call'],
  ])('falls back to WTSEnumerateSessionsW + WTSQuerySessionInformationW when the Ex call fails with %i (%s)', async (code) => {
    fake.opFailure('rds01', 'enumex', code);
    const sessions = await backend.listSessions('rds01');
    expect(fake.calls('enum')).toBe(1);
    expect(sessions.find((s) => s.id === 3)).toMatchObject({ user: 'jdoe', domain: 'CORP', name: 'RDP-Tcp#7', clientName: 'WS-JDOE-01' });
    expect(sessions.find((s) => s.id === 0)?.user).toBe('');
    expect(fake.outstanding()).toBe(0);
  });

  it('does not fall back on a real failure of the Ex call', async () => {
    fake.opFailure('rds01', 'enumex', 5);
    expect((await rejection(backend.listSessions('rds01'))).code).toBe(5);
    expect(fake.calls('enum')).toBe(0);
  });

  it('queries one session, and 7022 when it does not exist', async () => {
    expect(await backend.querySession('rds01', 3)).toMatchObject({ id: 3, user: 'jdoe', domain: 'CORP', state: 'Active', name: 'RDP-Tcp#7' });
    const e = await rejection(backend.querySession('rds01', 42));
    expect(e).toMatchObject({ code: 7022, server: 'rds01', operation: 'query' });
    expect(e.message).toBe('rds01: session not found (error 7022): no such session: it has already ended, or the ID is stale; list the sessions again');
  });

  it('disconnects and logs off', async () => {
    await backend.disconnect('rds01', 3);
    expect((await backend.querySession('rds01', 3)).state).toBe('Disconnected');
    await backend.logoff('rds01', 3);
    expect((await backend.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);
  });

  it('sends a message in UTF-16 with its lengths in bytes, and maps the responses', async () => {
    const text = 'Réinitialisation à 18h 🙂: enregistrez votre travail';
    expect(await backend.sendMessage('rds01', 5, { title: 'Helpdesk', text, timeoutSeconds: 30, wait: false })).toBe('async');
    expect(fake.lastMessage()).toEqual({ title: 'Helpdesk', text, style: 0x40, timeoutSeconds: 30, wait: false, count: 1 });
    expect(await backend.sendMessage('rds01', 5, { title: 'T', text: 'x', timeoutSeconds: 20, wait: true })).toBe('ok');
    expect(fake.lastMessage()).toMatchObject({ timeoutSeconds: 20, wait: true });
  });

  it('a waited message without /time is closed by Windows after 10 minutes, so its thread is never held for ever', async () => {
    expect(await backend.sendMessage('rds01', 3, { title: 'T', text: 'x', timeoutSeconds: 0, wait: true })).toBe('ok');
    expect(fake.lastMessage()).toMatchObject({ timeoutSeconds: 600, wait: true });
    await backend.sendMessage('rds01', 3, { title: 'T', text: 'x', timeoutSeconds: 0, wait: false });
    expect(fake.lastMessage()).toMatchObject({ timeoutSeconds: 0, wait: false });
  });

  it.each([
    ['an unknown or down server', () => fake.server('rds07', { failure: 1722 }), () => backend.listSessions('rds07'), 1722, /^rds07: unreachable \(RPC 1722\): is it up, and is RPC open in its firewall\?$/],
    ['a server nobody scripted', () => undefined, () => backend.querySession('nosuch', 3), 1722, /^nosuch: unreachable \(RPC 1722\)/],
    ['a server that refuses the account', () => fake.server('rds07', { failure: 5 }), () => backend.listSessions('rds07'), 5, /^rds07: access denied \(error 5\): the bot's Windows account lacks Remote Desktop rights/],
    ['a logoff the account may not do', () => fake.opFailure('rds01', 'logoff', 5), () => backend.logoff('rds01', 3), 5, /^rds01: access denied \(error 5\)/],
    ['a session that is gone', () => undefined, () => backend.logoff('rds01', 42), 7022, /^rds01: session not found \(error 7022\)/],
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
    expect(fake.outstanding()).toBe(0);
    expect(fake.openHandles()).toBe(0);
  });

  it('frees every buffer and closes every handle after many operations, errors included', async () => {
    fake.server('down', { failure: 1722 });
    fake.standardProcesses('rds01');
    for (let i = 0; i < 400; i++) {
      await backend.listSessions('rds01');
      await backend.listProcesses('rds01', i % 2 ? 3 : undefined);
      await backend.listProcesses('down').catch(() => undefined);
      await backend.querySession('rds01', 3);
      await backend.querySession('rds01', 99).catch(() => undefined);
      await backend.listSessions('down').catch(() => undefined);
      await backend.sendMessage('rds01', 3, { title: 't', text: 'x', timeoutSeconds: 0, wait: false });
      await backend.disconnect('rds01', 1).catch(() => undefined);
      if (i % 50 === 0) {
        fake.opFailure('rds01', 'enumex', 50);
        await backend.listSessions('rds01');
        fake.opFailure('rds01', 'enumex', 0);
        // The process fallback, and the Ex call refused outright (5).
        fake.opFailure('rds01', 'enumprocex', 1745);
        await backend.listProcesses('rds01', 5);
        fake.opFailure('rds01', 'enumprocex', 5);
        await backend.listProcesses('rds01').catch(() => undefined);
        fake.opFailure('rds01', 'enumprocex', 0);
      }
    }
    expect(fake.calls('enumprocex')).toBeGreaterThanOrEqual(800);
    expect(fake.calls('enumproc')).toBe(8);
    expect(fake.outstanding()).toBe(0);
    expect(fake.openHandles()).toBe(0);
    expect(fake.badFrees()).toBe(0);
  });
});

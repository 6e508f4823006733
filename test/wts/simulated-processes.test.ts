import { describe, expect, it, vi } from 'vitest';
import type { ProcessInfo } from '../../src/wts/process.js';
import { SimulatedFleet } from '../../src/wts/simulated/fleet.js';
import { rejection } from './wts-harness.js';

const images = (ps: ProcessInfo[]): string[] => ps.map((p) => p.image);
const count = (ps: ProcessInfo[], image: string): number => ps.filter((p) => p.image === image).length;
const ADMIN_SENTENCE = /access denied \(error 5\): the bot's Windows account must be a local administrator on that server to see other users' programs$/;

describe('processes of the simulated fleet', () => {
  it("a user session runs the shell as the user, csrss/winlogon as SYSTEM, dwm.exe as DWM-n, and the user's work programs", async () => {
    const ps = await new SimulatedFleet().listProcesses('rds01', 3);
    expect(ps.every((p) => p.server === 'rds01' && p.sessionId === 3)).toBe(true);
    for (const image of ['explorer.exe', 'rdpclip.exe', 'sihost.exe', 'taskhostw.exe', 'ctfmon.exe', 'ShellExperienceHost.exe', 'SearchApp.exe', 'OUTLOOK.EXE', 'Teams.exe']) {
      expect(ps.find((p) => p.image === image), image).toMatchObject({ user: 'jdoe', domain: 'CORP', sid: expect.stringMatching(/^S-1-5-21-\d+-\d+-\d+-\d+$/) });
    }
    expect(ps.filter((p) => p.image === 'csrss.exe' || p.image === 'winlogon.exe').map((p) => [p.user, p.domain, p.sid])).toEqual([
      ['SYSTEM', 'NT AUTHORITY', 'S-1-5-18'],
      ['SYSTEM', 'NT AUTHORITY', 'S-1-5-18'],
    ]);
    expect(ps.find((p) => p.image === 'dwm.exe')).toMatchObject({ user: 'DWM-3', domain: 'Window Manager', sid: 'S-1-5-90-0-3' });
    // Every user process runs with the same SID, and the working sets are plausible.
    expect(new Set(ps.filter((p) => p.user === 'jdoe').map((p) => p.sid)).size).toBe(1);
    expect(ps.every((p) => (p.workingSetBytes ?? 0) > 1024 * 1024 && (p.workingSetBytes ?? 0) < 1024 ** 3)).toBe(true);
  });

  it("work programs vary per user; chrome.exe runs as many processes; session 0 holds the services", async () => {
    const fleet = new SimulatedFleet();
    const mixes = new Set<string>();
    for (const [server, id] of [['rds01', 2], ['rds01', 3], ['rds01', 4], ['rds02', 8], ['rds03', 5], ['rds04', 6]] as const) {
      const ps = await fleet.listProcesses(server, id);
      mixes.add([...new Set(images(ps))].sort().join(' '));
    }
    expect(mixes.size).toBeGreaterThanOrEqual(4);
    const all = await fleet.listProcesses('rds01');
    expect(Math.max(...[2, 3, 4, 6, 7].map((id) => count(all.filter((p) => p.sessionId === id), 'chrome.exe')))).toBeGreaterThanOrEqual(8);
    const zero = all.filter((p) => p.sessionId === 0);
    expect(count(zero, 'svchost.exe')).toBeGreaterThanOrEqual(10);
    for (const image of ['lsass.exe', 'services.exe', 'wininit.exe', 'System']) expect(count(zero, image), image).toBe(1);
    expect(zero.find((p) => p.image === 'System')).toMatchObject({ pid: 4, user: 'SYSTEM' });
    // The idle process has no token: no SID, no user.
    expect(zero.find((p) => p.pid === 0)).toEqual({ server: 'rds01', sessionId: 0, pid: 0, image: 'System Idle Process', user: '', domain: '', workingSetBytes: 8192 });
    expect(new Set(zero.filter((p) => p.image === 'svchost.exe').map((p) => p.user))).toEqual(new Set(['SYSTEM', 'LOCAL SERVICE', 'NETWORK SERVICE']));
  });

  it('PIDs are multiples of 4, unique per server, and the same on every start', async () => {
    const a = await new SimulatedFleet().listProcesses('rds04');
    const b = await new SimulatedFleet().listProcesses('rds04');
    expect(a).toEqual(b);
    expect(a.every((p) => p.pid % 4 === 0)).toBe(true);
    expect(new Set(a.map((p) => p.pid)).size).toBe(a.length);
    // A deleted account's SID maps to no name: the SID stays, the user is blank (rds04 runs one such task).
    expect(a.find((p) => p.image === 'UpdateAgent.exe')).toMatchObject({ user: '', domain: '', sid: expect.stringMatching(/^S-1-5-21-/) });
  });

  it('a disconnected session keeps its programs but not the clipboard helper; a listener has none', async () => {
    const fleet = new SimulatedFleet();
    const disc = await fleet.listProcesses('rds01', 6);
    expect(images(disc)).toContain('explorer.exe');
    expect(images(disc)).not.toContain('rdpclip.exe');
    expect(images(await fleet.listProcesses('rds01', 2))).toContain('rdpclip.exe');
    await fleet.disconnect('rds01', 2);
    expect(images(await fleet.listProcesses('rds01', 2))).not.toContain('rdpclip.exe');
    expect(await fleet.listProcesses('rds01', 65536)).toEqual([]);
    expect(await fleet.listProcesses('rds01', 99)).toEqual([]);
  });

  it("a session's processes vanish with it on logoff: first down to csrss and winlogon, then none", async () => {
    let now = Date.parse('2026-11-25T08:00:00Z');
    const fleet = new SimulatedFleet({ now: () => now, logoffDelayMs: 600 });
    expect((await fleet.listProcesses('rds01', 3)).length).toBeGreaterThan(20);
    await fleet.logoff('rds01', 3);
    expect(images(await fleet.listProcesses('rds01', 3))).toEqual(['csrss.exe', 'winlogon.exe']);
    now += 1000;
    expect(await fleet.listProcesses('rds01', 3)).toEqual([]);
    expect((await fleet.listProcesses('rds01')).some((p) => p.sessionId === 3)).toBe(false);
    // A new logon that reuses the ID starts its own programs with new PIDs.
    const id = fleet.logon('rds01', 'zwu');
    expect(id).toBe(3);
    const fresh = await fleet.listProcesses('rds01', 3);
    expect(fresh.find((p) => p.image === 'explorer.exe')?.user).toBe('zwu');
  });

  it('scriptable: setProcesses, a failure of the process listing alone, a slow listing', async () => {
    const fleet = new SimulatedFleet();
    fleet.setProcesses('rds01', 3, [{ image: 'notepad.exe', user: 'jdoe', domain: 'CORP', sid: 'S-1-5-21-1-2-3-1001' }, { pid: 4242, image: 'ghost.exe', sid: 'S-1-5-21-1-2-3-9999' }]);
    const ps = await fleet.listProcesses('rds01', 3);
    expect(ps).toHaveLength(2);
    expect(ps[0]).toMatchObject({ image: 'notepad.exe', user: 'jdoe', sid: 'S-1-5-21-1-2-3-1001' });
    expect(ps[0]?.pid).toBeGreaterThan(0);
    expect(ps[1]).toEqual({ server: 'rds01', sessionId: 3, pid: 4242, image: 'ghost.exe', user: '', domain: '', sid: 'S-1-5-21-1-2-3-9999' });

    fleet.setProcessFailure('rds01', 5);
    const e = await rejection(fleet.listProcesses('rds01'));
    expect(e).toMatchObject({ code: 5, server: 'rds01', operation: 'processes' });
    expect(e.message).toMatch(ADMIN_SENTENCE);
    expect((await fleet.listSessions('rds01')).length).toBe(8);
    fleet.setProcessFailure('rds01', undefined);
    expect((await fleet.listProcesses('rds01', 3)).length).toBe(2);

    vi.useFakeTimers();
    try {
      fleet.setProcessDelay('rds01', 150);
      let settled = false;
      const slow = fleet.listProcesses('rds01', 3).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(100);
      expect(settled).toBe(false);
      // Only the process listing is slow.
      expect((await fleet.listSessions('rds01')).length).toBe(8);
      await vi.advanceTimersByTimeAsync(60);
      expect(settled).toBe(true);
      expect((await slow).length).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a server that refuses the account, or is down, fails the process listing with its code and sentence', async () => {
    const fleet = new SimulatedFleet();
    expect((await rejection(fleet.listProcesses('rds06'))).message).toMatch(ADMIN_SENTENCE);
    expect(await rejection(fleet.listProcesses('rds05'))).toMatchObject({ code: 1722, operation: 'processes' });
    expect(await rejection(fleet.listProcesses('nosuch'))).toMatchObject({ code: 1722 });
    expect(await rejection(fleet.listProcesses('rds01', -3))).toMatchObject({ code: 87, message: 'rds01: -3 is not a session ID' });
  });
});

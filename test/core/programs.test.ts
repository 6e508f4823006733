import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isShellImage, isSystemProcess, openProgramsOf, programList, SHELL_IMAGES } from '../../src/core/programs.js';
import type { ProcessInfo } from '../../src/wts/process.js';
import { SimulatedFleet } from '../../src/wts/simulated/fleet.js';

const JDOE = { user: 'jdoe', domain: 'CORP', sid: 'S-1-5-21-1004336348-1177238915-682003330-1601' };
let pid = 100;
const proc = (image: string, who: Partial<ProcessInfo> = JDOE, sessionId = 3): ProcessInfo => ({ server: 'rds01', sessionId, pid: (pid += 4), image, user: '', domain: '', ...who });

describe('which processes are Windows\' own', () => {
  it.each([
    [{ user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' }, true],
    [{ user: 'LOCAL SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-19' }, true],
    [{ user: 'NETWORK SERVICE', domain: 'NT AUTHORITY', sid: 'S-1-5-20' }, true],
    [{ user: 'DWM-3', domain: 'Window Manager', sid: 'S-1-5-90-0-3' }, true],
    [{ user: 'UMFD-3', domain: 'Font Driver Host', sid: 'S-1-5-96-0-3' }, true],
    // The idle process: no token, no SID.
    [{ user: '', domain: '' }, true],
    // Names only (an older server): by the account's domain.
    [{ user: 'SYSTEM', domain: 'NT AUTHORITY' }, true],
    [{ user: 'MSSQLSERVER', domain: 'NT SERVICE' }, true],
    [{ user: 'jdoe', domain: 'CORP' }, false],
    [JDOE, false],
    // A person's account whose name the server could not find (1332) is still a person's.
    [{ user: '', domain: '', sid: 'S-1-5-21-1-2-3-1001' }, false],
    [{ user: 'jdoe@corp.example', domain: 'AzureAD', sid: 'S-1-12-1-1234-5678-91011-1213' }, false],
  ])('%j: %s', (who, system) => {
    expect(isSystemProcess(proc('x.exe', who))).toBe(system);
  });
});

describe('the programs open in a session, as a logoff prompt shows them', () => {
  it("groups a user's processes by image in the order they appear, counting repeats, and leaves out the shell and Windows' own", () => {
    const ps = [
      proc('csrss.exe', { user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' }),
      proc('dwm.exe', { user: 'DWM-3', domain: 'Window Manager', sid: 'S-1-5-90-0-3' }),
      proc('explorer.exe'),
      proc('WINWORD.EXE'),
      proc('chrome.exe'),
      proc('EXCEL.EXE'),
      proc('RDPCLIP.EXE'),
      proc('Chrome.exe'),
      proc('chrome.exe'),
      // Another session's: not this one's.
      proc('POWERPNT.EXE', JDOE, 4),
      // A program run as SYSTEM in the session (a service's helper): Windows', not the user's.
      proc('vmtoolsd.exe', { user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' }),
    ];
    expect(openProgramsOf(ps, 3)).toEqual([
      { image: 'WINWORD.EXE', count: 1 },
      { image: 'chrome.exe', count: 3 },
      { image: 'EXCEL.EXE', count: 1 },
    ]);
    expect(programList(openProgramsOf(ps, 3), 12)).toBe('WINWORD.EXE, chrome.exe \u00d73, EXCEL.EXE');
    expect(openProgramsOf(ps, 4)).toEqual([{ image: 'POWERPNT.EXE', count: 1 }]);
    expect(openProgramsOf(ps, 5)).toEqual([]);
  });
  it('cuts a long list after so many images, with a count of the rest', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ image: `app${i}.exe`, count: i === 0 ? 2 : 1 }));
    expect(programList(many, 12)).toBe(`app0.exe \u00d72, ${Array.from({ length: 11 }, (_, i) => `app${i + 1}.exe`).join(', ')} and 3 more`);
    expect(programList(many.slice(0, 12), 12)).not.toMatch(/more/);
  });
  it('cuts before a character budget too, since image names can be long; one image longer than it is clipped', () => {
    const long = Array.from({ length: 5 }, (_, i) => ({ image: `${'x'.repeat(200)}${i}.exe`, count: 1 }));
    const text = programList(long, 12, 600);
    expect(text).toMatch(/x0\.exe, x+1\.exe and 3 more$/);
    expect(text.length).toBeLessThanOrEqual(600 + ' and 3 more'.length);
    expect(programList([{ image: 'y'.repeat(700), count: 2 }], 12, 600)).toBe(`${'y'.repeat(599)}…`);
  });
  it("on the simulated fleet a user session's shell is left out entirely and its work programs remain", async () => {
    const ps = await new SimulatedFleet().listProcesses('rds01', 3);
    const open = openProgramsOf(ps, 3).map((p) => p.image);
    expect(open).toContain('OUTLOOK.EXE');
    for (const p of ps) if (isShellImage(p.image)) expect(open).not.toContain(p.image);
    // Everything the fleet runs besides the work programs is in the documented list.
    const work = new Set(['OUTLOOK.EXE', 'Teams.exe', 'WINWORD.EXE', 'EXCEL.EXE', 'chrome.exe', 'msedge.exe', 'POWERPNT.EXE', 'notepad.exe', 'AcroRd32.exe', 'mstsc.exe', 'Code.exe']);
    const all = await new SimulatedFleet().listProcesses('rds01');
    const userSessions = all.filter((p) => p.sessionId !== 0);
    expect(userSessions.filter((p) => !work.has(p.image) && !isShellImage(p.image)).map((p) => p.image)).toEqual([]);
  });
});

describe('the documented list', () => {
  it("the README's list of left-out images is the core's (regenerate it from SHELL_IMAGES if this fails)", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('| Image left out | What it is |');
    expect(start).toBeGreaterThan(0);
    const rows = readme.slice(start).split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('|')));
    expect(rows).toEqual(['| Image left out | What it is |', '|---|---|', ...SHELL_IMAGES.map((s) => `| \`${s.image}\` | ${s.what} |`)]);
  });
  it('names each image once, whatever its case', () => {
    expect(new Set(SHELL_IMAGES.map((s) => s.image.toLowerCase())).size).toBe(SHELL_IMAGES.length);
    for (const image of ['explorer.exe', 'rdpclip.exe', 'sihost.exe', 'taskhostw.exe', 'ctfmon.exe', 'dwm.exe', 'EXPLORER.EXE']) expect(isShellImage(image), image).toBe(true);
    expect(isShellImage('WINWORD.EXE')).toBe(false);
  });
});

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../../src/wts/process.js';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import { findWine, prepareWindowsApp, runUnderWine, WINE_DIR, type WineRun } from './wine-app.js';

const wine = findWine();
const skip =
  requireOrSkip('wine64 (runs Node for Windows for the Windows x64 suite)', wine !== undefined) ||
  requireOrSkip('x86_64-w64-mingw32-gcc (builds the fake wtsapi32.dll)', hasTool('x86_64-w64-mingw32-gcc'));

const JDOE_SID = 'S-1-5-21-1004336348-1177238915-682003330-1601';

const SCENARIO = `
server rds01
session rds01 0 Disconnected services - - - - x -1 -1
session rds01 1 Connected console - - - - x -1 -1
session rds01 65536 Listen rdp-tcp - - - - x -1 -1
session rds01 3 Active RDP-Tcp#7 jdoe CORP WS-JDOE-01 10.20.1.31 x 95 17
session rds01 4 Active RDP-Tcp#8 asmith CORP WS-ASMITH-01 10.20.1.40 x 30 0
session rds01 6 Disconnected - bwayne CORP - - x 1500 130
server rds02
session rds02 5 Disconnected - jdoe CORP - - x 2900 1600
server rds07 failure=1722
server rds09 failure=5
process rds01 0 4 System S-1-5-18 155648
process rds01 3 6012 explorer.exe ${JDOE_SID} 99614720
process rds01 3 7332 WINWORD.EXE ${JDOE_SID} 146800640
process rds01 4 8100 notepad.exe S-1-5-19 12582912
server rds02-old
opfail rds02-old enumprocex 1745
process rds02-old 0 4 System S-1-5-18 155648
process rds02-old 5 900 EXCEL.EXE ${JDOE_SID} 125829120
`;
/**
 * Wine's own advapi32 names SIDs only on the local computer (any other system name: 1722), so the
 * processes whose names are checked run on a server named as the Wine machine.
 */
const localProcesses = (computer: string, opfail = ''): string => `
server ${computer}
${opfail}
process ${computer} 0 0 Idle - 8192
process ${computer} 0 4 System S-1-5-18 155648
process ${computer} 0 540 svchost.exe S-1-5-20 18874368
process ${computer} 2 5120 explorer.exe S-1-5-21-1-2-3-1001 99614720
process ${computer} 2 5200 svchost.exe S-1-5-19 9437184
`;

const ACCESS = {
  serverGroups: { farm: ['rds01', 'rds02', 'rds07', 'rds09'] },
  roles: { admins: { grants: [{ actions: ['*'], servers: ['@farm'] }], members: { consoleUsers: ['root'] } } },
};

// Each Wine process takes several seconds to start (more on a busy CI machine), and a test runs up
// to four of them in turn: hence a per-test budget well beyond vitest's default.
describe.skipIf(skip)('Windows x64 under Wine: the real CLI on Node for Windows, koffi win32, wtsapi32.dll by plain name', { timeout: 240_000 }, () => {
  let app = '';
  let nodeExe = '';
  let env: NodeJS.ProcessEnv = {};
  let computer = '';
  let n = 0;
  const exec = (command: string, ...flags: string[]): Promise<WineRun> =>
    runUnderWine(wine as string, nodeExe, ['dist/src/app/cli.js', 'exec', '--as', 'root', ...flags, command], { cwd: app, env, tag: `run${++n}` });
  // The binding's listProcesses on Node for Windows, until the CLI has a qprocess verb (then: exec('qprocess …')).
  type Listing = { ok: true; processes: ProcessInfo[] } | { ok: false; code: number; operation: string; message: string };
  const processes = async (args: string[], scenario = 'scenario.txt'): Promise<Listing> => {
    const r = await runUnderWine(wine as string, nodeExe, ['list-processes.mjs', ...args], { cwd: app, env: { ...env, FAKEWTS_SCENARIO: scenario }, tag: `run${++n}` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout.trim()) as Listing;
  };
  const listed = (l: Listing): ProcessInfo[] => {
    if (!l.ok) throw new Error(`expected processes, got ${l.message}`);
    return l.processes;
  };

  beforeAll(async () => {
    ({ app, nodeExe } = prepareWindowsApp(buildFakeWts('windows')));
    copyFileSync(fileURLToPath(new URL('./list-processes.mjs', import.meta.url)), join(app, 'list-processes.mjs'));
    writeFileSync(join(app, 'access.json'), JSON.stringify(ACCESS));
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WINEPREFIX: join(WINE_DIR, 'prefix'),
      WINEDEBUG: '-all',
      // Our wtsapi32.dll, not Wine's builtin; no Mono/Gecko installers on first start.
      WINEDLLOVERRIDES: 'wtsapi32=n;mscoree,mshtml=',
      // Node 20 refuses Wine's default Windows version without this.
      NODE_SKIP_PLATFORM_CHECK: '1',
      FAKEWTS_SCENARIO: 'scenario.txt',
      FAKEWTS_STATE: 'state.txt',
      FAKEWTS_REPORT: 'report.txt',
      RWINSTA_ACCESS_FILE: 'access.json',
      RWINSTA_AUDIT_FILE: 'audit.jsonl',
      RWINSTA_LOGOFF_VERIFY_SECONDS: '5',
      TZ: 'UTC',
    };
    const probe = await runUnderWine(wine as string, nodeExe, ['-p', 'process.platform + " " + process.arch + " " + process.env.COMPUTERNAME'], { cwd: app, env, tag: 'probe' });
    const [platform, arch, name] = probe.stdout.trim().split(' ');
    expect(`${platform} ${arch}`).toBe('win32 x64');
    expect(name).toMatch(/^[A-Z0-9-]{1,15}$/);
    computer = name as string;
    writeFileSync(join(app, 'scenario.txt'), SCENARIO + localProcesses(computer));
    writeFileSync(join(app, 'scenario-old.txt'), localProcesses(computer, `opfail ${computer} enumprocex 1745`));
  }, 300_000);

  const report = (): Record<string, number> =>
    Object.fromEntries(readFileSync(join(app, 'report.txt'), 'utf8').trim().split(/\r?\n/).map((l) => {
      const [k, v] = l.split('=');
      return [k, Number(v)];
    }));

  it('lists a server through wtsapi32.dll, on the wts backend by default, with zero outstanding allocations at exit', async () => {
    const r = await exec('qwinsta rds01 /v');
    expect(r.stderr).not.toMatch(/Error|error:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rds01: 6 sessions\.$/m);
    expect(r.stdout).toMatch(/^RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active\s+17\s+\S+ \S+\s+WS-JDOE-01\s+10\.20\.1\.31$/m);
    expect(r.stdout).toMatch(/^\s+CORP\\bwayne\s+6\s+Disc\s+2:10/m);
    expect(r.stdout).not.toMatch(/simulated/);
    expect(report()).toEqual({ outstanding: 0, open_handles: 0, bad_frees: 0 });
  });

  it('finds a user across the farm, with the down and refusing servers reported beside the results', async () => {
    const r = await exec('qwinsta jdoe');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^jdoe: 2 sessions on 2 servers \(2 of 4 servers did not answer\)\.$/m);
    expect(r.stdout).toMatch(/! rds07: unreachable \(RPC 1722\): is it up, and is RPC open in its firewall\?/);
    expect(r.stdout).toMatch(/! rds09: access denied \(error 5\)/);
    expect(report()).toEqual({ outstanding: 0, open_handles: 0, bad_frees: 0 });
  });

  it('maps 1722, 5 and 7022 to their sentences and exit code 4', async () => {
    const down = await exec('qwinsta /server:rds07');
    expect(down.code).toBe(4);
    expect(down.stdout).toMatch(/rds07: unreachable \(RPC 1722\)/);
    const denied = await exec('rwinsta rds09 3');
    expect(denied.code).toBe(4);
    expect(denied.stdout).toMatch(/rds09: access denied \(error 5\): the bot's Windows account lacks Remote Desktop rights/);
    const gone = await exec('tsdiscon rds01 42');
    expect(gone.code).toBe(4);
    expect(gone.stdout).toMatch(/No session 42 on rds01/);
  });

  it("lists processes through WTSEnumerateProcessesExW, named by Wine's own advapi32; an unmapped SID is kept as a SID", async () => {
    const all = listed(await processes([computer]));
    expect(all.map((p) => [p.sessionId, p.pid, p.image, p.user, p.domain, p.sid ?? null, p.workingSetBytes])).toEqual([
      [0, 0, 'Idle', '', '', null, 8192],
      [0, 4, 'System', 'SYSTEM', 'NT AUTHORITY', 'S-1-5-18', 155648],
      [0, 540, 'svchost.exe', 'NETWORK SERVICE', 'NT AUTHORITY', 'S-1-5-20', 18874368],
      // Not a local or well-known account: 1332, no name.
      [2, 5120, 'explorer.exe', '', '', 'S-1-5-21-1-2-3-1001', 99614720],
      [2, 5200, 'svchost.exe', 'LOCAL SERVICE', 'NT AUTHORITY', 'S-1-5-19', 9437184],
    ]);
    expect(listed(await processes([computer, '2'])).map((p) => p.pid)).toEqual([5120, 5200]);
    expect(report()).toEqual({ outstanding: 0, open_handles: 0, bad_frees: 0 });
  });

  it('falls back to WTSEnumerateProcessesW on 1745, filtering by session itself, freeing with WTSFreeMemory', async () => {
    const two = listed(await processes([computer, '2'], 'scenario-old.txt'));
    expect(two.map((p) => [p.pid, p.image, p.user, p.sid, p.workingSetBytes])).toEqual([
      [5120, 'explorer.exe', '', 'S-1-5-21-1-2-3-1001', undefined],
      [5200, 'svchost.exe', 'LOCAL SERVICE', 'S-1-5-19', undefined],
    ]);
    expect(report()).toEqual({ outstanding: 0, open_handles: 0, bad_frees: 0 });
    const old = listed(await processes(['rds02-old']));
    expect(old.map((p) => [p.sessionId, p.pid, p.image])).toEqual([
      [0, 4, 'System'],
      [5, 900, 'EXCEL.EXE'],
    ]);
  });

  it('a server Wine cannot ask for names (any remote one: 1722) still lists its processes, with their SIDs', async () => {
    const three = listed(await processes(['rds01', '3']));
    expect(three).toEqual([
      { server: 'rds01', sessionId: 3, pid: 6012, image: 'explorer.exe', user: '', domain: '', sid: JDOE_SID, workingSetBytes: 99614720 },
      { server: 'rds01', sessionId: 3, pid: 7332, image: 'WINWORD.EXE', user: '', domain: '', sid: JDOE_SID, workingSetBytes: 146800640 },
    ]);
  });

  it('error 5 on a process listing tells the operator the account must be a local administrator there', async () => {
    const denied = await processes(['rds09']);
    expect(denied).toEqual({
      ok: false,
      code: 5,
      operation: 'processes',
      message: "rds09: access denied (error 5): the bot's Windows account must be a local administrator on that server to see other users' programs",
    });
    const down = await processes(['rds07']);
    expect(down).toMatchObject({ ok: false, code: 1722, operation: 'processes' });
  });

  it('disconnects, messages and logs off, each change seen by the next process', async () => {
    const disc = await exec('tsdiscon rds01 4', '--yes');
    expect(disc.code).toBe(0);
    expect(disc.stdout).toMatch(/Disconnected session 4 \(CORP\\asmith\) on rds01/);
    const msg = await exec('msg jdoe /server:rds01 /time:30 Please save your work: rds01 restarts at 18:00');
    expect(msg.code).toBe(0);
    expect(msg.stdout).toMatch(/Sent the message to session 3 \(CORP\\jdoe\) on rds01: sent \(without \/w Windows does not say whether it was read\)\./);
    const off = await exec('rwinsta rds01 3 /v', '--yes');
    expect(off.code).toBe(0);
    expect(off.stdout).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    const after = await exec('qwinsta rds01');
    expect(after.stdout).not.toMatch(/CORP\\jdoe/);
    expect(after.stdout).toMatch(/CORP\\asmith\s+4\s+Disc/);
    expect(readFileSync(join(app, 'state.txt'), 'utf8').trim().split(/\r?\n/)).toEqual(['disconnect rds01 4', 'message rds01 3', 'logoff rds01 3']);
    expect(report()).toEqual({ outstanding: 0, open_handles: 0, bad_frees: 0 });
  });

  it('audits on Windows too', () => {
    const lines = readFileSync(join(app, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l.action === 'logoff' && l.phase === 'outcome' && l.outcome === 'ok' && l.simulated === false)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/core/render/text.js';
import { MAX_PROGRAMS_TEXT } from '../../src/core/replies.js';
import { exitCodeOf, type Reply, type Section } from '../../src/core/results.js';
import { WIN32 } from '../../src/wts/errors.js';
import type { SimProcessSpec } from '../../src/wts/simulated/sim-processes.js';
import { makeHarness, type Harness } from '../support/core-harness.js';

const JDOE = { user: 'jdoe', domain: 'CORP', sid: 'S-1-5-21-1004336348-1177238915-682003330-1601' };
const SYSTEM = { user: 'SYSTEM', domain: 'NT AUTHORITY', sid: 'S-1-5-18' };

function confirmationId(r: Reply): string {
  if (!r.confirmation) throw new Error(`expected a confirmation, got ${r.status}: ${r.summary}`);
  return r.confirmation.id;
}

/** The text sections of a reply, as lines. */
function textOf(r: Reply): string[] {
  return r.sections.flatMap((s: Section) => (s.kind === 'text' ? s.text.split('\n') : []));
}

/** Counts the fleet's process listings. */
function countListings(h: Harness): { calls: number } {
  const seen = { calls: 0 };
  const list = h.fleet.listProcesses.bind(h.fleet);
  h.fleet.listProcesses = (server, id) => {
    seen.calls++;
    return list(server, id);
  };
  return seen;
}

describe('qprocess', () => {
  it("lists a session's processes in Microsoft's columns plus the working set, hiding Windows' own, and audits it", async () => {
    const h = makeHarness();
    h.fleet.setProcesses('rds01', 3, [
      { pid: 900, image: 'csrss.exe', ...SYSTEM, workingSetBytes: 5_242_880 },
      { pid: 6012, image: 'explorer.exe', ...JDOE, workingSetBytes: 99_614_720 },
      { pid: 7332, image: 'WINWORD.EXE', ...JDOE, workingSetBytes: 146_800_640 },
      { pid: 7400, image: 'UpdateHelper.exe', user: '', domain: '', sid: 'S-1-5-21-1004336348-1177238915-682003330-4711' },
    ]);
    const r = await h.run('bob', 'qprocess rds01 3');
    expect(r.status).toBe('ok');
    expect(r.summary).toBe('rds01: 3 processes in session 3 (CORP\\jdoe).');
    expect(renderText(r).split('\n').slice(2, 8)).toEqual([
      'USERNAME                                       SESSIONNAME  ID   PID  IMAGE             WORKING SET',
      'jdoe                                           RDP-Tcp#7     3  6012  explorer.exe         97,280 K',
      'jdoe                                           RDP-Tcp#7     3  7332  WINWORD.EXE         143,360 K',
      'S-1-5-21-1004336348-1177238915-682003330-4711  RDP-Tcp#7     3  7400  UpdateHelper.exe',
      "(1 system process hidden: Windows' own accounts; /system shows them)",
      '',
    ]);
    expect(h.audit.records.at(-1)).toMatchObject({
      verb: 'qprocess',
      decision: 'allowed',
      action: 'query',
      server: 'rds01',
      outcome: 'shown',
      targets: [{ server: 'rds01', id: 3, user: 'CORP\\jdoe', state: 'Active' }],
    });
    const all = await h.run('bob', 'query process 3 /server:rds01 /system');
    expect(all.summary).toBe('rds01: 4 processes in session 3 (CORP\\jdoe).');
    expect(renderText(all)).toMatch(/^SYSTEM\s+RDP-Tcp#7\s+3\s+900\s+csrss\.exe\s+5,120 K$/m);
  });

  it('every session with *, a user by name, several sessions, and one process by PID whoever runs it', async () => {
    const h = makeHarness();
    const every = await h.run('root', 'qprocess rds01 *');
    expect(every.summary).toMatch(/^rds01: \d+ processes in 5 sessions\.$/);
    const text = renderText(every);
    expect(text).not.toMatch(/^SYSTEM\s/m);
    expect(text).toMatch(/^pnguyen\s+RDP-Tcp#8\s+4\s+\d+\s+explorer\.exe/m);
    // A disconnected session has no session name: the column is blank, as qprocess shows it.
    expect(text).toMatch(/^bwayne\s+6\s+\d+\s+explorer\.exe/m);
    expect((await h.run('root', 'qprocess rds01 * /system')).summary).toMatch(/^rds01: \d+ processes in 7 sessions\.$/);
    expect((await h.run('root', 'qprocess rds01 jdoe')).summary).toMatch(/^rds01: \d+ processes in session 3 \(CORP\\jdoe\)\.$/);
    expect((await h.run('root', 'qprocess rds03 mkhan')).summary).toMatch(/^rds03: \d+ processes in 2 sessions matching "mkhan"\.$/);
    const lsass = (await h.fleet.listProcesses('rds01', 0)).find((p) => p.image === 'lsass.exe');
    // A number no session has is a process ID (Microsoft's bare number), shown whoever runs it.
    const one = await h.run('root', `qprocess rds01 /id:${lsass?.pid}`);
    expect(one.summary).toBe(`rds01: process ${lsass?.pid} (lsass.exe) in session 0.`);
    expect(renderText(one)).toMatch(/^SYSTEM\s+services\s+0\s+\d+\s+lsass\.exe/m);
    expect(one.sections).toHaveLength(1);
    expect((await h.run('root', `qprocess ${lsass?.pid} /server:rds01`)).summary).toBe(`rds01: process ${lsass?.pid} (lsass.exe) in session 0.`);
    const excel = (await h.fleet.listProcesses('rds01', 3)).find((p) => p.image === 'EXCEL.EXE');
    expect(excel).toBeDefined();
    expect((await h.run('root', `qprocess rds01 ${excel?.pid}`)).summary).toBe(`rds01: process ${excel?.pid} (EXCEL.EXE) in session 3 (CORP\\jdoe).`);
    // Microsoft's /id:<nn> is a session ID, and a session's number wins over a PID.
    expect((await h.run('root', 'qprocess /id:3 /server:rds01')).summary).toMatch(/^rds01: \d+ processes in session 3 \(CORP\\jdoe\)\.$/);
    expect((await h.run('root', 'qprocess rds01 42')).summary).toBe('rds01: no session or process with ID 42.');
    expect((await h.run('root', 'qprocess rds01 /id:42')).summary).toBe('rds01: no session or process with ID 42.');
    expect((await h.run('root', 'qprocess rds01 42,43')).summary).toBe('rds01: no session matching sessions 42, 43.');
  });

  it("a program by its image name (Microsoft's <programname>), in every session, case-insensitive", async () => {
    const h = makeHarness();
    h.fleet.setProcesses('rds01', 3, [
      { pid: 6012, image: 'explorer.exe', ...JDOE },
      { pid: 7332, image: 'LEDGER.EXE', ...JDOE },
      { pid: 7340, image: 'LEDGER.EXE', ...JDOE },
      { pid: 900, image: 'csrss.exe', ...SYSTEM },
    ]);
    h.fleet.setProcesses('rds01', 2, [{ pid: 5120, image: 'ledger.exe', user: 'asmith', domain: 'CORP' }]);
    const r = await h.run('root', 'qprocess ledger.exe /server:rds01');
    expect(r.summary).toBe('rds01: 3 processes of ledger.exe in 2 sessions.');
    expect(renderText(r)).toMatch(/^asmith\s+RDP-Tcp#6\s+2\s+5120\s+ledger\.exe/m);
    expect(renderText(r)).not.toMatch(/explorer\.exe/);
    expect(h.audit.records.at(-1)).toMatchObject({ verb: 'qprocess', action: 'query', targets: [expect.objectContaining({ id: 2, user: 'CORP\\asmith' }), expect.objectContaining({ id: 3, user: 'CORP\\jdoe' })] });
    // Windows' own are hidden unless /system, as for sessions.
    const csrss = await h.run('root', 'qprocess rds01 CSRSS.EXE');
    expect(csrss.summary).toBe('rds01: no CSRSS.EXE running.');
    expect(renderText(csrss)).toMatch(/system process(es)? hidden: Windows' own accounts; \/system shows them/);
    expect((await h.run('root', 'qprocess rds01 csrss.exe /system')).summary).toMatch(/^rds01: \d+ processes of csrss\.exe in \d+ sessions?\.$/);
    expect((await h.run('root', 'qprocess rds01 mspaint.exe')).summary).toBe('rds01: no mspaint.exe running.');
  });

  it('needs query on the server, like qwinsta', async () => {
    const h = makeHarness();
    const seen = countListings(h);
    expect((await h.run('bob', 'qprocess rds02 3')).summary).toBe('Denied: you lack "query" on rds02.');
    expect((await h.run('mallory', 'qprocess rds01 3')).status).toBe('denied');
    expect(seen.calls).toBe(0);
    expect(h.audit.records.at(-1)).toMatchObject({ verb: 'qprocess', decision: 'denied', action: 'query' });
  });

  it("error 5 says the bot's account must be a local administrator there, exit code 4, audited with the code", async () => {
    const h = makeHarness();
    h.fleet.setProcessFailure('rds01', WIN32.ACCESS_DENIED);
    const r = await h.run('root', 'qprocess rds01 3');
    expect(r).toMatchObject({ status: 'failed', private: true });
    expect(r.summary).toBe("rds01: access denied (error 5): the bot's Windows account must be a local administrator on that server to see other users' programs");
    expect(exitCodeOf(r.status)).toBe(4);
    expect(h.audit.records.at(-1)).toMatchObject({ verb: 'qprocess', outcome: 'failed', errorCode: 5 });
    expect((await h.run('root', 'qprocess rds05 3')).summary).toMatch(/^rds05: unreachable \(RPC 1722\)/);
  });
});

describe('the programs open in a logoff prompt', () => {
  const WORK: SimProcessSpec[] = [
    { image: 'csrss.exe', ...SYSTEM },
    { image: 'explorer.exe', ...JDOE },
    { image: 'rdpclip.exe', ...JDOE },
    { image: 'WINWORD.EXE', ...JDOE },
    { image: 'EXCEL.EXE', ...JDOE },
    ...Array.from({ length: 14 }, () => ({ image: 'chrome.exe', ...JDOE })),
  ];

  it('a logoff prompt says which programs are open, grouped with counts; the logoff goes on as confirmed', async () => {
    const h = makeHarness();
    h.fleet.setProcesses('rds01', 3, WORK);
    const r = await h.run('root', 'rwinsta rds01 3');
    expect(r.status).toBe('confirm');
    expect(textOf(r)).toContain('Open: WINWORD.EXE, EXCEL.EXE, chrome.exe \u00d714');
    // Between the sessions and what will happen.
    expect(r.sections.map((s) => s.kind)).toEqual(['sessions', 'text', 'text']);
    expect(renderText(r)).toMatch(/CORP\\jdoe\s+3\s+Active[^]*\n\nOpen: WINWORD\.EXE[^]*\n\nTheir programs close/);
    const done = await h.bot.confirm(confirmationId(r), h.as('root'));
    expect(done.summary).toMatch(/^Logged off session 3 \(CORP\\jdoe\) on rds01/);
  });

  it('a session with only the shell says so', async () => {
    const h = makeHarness();
    h.fleet.setProcesses('rds01', 3, WORK.slice(0, 3));
    expect(textOf(await h.run('root', 'rwinsta rds01 3'))).toContain('Open: no programs besides the Windows shell');
  });

  it('not there within the bound: the prompt says so and is shown anyway, and can be confirmed', async () => {
    const h = makeHarness();
    h.fleet.listProcesses = () => new Promise(() => {});
    h.timer.instant = true;
    const r = await h.run('root', 'rwinsta rds01 3');
    expect(r.status).toBe('confirm');
    expect(textOf(r)).toContain('Open programs: not known yet: rds01 did not list them within 2 s (qprocess rds01 3 shows them).');
    expect((await h.bot.confirm(confirmationId(r), h.as('root'))).status).toBe('ok');
  });

  it('the bound is the timer: the prompt waits for the listing until the timer elapses, then no longer', async () => {
    const h = makeHarness();
    let answer: (() => void) | undefined;
    const list = h.fleet.listProcesses.bind(h.fleet);
    h.fleet.listProcesses = (server, id) => new Promise((resolve) => (answer = () => void list(server, id).then(resolve)));
    const pending = h.run('root', 'rwinsta rds01 3');
    await expect.poll(() => h.timer.waiting).toBe(1);
    h.timer.elapse();
    const r = await pending;
    expect(textOf(r)).toContain('Open programs: not known yet: rds01 did not list them within 2 s (qprocess rds01 3 shows them).');
    // The listing that comes late changes nothing.
    answer?.();
    expect(h.timer.waiting).toBe(0);
  });

  it('in time, the wait is called off: no timer is left running', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds01 3');
    expect(textOf(r).some((l) => l.startsWith('Open: OUTLOOK.EXE'))).toBe(true);
    expect(h.timer.waiting).toBe(0);
  });

  it("on error 5 it says the bot's account needs to be a local administrator there; other errors are named", async () => {
    const h = makeHarness();
    h.fleet.setProcessFailure('rds01', WIN32.ACCESS_DENIED);
    const r = await h.run('root', 'rwinsta rds01 3');
    expect(r.status).toBe('confirm');
    expect(textOf(r)).toContain("Open programs: not shown: the bot's Windows account needs to be a local administrator on rds01 to see another user's programs.");
    expect((await h.bot.confirm(confirmationId(r), h.as('root'))).status).toBe('ok');
    h.fleet.setProcessFailure('rds01', WIN32.RPC_SERVER_TOO_BUSY);
    expect(textOf(await h.run('root', 'rwinsta rds01 4'))).toContain('Open programs: not shown: rds01: too busy (RPC 1723): the server is too busy to answer RPC calls; retry in a minute');
  });

  it('several sessions: one line each, from one listing of the server', async () => {
    const h = makeHarness();
    const seen = countListings(h);
    h.fleet.setProcesses('rds01', 2, [{ image: 'explorer.exe', ...JDOE }]);
    h.fleet.setProcesses('rds01', 3, WORK);
    const r = await h.run('root', 'rwinsta rds01 2,3');
    expect(textOf(r).slice(0, 2)).toEqual(['Open in session 2 (CORP\\asmith): nothing besides the Windows shell', 'Open in session 3 (CORP\\jdoe): WINWORD.EXE, EXCEL.EXE, chrome.exe \u00d714']);
    expect(seen.calls).toBe(1);
  });

  it('a long list is cut with a count, per session and over all sessions', async () => {
    const h = makeHarness({ settings: { bulkMax: 200 } });
    for (let i = 0; i < 60; i++) h.fleet.logon('rds04', `user${i}`, { state: 'Disconnected' });
    const sessions = (await h.fleet.listSessions('rds04')).filter((s) => s.state === 'Disconnected' && s.id !== 0);
    for (const s of sessions) h.fleet.setProcesses('rds04', s.id, Array.from({ length: 20 }, (_, i) => ({ image: `LineOfBusinessApplication${i}.exe`, user: s.user, domain: 'CORP', sid: `S-1-5-21-1-2-3-${1000 + s.id}` })));
    const r = await h.run('root', 'rwinsta /server:rds04 /disc');
    const open = r.sections[1];
    if (open?.kind !== 'text') throw new Error('expected the programs after the sessions');
    expect(open.text.length).toBeLessThanOrEqual(MAX_PROGRAMS_TEXT);
    const lines = open.text.split('\n');
    expect(lines[0]).toMatch(/^Open in session 3 \(CORP\\hsato\): LineOfBusinessApplication0\.exe, .*LineOfBusinessApplication11\.exe and 8 more$/);
    expect(lines.at(-1)).toMatch(/^…and the programs of \d+ more sessions: qprocess rds04 \* shows them\.$/);
    const shown = lines.length - 1;
    expect(Number(/of (\d+) more/.exec(lines.at(-1) ?? '')?.[1]) + shown).toBe(sessions.length);
  });

  it('only a logoff asks for them: not a disconnect, a message, nor a forced logoff', async () => {
    const h = makeHarness();
    const seen = countListings(h);
    expect(textOf(await h.run('root', 'tsdiscon rds01 3')).some((l) => l.startsWith('Open'))).toBe(false);
    expect((await h.run('root', 'msg rds01 * hello')).status).toBe('confirm');
    expect((await h.run('root', 'rwinsta rds01 3 /f')).summary).toMatch(/^Logged off session 3/);
    expect(seen.calls).toBe(0);
  });
});

describe('/idle and /logon', () => {
  it('qwinsta shows only the sessions idle, or logged on, at least that long', async () => {
    const h = makeHarness();
    const idle = await h.run('root', 'qwinsta rds04 /idle:8h');
    expect(idle.summary).toBe('rds04: 2 sessions idle 8h or more.');
    expect(renderText(idle)).toMatch(/CORP\\dbrown\s+4\s+Disc/);
    expect(renderText(idle)).not.toMatch(/hsato|gsmith|tlee/);
    expect((await h.run('root', 'qwinsta rds01 /logon:1d')).summary).toBe('rds01: 1 session logged on 1d or more.');
    expect((await h.run('root', 'qwinsta rds01 /idle:90m /logon:1d')).summary).toBe('rds01: 1 session idle 90m or more and logged on 1d or more.');
    expect((await h.run('root', 'qwinsta rds01 /idle:30d')).summary).toBe('rds01: no session idle 30d or more.');
    expect((await h.run('root', 'qwinsta jdoe /idle:1d')).summary).toBe('jdoe idle 1d or more: 1 session on 1 server (2 of 13 servers did not answer).');
  });

  it("rwinsta /disc /idle:8h takes only those, and its prompt says how many it leaves alone", async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta /server:rds04 /disc /idle:8h');
    expect(r.summary).toBe('Confirm: log off 2 disconnected sessions idle 8h or more on rds04?');
    expect(r.sections[0]).toMatchObject({ kind: 'sessions', sessions: [{ id: 4 }, { id: 5 }] });
    expect(textOf(r)).toContain('Leaves alone: 2 other disconnected sessions on rds04 (not idle 8h or more).');
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'confirmation-requested', targets: [{ id: 4 }, { id: 5 }] });
    const done = await h.bot.confirm(confirmationId(r), h.as('root'));
    expect(done.summary).toBe('Logged off 2 of 2 sessions on rds04.');
    expect((await h.fleet.listSessions('rds04')).map((s) => s.id)).toEqual(expect.arrayContaining([3, 7]));
  });

  it('a filter nothing passes has nothing to do, and says why', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'rwinsta /server:rds04 /disc /idle:30d')).summary).toBe('Nothing to do: none of the 4 disconnected sessions on rds04 is idle 30d or more.');
    expect((await h.run('root', 'rwinsta /server:server05 /disc /idle:30d')).summary).toBe('Nothing to do: the one disconnected session on server05 is not idle 30d or more.');
    expect((await h.run('root', 'rwinsta /server:rds04 /all /logon:1d /idle:1d')).summary).toBe('Confirm: log off 2 user sessions idle 1d or more and logged on 1d or more on rds04?');
  });

  it('the re-check applies the filter again: a session whose user came back is left alone', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta /server:rds04 /all /idle:8h');
    expect(r.summary).toBe('Confirm: log off 2 user sessions idle 8h or more on rds04?');
    expect(textOf(r)).toContain('Leaves alone: 4 other user sessions on rds04 (not idle 8h or more).');
    h.fleet.userInput('rds04', 4);
    const done = await h.bot.confirm(confirmationId(r), h.as('root'));
    expect(done.status).toBe('partial');
    const outcomes = done.sections.find((s) => s.kind === 'outcomes');
    expect(outcomes).toMatchObject({
      outcomes: [
        { id: 4, result: 'skipped', detail: 'session 4 is no longer idle 8h or more (idle 0 s now); left alone' },
        { id: 5, result: 'done' },
      ],
    });
    expect((await h.fleet.listSessions('rds04')).find((s) => s.id === 4)?.state).toBe('Active');
  });

  it('tsdiscon /idle disconnects every connected user session that idle, the console and the disconnected aside', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'tsdiscon /server:rds01 /idle:1h');
    expect(r.summary).toBe('Confirm: disconnect 1 session idle 1h or more on rds01?');
    expect(r.sections[0]).toMatchObject({ kind: 'sessions', sessions: [{ id: 4, user: 'pnguyen' }] });
    expect(textOf(r)).toContain('Leaves alone: 3 other connected sessions on rds01 (not idle 1h or more).');
    expect(textOf(r).some((l) => l.startsWith('Open'))).toBe(false);
    const done = await h.bot.confirm(confirmationId(r), h.as('root'));
    expect(done.summary).toMatch(/^Disconnected session 4 \(CORP\\pnguyen\) on rds01/);
  });

  it('tsdiscon /idle: a user back before the confirmation keeps their session; bulk is needed', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'tsdiscon rds01 /idle:1h');
    h.fleet.userInput('rds01', 4);
    const done = await h.bot.confirm(confirmationId(r), h.as('root'));
    expect(done.summary).toBe('Not done: session 4 is no longer idle 1h or more (idle 0 s now); left alone.');
    expect((await h.fleet.listSessions('rds01')).find((s) => s.id === 4)?.state).toBe('Active');
    // alice may disconnect on rds01 but holds no "bulk": a filter picks many sessions.
    expect((await h.run('alice', 'tsdiscon rds01 /idle:1h')).summary).toBe('Denied: you lack "bulk" on rds01.');
  });
});

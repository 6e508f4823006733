import { describe, expect, it } from 'vitest';
import { MAX_AUDIT_COMMAND } from '../../src/core/audit.js';
import { renderText } from '../../src/core/render/text.js';
import { exitCodeOf } from '../../src/core/results.js';
import type { SessionBackend } from '../../src/wts/backend.js';
import { MemoryLog, makeHarness } from '../support/core-harness.js';

/** Counts every call that reaches the backend. */
function counting(calls: string[]): (inner: SessionBackend) => SessionBackend {
  return (inner) =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function' || prop === 'knownServers' || prop === 'close') return v;
        return (...args: unknown[]) => {
          calls.push(`${String(prop)} ${String(args[0])}`);
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

describe("quser prints quser's layout, user sessions only", () => {
  it('on one server: no console, services or listener rows', async () => {
    const h = makeHarness();
    const r = await h.run('bob', 'quser rds01');
    expect(r.summary).toBe('rds01: 5 user sessions.');
    const text = renderText(r, { timeZone: 'UTC' });
    expect(text).toMatch(/^USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+IDLE TIME\s+LOGON TIME \(UTC\)$/m);
    expect(text).toMatch(/^jdoe\s+RDP-Tcp#7\s+3\s+Active\s+17\s+2026-11-25 07:25$/m);
    expect(text).not.toMatch(/console|services|rdp-tcp\s/);
    expect(text).not.toMatch(/hidden/);
  });
  it('query user <user> finds them across servers in the same layout', async () => {
    const h = makeHarness();
    const text = renderText(await h.run('alice', 'query user jdoe'), { timeZone: 'UTC' });
    expect(text).toMatch(/^SERVER\s+USERNAME\s+SESSIONNAME\s+ID\s+STATE\s+IDLE TIME\s+LOGON TIME \(UTC\)$/m);
    expect(text).toMatch(/^rds02\s+jdoe\s+5\s+Disc\s+1\+02:40/m);
  });
});

describe('servers are told apart from users before anything is searched', () => {
  it('a DNS name the caller cannot reach is not a server this bot knows: exit 2, private, nothing searched', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: counting(calls) });
    const r = await h.run('alice', 'qwinsta rds01.corp.example.com');
    expect(r).toMatchObject({ status: 'usage', private: true });
    expect(r.summary).toMatch(/^Error: rds01\.corp\.example\.com is not a server this bot knows; servers: rds01, rds02/);
    expect(exitCodeOf(r.status)).toBe(2);
    expect(calls).toEqual([]);
  });
  it('with a grant on every server (*) a DNS name or an IP address is listed, never searched for as a user', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: counting(calls) });
    const r = await h.run('root', 'qwinsta /server:10.0.0.5');
    expect(r.summary).toMatch(/^10\.0\.0\.5: unreachable \(RPC 1722\)/);
    expect(calls).toEqual(['listSessions 10.0.0.5']);
  });
  it('rwinsta <user> without a default server asks which server (exit 2), not "you lack query"', async () => {
    const h = makeHarness();
    const r = await h.run('alice', 'rwinsta jdoe');
    expect(r.status).toBe('usage');
    expect(r.summary).toMatch(/which server\?/);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'invalid', verb: 'rwinsta' });
  });
  it('a word mixing scripts is refused naming the character, privately, and never reaches a server', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: counting(calls) });
    const r = await h.run('root', 'qwinsta rdѕ01');
    expect(r).toMatchObject({ status: 'usage', private: true, summary: 'Error: "rdѕ01": character 3 is Cyrillic ѕ (U+0455), not Latin s; retype it in one script.' });
    expect(calls).toEqual([]);
  });
  it('a UNC path is named as one', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'qwinsta \\\\rds01\\c$')).summary).toMatch(/is a UNC path/);
  });
});

describe('/state shows the sessions of that state, listeners included', () => {
  it('/state:listen lists the listener that /v shows', async () => {
    const h = makeHarness();
    const r = await h.run('bob', 'qwinsta rds01 /state:listen');
    expect(r.summary).toBe('rds01: 1 session in state Listen.');
    expect(renderText(r)).toMatch(/^rdp-tcp\s+65536\s+Listen/m);
  });
  it('/state:disc does not add the services session', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'qwinsta rds04 /state:disc')).summary).toBe('rds04: 4 sessions in state Disconnected.');
  });
});

describe("msg in Microsoft's order, through the bot", () => {
  it('msg jdoe /server:rds01 hi, msg 3 /server:rds01 hi, msg rds01 3 /time:30 hi', async () => {
    const h = makeHarness();
    for (const line of ['msg jdoe /server:rds01 hi', 'msg 3 /server:rds01 hi', 'msg rds01 3 /time:30 hi']) {
      expect((await h.run('root', line)).status).toBe('ok');
    }
    expect(h.fleet.messages.map((m) => [m.server, m.id, m.text])).toEqual([
      ['rds01', 3, 'hi'],
      ['rds01', 3, 'hi'],
      ['rds01', 3, 'hi'],
    ]);
  });
  it('msg * /server:rds01 /w asks first, then sends to every user session', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'msg * /server:rds01 /w Reboot at six');
    expect(ask.summary).toBe('Confirm: send the message to 5 sessions on rds01?');
    const done = await h.bot.confirm(ask.confirmation?.id ?? '', h.as('root'));
    expect(done.summary).toBe('Sent the message to 5 of 5 sessions on rds01.');
    expect(h.fleet.messages.every((m) => m.text === 'Reboot at six')).toBe(true);
  });
  it("msg @<file> (Microsoft's list of names in a file) says what to give instead, and sends nothing", async () => {
    const h = makeHarness();
    for (const line of ['msg @users.txt /server:rds01 hi', 'msg rds01 @users.txt hi']) {
      const r = await h.run('root', line);
      expect(r.status).toBe('usage');
      expect(r.summary).toBe(
        `Error: "@users.txt": Microsoft's msg @<file> reads the names from a file on the computer running msg, which a chat command has not got; name a session or user (msg jdoe /server:rds01 <text>), or * for every user session.`,
      );
    }
    expect(h.fleet.messages).toHaveLength(0);
    // Quoted, it is a name like any other (and no account has that one).
    expect((await h.run('root', 'msg "@users.txt" /server:rds01 hi')).summary).not.toMatch(/msg @<file>/);
  });
});

describe('the audit trail', () => {
  it('a denial, an invalid command, a cancel or an expiry that cannot be recorded is logged, never swallowed', async () => {
    const log = new MemoryLog();
    const h = makeHarness({ log });
    h.audit.failWith = new Error('ENOSPC: no space left on device');
    expect((await h.run('bob', 'rwinsta rds01 3')).status).toBe('denied');
    expect((await h.run('bob', 'rwinsta /frobnicate')).status).toBe('usage');
    expect(log.lines).toHaveLength(2);
    expect(log.lines[0]).toMatch(/^error audit: could not write the "denied" record of request id\d+ by console user bob \(ENOSPC: no space left on device\); command: \/rwinsta rds01 3$/);
    expect(log.lines[1]).toMatch(/"invalid" record/);
    h.audit.failWith = undefined;
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.audit.failWith = new Error('EACCES');
    expect((await h.bot.cancel(ask.confirmation?.id ?? '', h.as('root'))).status).toBe('cancelled');
    h.audit.failWith = undefined;
    const ask2 = await h.run('root', 'rwinsta rds01 2');
    h.clock.advance(h.bot.settings.confirmTtlMs);
    h.audit.failWith = new Error('EIO');
    expect(await h.bot.sweepExpired()).toHaveLength(1);
    expect(log.lines.slice(2).map((l) => /"(\w[\w-]*)" record/.exec(l)?.[1])).toEqual(['cancelled', 'expired']);
    expect(ask2.status).toBe('confirm');
  });
  it('stores the command cut at the limit, with its original length', async () => {
    const h = makeHarness();
    const long = `rds01 ${'x'.repeat(5000)}`;
    await h.run('root', `qwinsta ${long}`);
    const rec = h.audit.records.at(-1);
    expect(rec?.command).toHaveLength(MAX_AUDIT_COMMAND);
    expect(rec?.commandLength).toBe(`/qwinsta ${long}`.length);
    await h.run('root', 'qwinsta rds01');
    expect(h.audit.records.at(-1)).not.toHaveProperty('commandLength');
  });
  it('help is shown even when the audit log cannot be written: help touches nothing', async () => {
    const h = makeHarness();
    h.audit.failWith = new Error('EROFS');
    const r = await h.run('bob', 'help');
    expect(r.status).toBe('help');
    expect(renderText(r)).toMatch(/rwinsta <server> <session>/);
  });
});

describe('usage, help and examples name the commands as they are typed where the caller is', () => {
  it("Slack's configured names: /rdmsg, not msg (Slack's own); no console-only names or help verb", async () => {
    const h = makeHarness();
    h.bot.useCommandNames('slack', { qwinsta: '/qwinsta', quser: '/quser', rwinsta: '/rwinsta', tsdiscon: '/tsdiscon', msg: '/rdmsg' });
    const slack = { platform: 'slack' as const, userId: 'UADMIN1', userName: 'admin', groups: [] };
    const bad = await h.bot.handle({ caller: slack, verb: 'msg', text: 'rds01' });
    const text = renderText(bad);
    expect(bad.summary).toBe('Error: whom to on rds01? e.g. /rdmsg rds01 3 Please save your work (/qwinsta rds01 lists the sessions).');
    expect(text).toMatch(/^ {2}\/rdmsg <server> <session \| user \| \*>/m);
    expect(text).not.toMatch(/^ {2}msg /m);
    const help = renderText(await h.bot.handle({ caller: slack, verb: 'rwinsta', text: '/?' }));
    expect(help).toMatch(/^\/rwinsta: Log off \(reset\) a Remote Desktop session$/m);
    expect(help).not.toMatch(/reset session/);
    const all = renderText(await h.bot.handle({ caller: slack, verb: 'qwinsta', text: 'help' }));
    expect(all).toMatch(/^Help: \/qwinsta$/m);
    const unknown = await h.bot.handle({ caller: slack, verb: 'frob', text: '' });
    expect(unknown.summary).toBe('Error: unknown command "frob"; the commands are /qwinsta, /quser, /rwinsta, /tsdiscon, /rdmsg.');
    const ambiguous = await h.bot.handle({ caller: slack, verb: 'msg', text: 'rds03 mkhan hi' });
    expect(ambiguous.summary).toMatch(/e\.g\. \/rdmsg rds03 2\.$/);
    // The console is unchanged.
    expect((await h.run('root', 'msg rds01')).summary).toMatch(/e\.g\. msg rds01 3/);
  });
  it('the help of every command, in chat, ends by saying how to get one command\'s details', async () => {
    const h = makeHarness();
    h.bot.useCommandNames('discord', { qwinsta: '/qwinsta', quser: '/quser', rwinsta: '/rwinsta', tsdiscon: '/tsdiscon', msg: '/msg' });
    const discord = { platform: 'discord' as const, userId: '222222222222222222', userName: 'bob', groups: [] };
    const all = renderText(await h.bot.handle({ caller: discord, verb: 'help', text: '' }));
    expect(all).toMatch(/Add \/\? to a command for its details, e\.g\. \/rwinsta \/\?/);
    expect(all).not.toMatch(/^help:/m);
  });
});

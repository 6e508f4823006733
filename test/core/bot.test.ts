import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/core/render/text.js';
import { exitCodeOf, type Reply } from '../../src/core/results.js';
import { makeHarness } from '../support/core-harness.js';

function confirmationId(r: Reply): string {
  if (!r.confirmation) throw new Error(`expected a confirmation, got ${r.status}: ${r.summary}`);
  return r.confirmation.id;
}

describe('list and find', () => {
  it('lists a server as a quser-style table, hiding services and listeners unless /v', async () => {
    const h = makeHarness();
    const r = await h.run('bob', 'qwinsta rds01');
    expect(r.status).toBe('ok');
    expect(r.summary).toBe('rds01: 6 sessions.');
    const text = renderText(r, { timeZone: 'UTC' });
    expect(text).toMatch(/^SESSIONNAME\s+USERNAME\s+ID\s+STATE\s+IDLE\s+LOGON \(UTC\)\s+CLIENT$/m);
    expect(text).toMatch(/^RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active\s+17\s+2026-11-25 07:25\s+WS-JDOE-01$/m);
    expect(text).toMatch(/2 system sessions hidden/);
    expect(text).toMatch(/simulated fleet/);
    const verbose = renderText(await h.run('bob', 'qwinsta rds01 /v'));
    expect(verbose).toMatch(/^services\s+0\s+Disc/m);
    expect(verbose).toMatch(/enumerated the sessions on rds01/);
  });
  it('filters by user, session name, ID and state', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'qwinsta rds04 /state:disc')).summary).toBe('rds04: 4 sessions in state Disconnected.');
    expect((await h.run('root', 'qwinsta rds01 jdoe')).summary).toBe('rds01: 1 session matching "jdoe".');
    expect((await h.run('root', 'qwinsta rds02 RDP-Tcp#7')).summary).toBe('rds02: 1 session matching "RDP-Tcp#7".');
    expect((await h.run('root', 'qwinsta rds01 42')).summary).toBe('rds01: no session matching session 42.');
  });
  it('a down server fails the list with the operator sentence', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'qwinsta rds05');
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('rds05: unreachable (RPC 1722): is it up, and is RPC open in its firewall?');
    expect(h.audit.records.at(-1)).toMatchObject({ verb: 'qwinsta', action: 'query', server: 'rds05', outcome: 'failed', errorCode: 1722 });
  });
  it('finds a user across the servers the caller may query; down servers are reported beside the results', async () => {
    const h = makeHarness();
    const r = await h.run('alice', 'qwinsta jdoe');
    expect(r.status).toBe('ok');
    expect(r.summary).toBe('jdoe: 2 sessions on 2 servers (2 of 6 servers did not answer).');
    const text = renderText(r);
    expect(text).toMatch(/^rds01\s+RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/m);
    expect(text).toMatch(/^rds02\s+CORP\\jdoe\s+5\s+Disc/m);
    expect(text).toMatch(/! rds05: unreachable \(RPC 1722\)/);
    expect(text).toMatch(/! rds06: access denied \(error 5\)/);
  });
  it('find with wildcards and a domain', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'qwinsta m*')).summary).toMatch(/^m\*: 3 sessions on 2 servers/);
    expect((await h.run('root', 'qwinsta OTHER\\jdoe')).summary).toMatch(/^No session of OTHER\\jdoe/);
  });
  it('find is denied when the caller may query no named server', async () => {
    const h = makeHarness();
    const r = await h.run('mallory', 'qwinsta jdoe');
    expect(r).toMatchObject({ status: 'denied', private: true });
  });
});

describe('permissions', () => {
  it('a denial says which permission on which server is missing, and nothing is read', async () => {
    const h = makeHarness();
    let reads = 0;
    const list = h.fleet.listSessions.bind(h.fleet);
    h.fleet.listSessions = async (s) => {
      reads++;
      return list(s);
    };
    const r = await h.run('bob', 'rwinsta rds01 3');
    expect(r.status).toBe('denied');
    expect(r.summary).toBe('Denied: you lack "logoff" on rds01.');
    expect(renderText(r)).toMatch(/None of your roles \(juniors\) grants "logoff" on rds01/);
    expect(reads).toBe(0);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', action: 'logoff', server: 'rds01', userId: 'bob' });
  });
  it('bulk needs the bulk permission: /disc, ID lists and msg *', async () => {
    const h = makeHarness();
    expect((await h.run('alice', 'rwinsta rds04 /disc')).summary).toBe('Denied: you lack "bulk" on rds04.');
    expect((await h.run('alice', 'rwinsta rds04 3,4')).summary).toBe('Denied: you lack "bulk" on rds04.');
    expect((await h.run('alice', 'msg rds01 * hi')).summary).toBe('Denied: you lack "bulk" on rds01.');
  });
  it('/f without the force permission asks for confirmation instead, and says why', async () => {
    const h = makeHarness();
    const r = await h.run('alice', 'tsdiscon rds01 3 /f');
    expect(r.status).toBe('confirm');
    expect(renderText(r)).toMatch(/\/f ignored: none of your roles grants "force" on rds01/);
  });
  it('/f with the force permission skips the confirmation', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds01 3 /f');
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/^Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
  });
});

describe('confirmation', () => {
  it('logging off an Active session asks first, showing server, ID, user and state; confirming acts', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    expect(ask).toMatchObject({ status: 'confirm', private: false, summary: 'Confirm: log off session 3 (CORP\\jdoe, Active) on rds01?' });
    expect(renderText(ask)).toMatch(/Their programs close and unsaved work is lost\.\nExpires in 2 min; only root can confirm/);
    expect((await h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(true);
    const done = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(done.status).toBe('ok');
    expect(done.summary).toMatch(/^Logged off session 3 \(CORP\\jdoe\) on rds01: gone after 100 ms\.$/);
    expect((await h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);
    expect(h.audit.decisions()).toEqual(['confirmation-requested', 'confirmed/intent', 'confirmed/outcome']);
  });
  it('logging off a disconnected session needs no confirmation', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds01 6');
    expect(r.status).toBe('ok');
    expect(h.audit.decisions()).toEqual(['allowed/intent', 'allowed/outcome']);
  });
  it('disconnecting always asks; a single message does not; a message to several does', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'tsdiscon rds01 6')).status).toBe('confirm');
    const msg = await h.run('root', 'msg rds01 3 Please save your work');
    expect(msg).toMatchObject({ status: 'ok', summary: 'Sent the message to session 3 (CORP\\jdoe) on rds01: sent (without /w Windows does not say whether it was read).' });
    expect(h.fleet.messages).toEqual([{ server: 'rds01', id: 3, user: 'jdoe', title: 'Message from the IT helpdesk', text: 'Please save your work' }]);
    expect((await h.run('root', 'msg rds01 2,3 hi')).status).toBe('confirm');
  });
  it('a message with /w reports what the user did; its /time reaches the backend (default 60 s)', async () => {
    const h = makeHarness();
    const seen: number[] = [];
    const send = h.fleet.sendMessage.bind(h.fleet);
    h.fleet.sendMessage = async (s, id, m) => (seen.push(m.timeoutSeconds), send(s, id, m));
    expect((await h.run('root', 'msg jdoe /server:rds01 /w /time:30 Please save')).summary).toBe('Sent the message to session 3 (CORP\\jdoe) on rds01: the user pressed OK.');
    await h.run('root', 'msg rds01 3 hi');
    expect(seen).toEqual([30, 60]);
  });
  it('only the requester can confirm; another user is refused and the confirmation survives', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    const intruder = await h.bot.confirm(confirmationId(ask), h.as('alice'));
    expect(intruder).toMatchObject({ status: 'denied', private: true, summary: 'Only root can confirm this; nothing was done.' });
    expect((await h.bot.cancel(confirmationId(ask), h.as('alice'))).status).toBe('denied');
    expect((await h.bot.confirm(confirmationId(ask), h.as('root'))).status).toBe('ok');
  });
  it('is single use: a double click acts once, even when both clicks arrive together', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    let logoffs = 0;
    const logoff = h.fleet.logoff.bind(h.fleet);
    h.fleet.logoff = async (s, id) => {
      logoffs++;
      return logoff(s, id);
    };
    const [a, b] = await Promise.all([h.bot.confirm(confirmationId(ask), h.as('root')), h.bot.confirm(confirmationId(ask), h.as('root'))]);
    expect([a.status, b.status].sort()).toEqual(['expired', 'ok']);
    // The second press is told privately; it must not replace the message with the outcome.
    expect([a, b].find((r) => r.status === 'expired')?.private).toBe(true);
    expect(logoffs).toBe(1);
  });
  it('expires: confirming late does nothing and says so; the sweeper audits and announces expiry', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.clock.advance(120_000);
    const late = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(late).toMatchObject({ status: 'expired', private: false });
    expect(late.summary).toBe('Expired: log off session 3 (CORP\\jdoe, Active) on rds01 was not confirmed within 2 min; nothing was done.');
    expect((await h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(true);

    const ask2 = await h.run('root', 'rwinsta rds01 2');
    const seen: string[] = [];
    h.bot.onConfirmationExpired((e) => seen.push(e.id));
    h.clock.advance(119_000);
    expect(await h.bot.sweepExpired()).toEqual([]);
    h.clock.advance(1_000);
    const expired = await h.bot.sweepExpired();
    expect(expired.map((e) => e.id)).toEqual([confirmationId(ask2)]);
    expect(seen).toEqual([confirmationId(ask2)]);
    expect(h.audit.records.filter((r) => r.decision === 'expired')).toHaveLength(2);
  });
  it('cancel does nothing and is audited', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta /server:rds04 /disc');
    const r = await h.bot.cancel(confirmationId(ask), h.as('root'));
    expect(r).toMatchObject({ status: 'cancelled', summary: 'Cancelled: log off 4 disconnected sessions on rds04 was not done.' });
    expect((await h.fleet.listSessions('rds04')).filter((s) => s.state === 'Disconnected' && s.id !== 0)).toHaveLength(4);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'cancelled', outcome: 'not-performed' });
  });
});

describe('the owner re-check: IDs are reused after logoff', () => {
  it('stops when the ID now belongs to another user', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.fleet.replaceSession('rds01', 3, 'mallory');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('Not done: session 3 now belongs to CORP\\mallory (was CORP\\jdoe): IDs are reused after logoff; run the command again.');
    expect((await h.fleet.querySession('rds01', 3)).user).toBe('mallory');
  });
  it('stops when the same user logged on again (a new logon time)', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.clock.advance(5_000);
    h.fleet.replaceSession('rds01', 3, 'jdoe');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.summary).toMatch(/^Not done: session 3 is a new logon/);
  });
  it('says so when the session is gone', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.fleet.removeSession('rds01', 3);
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.summary).toBe('Not done: session 3 is gone already; nothing to do.');
  });
  it('/disc skips a session that reconnected, and acts on the others', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds04 /disc');
    h.fleet.setState('rds04', 4, 'Active');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.status).toBe('partial');
    expect(r.summary).toBe('Logged off 3 of 4 sessions on rds04.');
    expect(renderText(r)).toMatch(/rds04\s+4\s+CORP\\dbrown\s+Active\s+skipped\s+session 4 reconnected since you asked \(now Active\)/);
    expect((await h.fleet.querySession('rds04', 4)).state).toBe('Active');
  });
  it('a disconnected session that became Active is not logged off', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 6,7');
    h.fleet.setState('rds01', 6, 'Active');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(renderText(r)).toMatch(/session 6 became Active since you asked \(the user is back\)/);
  });
});

describe('bulk', () => {
  it('/all logs off every user session, never session 0, the console without a user, or listeners', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta /server:server07 /all');
    expect(ask.summary).toBe('Confirm: log off 3 user sessions on server07?');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.status).toBe('ok');
    const left = (await h.fleet.listSessions('server07')).map((s) => s.id).sort((a, b) => a - b);
    expect(left).toEqual([0, 1, 65536]);
  });
  it('refuses more sessions than the configured maximum', async () => {
    const h = makeHarness({ settings: { bulkMax: 3 } });
    const r = await h.run('root', 'rwinsta rds04 /disc');
    expect(r.status).toBe('denied');
    expect(r.summary).toMatch(/4 sessions on rds04 is more than the limit of 3 .*RWINSTA_BULK_MAX/);
  });
  it('nothing to do is said plainly', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'rwinsta server03 /disc')).summary).toBe('Nothing to do: no disconnected sessions on server03.');
  });
  it('a per-session report names each outcome; a failure carries its code', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'tsdiscon rds01 1,3');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.status).toBe('partial');
    const text = renderText(r);
    expect(text).toMatch(/rds01\s+1\s+Connected\s+failed\s+rds01: console cannot be disconnected \(error 7041\)/);
    expect(text).toMatch(/rds01\s+3\s+CORP\\jdoe\s+Active\s+done/);
    expect(h.audit.records.at(-1)).toMatchObject({ phase: 'outcome', outcome: 'partial', errorCode: 7041 });
  });
});

describe('targets', () => {
  it('a user with several sessions asks which one, listing them', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds03 mkhan');
    expect(r.status).toBe('usage');
    expect(r.summary).toBe('2 sessions on rds03 match; say which by ID (2 or 4), e.g. rwinsta rds03 2.');
    expect(renderText(r)).toMatch(/CORP\\mkhan\s+4\s+Disc/);
  });
  it('session 0 and listeners are refused', async () => {
    const h = makeHarness();
    const zero = await h.run('root', 'rwinsta rds01 0');
    expect(zero).toMatchObject({ status: 'refused', private: true, summary: "Refused: session 0 on rds01 is the services session, where Windows' own services run; it is never logged off." });
    expect(exitCodeOf(zero.status)).toBe(3);
    expect((await h.run('root', 'tsdiscon rds01 65536')).summary).toBe("Refused: session 65536 (rdp-tcp) on rds01 is a listener that accepts new connections, not a user's session; it is never disconnected.");
    expect((await h.run('root', 'msg rds01 0 hi')).summary).toMatch(/^Refused: session 0 .* it is never sent messages\.$/);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', outcome: 'not-performed' });
  });
  it('an unknown ID says how to list', async () => {
    const h = makeHarness();
    expect((await h.run('root', 'rwinsta rds01 42')).summary).toBe('No session 42 on rds01; it may have ended already (qwinsta rds01 lists them).');
  });
  it('a session name resolves to its session', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta /server:rds02 RDP-Tcp#7');
    expect(ask.summary).toBe('Confirm: log off session 3 (CORP\\lchen, Active) on rds02?');
  });
});

describe('verbose and logoff verification', () => {
  it('/v reports each step with its duration', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds01 6 /v');
    const text = renderText(r);
    expect(text).toMatch(/re-read session 6 on rds01 \(0 ms\)/);
    expect(text).toMatch(/logoff of session 6 \(CORP\\bwayne\) requested \(0 ms\)/);
    expect(text).toMatch(/checked 1 time that the logged-off sessions are gone \(100 ms\)/);
  });
  it('a session still there after the bound is reported, not claimed gone', async () => {
    const h = makeHarness({ fleet: { logoffDelayMs: 60_000 } });
    const r = await h.run('root', 'rwinsta rds01 6');
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('Not done: logoff requested, but the session was still there after 2.0 s (state Down); check with qwinsta rds01 6.');
  });
  it('backend errors carry the Win32 code and sentence', async () => {
    const h = makeHarness();
    const r = await h.run('root', 'rwinsta rds06 3');
    expect(r).toMatchObject({ status: 'failed', private: true });
    expect(r.summary).toMatch(/^Not done: rds06: access denied \(error 5\): the bot's Windows account lacks Remote Desktop rights/);
  });
});

describe('audit: every request, fail closed', () => {
  it('records allowed, denied and invalid requests with who, where and what', async () => {
    const h = makeHarness();
    await h.run('root', 'qwinsta rds01');
    await h.run('bob', 'rwinsta rds01 3');
    await h.run('root', 'rwinsta rds01 3 /bogus');
    expect(h.audit.records.map((r) => [r.userId, r.decision, r.command])).toEqual([
      ['root', 'allowed', '/qwinsta rds01'],
      ['bob', 'denied', '/rwinsta rds01 3'],
      ['root', 'invalid', '/rwinsta rds01 3 /bogus'],
    ]);
    expect(h.audit.records[0]).toMatchObject({ platform: 'console', channel: 'test', simulated: true, time: '2026-11-25T09:00:00.000Z' });
  });
  it('an action is not performed when its intent record cannot be written', async () => {
    const h = makeHarness();
    h.audit.failWith = new Error('ENOSPC: no space left on device');
    const r = await h.run('root', 'rwinsta rds01 6');
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('Refused: the audit log could not be written (ENOSPC: no space left on device), so the action was not performed.');
    expect((await h.fleet.querySession('rds01', 6)).state).toBe('Disconnected');
  });
  it('a confirmation cannot be requested, nor a confirmed action run, without an audit record', async () => {
    const h = makeHarness();
    const ask = await h.run('root', 'rwinsta rds01 3');
    h.audit.failWith = new Error('EACCES');
    const r = await h.bot.confirm(confirmationId(ask), h.as('root'));
    expect(r.summary).toMatch(/^Refused: the audit log could not be written \(EACCES\)/);
    expect((await h.fleet.querySession('rds01', 3)).state).toBe('Active');
    const ask2 = await h.run('root', 'rwinsta rds01 2');
    expect(ask2.status).toBe('failed');
    expect(ask2.confirmation).toBeUndefined();
  });
  it('a query answer is withheld when it cannot be audited', async () => {
    const h = makeHarness();
    h.audit.failWith = new Error('EROFS');
    const r = await h.run('root', 'qwinsta rds01');
    expect(r.status).toBe('failed');
    expect(r.sections.some((s) => s.kind === 'sessions')).toBe(false);
  });
});

describe('rate limit on destructive actions', () => {
  it('stops a caller after N logoffs or disconnects a minute, then lets them go on', async () => {
    const h = makeHarness({ settings: { destructivePerMinute: 2 } });
    expect((await h.run('root', 'rwinsta rds04 3')).status).toBe('ok');
    expect((await h.run('root', 'rwinsta rds04 4')).status).toBe('ok');
    const third = await h.run('root', 'rwinsta rds04 5');
    expect(third.status).toBe('rate-limited');
    expect(third.summary).toMatch(/^Slow down: you may run 2 logoffs or disconnects per minute; try again in \d+ s\. Nothing was done\.$/);
    expect((await h.run('alice', 'qwinsta rds04')).status).toBe('ok');
    expect((await h.run('root', 'msg rds04 2 hi')).status).toBe('ok');
    h.clock.advance(60_000);
    expect((await h.run('root', 'rwinsta rds04 5')).status).toBe('ok');
  });
  it('is per user', async () => {
    const h = makeHarness({ settings: { destructivePerMinute: 1 } });
    expect((await h.run('root', 'rwinsta rds04 3')).status).toBe('ok');
    expect((await h.run('alice', 'rwinsta rds04 4')).status).toBe('ok');
  });
});

describe('never a stack trace', () => {
  it('a backend bug becomes an internal error reply', async () => {
    const h = makeHarness();
    h.fleet.listSessions = async () => {
      throw new TypeError('boom');
    };
    const r = await h.run('root', 'qwinsta rds01');
    expect(r.status).toBe('failed');
    expect(r.summary).toBe('rds01: internal error: boom');
    expect(renderText(r)).not.toMatch(/at .*\.ts:\d+/);
  });
  it('help is private and audited', async () => {
    const h = makeHarness();
    const r = await h.run('mallory', 'help rwinsta');
    expect(r).toMatchObject({ status: 'help', private: true });
    expect(renderText(r)).toMatch(/rwinsta <server> <session>/);
    expect(h.audit.records).toHaveLength(1);
  });
});

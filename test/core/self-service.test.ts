import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import type { IdentityResolution, IdentityResolver } from '../../src/core/ports/identity.js';
import { renderText } from '../../src/core/render/text.js';
import { exitCodeOf } from '../../src/core/results.js';
import { FULL_ACCESS, makeHarness } from '../support/core-harness.js';

/** Console users → Windows accounts; anyone else is unknown; `broken` is a directory that is down. */
class MapIdentity implements IdentityResolver {
  asked = 0;
  constructor(private readonly map: Record<string, string>) {}
  async resolve(c: Caller): Promise<IdentityResolution> {
    this.asked++;
    if (c.userId === 'broken') return { ok: false, kind: 'refused', reason: 'the directory did not answer (ldaps://dc01: ETIMEDOUT)' };
    const a = this.map[c.userId];
    if (!a) return { ok: false, kind: 'unknown', reason: `${c.userId} is not mapped to a Windows account` };
    const [domain = '', user = ''] = a.split('\\');
    return { ok: true, account: { domain, user }, source: 'test map' };
  }
}

const ACCESS = {
  ...FULL_ACCESS,
  selfService: { servers: ['rds01', 'rds02', 'rds03', 'rds05'], actions: ['query', 'logoff', 'disconnect'], members: { consoleUsers: ['jdoe-chat', 'mkhan-chat', 'broken', 'nobody-chat', 'corp-dns'] } },
};
const IDS = { 'jdoe-chat': 'CORP\\jdoe', 'mkhan-chat': 'CORP\\mkhan', 'nobody-chat': 'CORP\\nobody', 'corp-dns': 'corp.example.com\\lchen' };

function harness(access: unknown = ACCESS) {
  const identity = new MapIdentity(IDS);
  return { ...makeHarness({ access, identity }), identity };
}

describe('qwinsta me: my own sessions, on every server self-service covers', () => {
  it('shows only the resolved account\'s user sessions; others are invisible; a down server is reported', async () => {
    const h = harness();
    const r = await h.run('jdoe-chat', 'qwinsta me');
    expect(r.summary).toBe('Your sessions (CORP\\jdoe): 2 on the 4 servers self-service covers.');
    const text = renderText(r);
    expect(text).toMatch(/^rds01\s+RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/m);
    expect(text).toMatch(/^rds02\s+CORP\\jdoe\s+5\s+Disc/m);
    expect(text).not.toMatch(/asmith|lchen|pnguyen|services|console/);
    expect(text).toMatch(/! rds05: unreachable/);
    expect(r.private).toBe(true);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'allowed', action: 'query', selfService: true, account: 'CORP\\jdoe', verb: 'qwinsta' });
  });
  it('a domain matches under the names the access file gives it', async () => {
    const h = harness({ ...ACCESS, selfService: { ...ACCESS.selfService, domainAliases: { CORP: ['corp.example.com'] } } });
    const r = await h.run('corp-dns', 'qwinsta me');
    expect(r.summary).toBe('No session of yours (corp.example.com\\lchen) on the 4 servers self-service covers.');
    const h2 = harness({ ...ACCESS, selfService: { ...ACCESS.selfService, domainAliases: { 'CORP.EXAMPLE.COM': ['CORP'] } } });
    expect((await h2.run('corp-dns', 'qwinsta me')).summary).toBe('Your sessions (corp.example.com\\lchen): 1 on the 4 servers self-service covers.');
  });
});

describe('rwinsta me / tsdiscon me', () => {
  it('with one session, asks to confirm that one, then logs it off after the owner re-check', async () => {
    const h = harness();
    const ask = await h.run('mkhan-chat', 'rwinsta me rds03 4');
    expect(ask.summary).toBe('Confirm: log off session 4 (CORP\\mkhan, Disconnected) on rds03?');
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'confirmation-requested', selfService: true, account: 'CORP\\mkhan' });
    const done = await h.bot.confirm(ask.confirmation?.id ?? '', h.as('mkhan-chat'));
    expect(done.summary).toMatch(/^Logged off session 4 \(CORP\\mkhan\) on rds03: gone after/);
    expect(h.audit.records.filter((r) => r.phase).map((r) => [r.phase, r.selfService, r.account])).toEqual([
      ['intent', true, 'CORP\\mkhan'],
      ['outcome', true, 'CORP\\mkhan'],
    ]);
  });
  it('always asks, even for a disconnected session that a helpdesk logoff would end at once; /f is refused', async () => {
    const h = harness();
    expect((await h.run('jdoe-chat', 'rwinsta me rds02')).status).toBe('confirm');
    const forced = await h.run('jdoe-chat', 'rwinsta me rds02 /f');
    expect(forced).toMatchObject({ status: 'usage', summary: 'Error: self-service always asks you to confirm, so /f does not apply with me.' });
  });
  it('with several sessions, lists them and says how to pick; never bulk', async () => {
    const h = harness();
    const r = await h.run('jdoe-chat', 'tsdiscon me');
    expect(r.status).toBe('usage');
    expect(r.summary).toBe('You have 2 sessions (CORP\\jdoe); say which by server and ID, e.g. tsdiscon me rds01 3.');
    expect(renderText(r)).toMatch(/^rds02\s+CORP\\jdoe\s+5/m);
    expect((await h.run('jdoe-chat', 'rwinsta me rds02 /disc')).summary).toMatch(/\/disc is for helpdesk roles/);
  });
  it("someone else's session is never touched: an ID that is not theirs is not found", async () => {
    const h = harness();
    const r = await h.run('jdoe-chat', 'rwinsta me rds01 2');
    expect(r.summary).toBe('Nothing to do: no session 2 of yours (CORP\\jdoe) on rds01.');
    expect((await h.fleet.querySession('rds01', 2)).user).toBe('asmith');
  });
  it('the re-check before acting leaves the session alone if it became someone else\'s', async () => {
    const h = harness();
    const ask = await h.run('jdoe-chat', 'rwinsta me rds01 3');
    h.fleet.replaceSession('rds01', 3, 'asmith');
    const r = await h.bot.confirm(ask.confirmation?.id ?? '', h.as('jdoe-chat'));
    expect(r.summary).toMatch(/^Not done: session 3 now belongs to CORP\\asmith \(was CORP\\jdoe\)/);
    expect((await h.fleet.querySession('rds01', 3)).user).toBe('asmith');
  });
  it('a server self-service does not cover is denied before anything is read', async () => {
    const h = harness();
    const r = await h.run('jdoe-chat', 'rwinsta me rds04 3');
    expect(r).toMatchObject({ status: 'denied', summary: 'Denied: self-service does not cover rds04 (selfService → servers in the access file).' });
    expect(h.identity.asked).toBe(0);
  });
  it('the usual rate limit applies', async () => {
    const h = makeHarness({ access: ACCESS, identity: new MapIdentity(IDS), settings: { destructivePerMinute: 1 } });
    const first = await h.run('jdoe-chat', 'rwinsta me rds02 5');
    await h.bot.confirm(first.confirmation?.id ?? '', h.as('jdoe-chat'));
    expect((await h.run('jdoe-chat', 'rwinsta me rds01 3')).status).toBe('rate-limited');
  });
});

describe('who may, and who "me" is: deny by default, fail closed', () => {
  it('a person outside selfService is denied, even with a helpdesk role', async () => {
    const h = harness();
    const r = await h.run('alice', 'qwinsta me');
    expect(r).toMatchObject({ status: 'denied', summary: 'Denied: self-service is not open to you (selfService → members in the access file).' });
    expect(exitCodeOf(r.status)).toBe(3);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', selfService: true });
  });
  it('without a selfService block nobody has it', async () => {
    const h = harness(FULL_ACCESS);
    expect((await h.run('root', 'qwinsta me')).summary).toBe('Denied: self-service is not set up here (the access file has no selfService block).');
  });
  it('an action selfService does not list is denied', async () => {
    const h = harness({ ...ACCESS, selfService: { ...ACCESS.selfService, actions: ['query'] } });
    expect((await h.run('jdoe-chat', 'rwinsta me')).summary).toBe('Denied: self-service does not include "logoff" (selfService → actions: query).');
  });
  it('an unmapped person, or a directory that does not answer, is denied with a clear sentence and nothing is read', async () => {
    const h = harness({ ...ACCESS, selfService: { ...ACCESS.selfService, everyone: { console: true } } });
    const calls: string[] = [];
    const list = h.fleet.listSessions.bind(h.fleet);
    h.fleet.listSessions = async (s) => (calls.push(s), list(s));
    expect((await h.run('stranger', 'qwinsta me')).summary).toBe('Denied: I cannot tell which Windows account is yours: stranger is not mapped to a Windows account.');
    expect((await h.run('broken', 'rwinsta me')).summary).toBe('Denied: I cannot tell which Windows account is yours: the directory did not answer (ldaps://dc01: ETIMEDOUT).');
    expect(calls).toEqual([]);
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', selfService: true, detail: 'identity: the directory did not answer (ldaps://dc01: ETIMEDOUT)' });
  });
  it('me is reserved: a Windows account named me is written DOMAIN\\me', async () => {
    const h = harness();
    expect((await h.run('root', 'msg rds01 me hi')).summary).toMatch(/"me" means your own sessions \(self-service: qwinsta me, rwinsta me, tsdiscon me\); a Windows account named me is written with its domain, e\.g\. CORP\\me/);
    expect((await h.run('root', 'qwinsta rds01 CORP\\me')).status).toBe('ok');
  });
});

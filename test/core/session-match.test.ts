import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/core/grammar/command.js';
import { bulkSessions, filterSessions, matchesUser, refusalFor, resolveTarget } from '../../src/core/session-match.js';
import type { Session, SessionState } from '../../src/wts/session.js';

function session(id: number, name: string, user: string, state: SessionState, domain = 'CORP'): Session {
  return { server: 'rds01', id, name, user, domain: user ? domain : '', state };
}

// One server as qwinsta shows it: the system sessions, then users (two of them jdoe-like, one in another domain).
const SERVICES = session(0, 'services', '', 'Disconnected');
const CONSOLE = session(1, 'console', '', 'Connected');
const LISTENER = session(65536, 'rdp-tcp', '', 'Listen');
const JDOE = session(2, 'RDP-Tcp#6', 'jdoe', 'Active');
const J_DOE = session(3, '', 'j.doe', 'Disconnected');
const JXDOE = session(4, 'RDP-Tcp#8', 'jxdoe', 'Active', 'OTHER');
const MKHAN_ACTIVE = session(5, 'RDP-Tcp#9', 'mkhan', 'Active');
const MKHAN_DISC = session(7, '', 'MKhan', 'Disconnected');
const IDLE = session(8, 'RDP-Tcp#12', 'kpatel', 'Idle');
const ALL = [SERVICES, CONSOLE, JDOE, J_DOE, JXDOE, MKHAN_ACTIVE, MKHAN_DISC, IDLE, LISTENER];

const ids = (ss: readonly Session[]): number[] => ss.map((s) => s.id);
const user = (u: string, domain?: string): Extract<Target, { kind: 'user' }> => (domain ? { kind: 'user', user: u, domain } : { kind: 'user', user: u });

describe('user patterns: Windows wildcards, nothing else', () => {
  it('a dot is a dot: j.doe is not jxdoe, nor jdoe', () => {
    expect(ALL.filter((s) => matchesUser(s, user('j.doe')))).toEqual([J_DOE]);
  });
  it('* stands for any run of characters, ? for exactly one', () => {
    expect(ids(ALL.filter((s) => matchesUser(s, user('j*'))))).toEqual([2, 3, 4]);
    expect(ids(ALL.filter((s) => matchesUser(s, user('j?doe'))))).toEqual([3, 4]);
    expect(ids(ALL.filter((s) => matchesUser(s, user('jdoe?'))))).toEqual([]);
    expect(ids(ALL.filter((s) => matchesUser(s, user('*doe'))))).toEqual([2, 3, 4]);
  });
  it('other regular-expression characters match only themselves', () => {
    const odd = [session(2, '', 'a+b', 'Active'), session(3, '', 'aab', 'Active'), session(4, '', 'a(b)', 'Active'), session(5, '', 'ab', 'Active')];
    expect(ids(odd.filter((s) => matchesUser(s, user('a+b'))))).toEqual([2]);
    expect(ids(odd.filter((s) => matchesUser(s, user('a(b)'))))).toEqual([4]);
    expect(ids(odd.filter((s) => matchesUser(s, user('a[b]'))))).toEqual([]);
  });
  it('case-insensitive, as Windows compares account names', () => {
    expect(ids(ALL.filter((s) => matchesUser(s, user('MKHAN'))))).toEqual([5, 7]);
    expect(ids(ALL.filter((s) => matchesUser(s, { kind: 'name', name: 'JDOE' })))).toEqual([2]);
  });
  it('a domain narrows the match to that domain', () => {
    expect(ids(ALL.filter((s) => matchesUser(s, user('j*', 'other'))))).toEqual([4]);
    expect(ids(ALL.filter((s) => matchesUser(s, user('jxdoe', 'CORP'))))).toEqual([]);
  });
  it('a session without a user matches no pattern, not even *', () => {
    expect([SERVICES, CONSOLE, LISTENER].filter((s) => matchesUser(s, user('*')))).toEqual([]);
  });
  it('names compare letter by letter, so names of different lengths never match (İ is not i̇)', () => {
    const dotted = session(2, '', 'i\u0307lker', 'Active');
    expect(matchesUser(dotted, { kind: 'name', name: '\u0130lker' })).toBe(false);
    expect(matchesUser(dotted, { kind: 'name', name: 'I\u0307LKER' })).toBe(true);
  });
});

describe('listing filters', () => {
  it('by ID, by ID list, by user, by session name and by state', () => {
    expect(filterSessions(ALL, { kind: 'id', id: 3 }, undefined)).toEqual([J_DOE]);
    expect(ids(filterSessions(ALL, { kind: 'ids', ids: [8, 2, 99] }, undefined))).toEqual([2, 8]);
    expect(ids(filterSessions(ALL, user('mkhan'), undefined))).toEqual([5, 7]);
    expect(ids(filterSessions(ALL, { kind: 'name', name: 'console' }, undefined))).toEqual([1]);
    expect(ids(filterSessions(ALL, { kind: 'name', name: 'jdoe' }, undefined))).toEqual([2]);
    expect(ids(filterSessions(ALL, undefined, 'Disconnected'))).toEqual([0, 3, 7]);
    expect(ids(filterSessions(ALL, user('mkhan'), 'Disconnected'))).toEqual([7]);
    expect(ids(filterSessions(ALL, undefined, undefined))).toEqual(ids(ALL));
  });
  it('every session (*) is every user session: no services, console without a user, or listener', () => {
    expect(ids(filterSessions(ALL, { kind: 'every' }, undefined))).toEqual([2, 3, 4, 5, 7, 8]);
  });
});

describe('resolving the target of an action', () => {
  it('IDs resolve to their sessions, in the order given', () => {
    expect(resolveTarget(ALL, { kind: 'id', id: 3 }, 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [J_DOE] });
    expect(resolveTarget(ALL, { kind: 'ids', ids: [8, 2] }, 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [IDLE, JDOE] });
  });
  it('a missing ID is named, with how to list the sessions', () => {
    expect(resolveTarget(ALL, { kind: 'ids', ids: [2, 42, 43] }, 'rds01', 'logoff', 'rwinsta')).toEqual({
      ok: false,
      kind: 'not-found',
      message: 'no session 42, 43 on rds01; it may have ended already (qwinsta rds01 lists them)',
    });
  });
  it('every session (*) resolves to the user sessions only', () => {
    expect(resolveTarget(ALL, { kind: 'every' }, 'rds01', 'message', 'msg')).toEqual({ ok: true, sessions: [JDOE, J_DOE, JXDOE, MKHAN_ACTIVE, MKHAN_DISC, IDLE] });
  });
  it('every session on a server with none is "no user sessions"', () => {
    expect(resolveTarget([SERVICES, CONSOLE, LISTENER], { kind: 'every' }, 'rds01', 'message', 'msg')).toEqual({ ok: false, kind: 'not-found', message: 'no user sessions on rds01' });
  });
  it('a user with a domain resolves to that user in that domain', () => {
    expect(resolveTarget(ALL, user('jxdoe', 'OTHER'), 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [JXDOE] });
    expect(resolveTarget(ALL, user('jdoe', 'OTHER'), 'rds01', 'logoff', 'rwinsta')).toEqual({
      ok: false,
      kind: 'not-found',
      message: 'no session of OTHER\\jdoe on rds01 (qwinsta rds01 lists them)',
    });
  });
  it('a wildcard that matches nobody says whose sessions were looked for', () => {
    expect(resolveTarget(ALL, user('z*'), 'rds01', 'disconnect', 'tsdiscon')).toEqual({ ok: false, kind: 'not-found', message: 'no session of z* on rds01 (qwinsta rds01 lists them)' });
  });
  it('a name is a session name first, then a user name', () => {
    expect(resolveTarget(ALL, { kind: 'name', name: 'rdp-tcp#9' }, 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [MKHAN_ACTIVE] });
    expect(resolveTarget(ALL, { kind: 'name', name: 'JDOE' }, 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [JDOE] });
    expect(resolveTarget(ALL, { kind: 'name', name: 'nobody' }, 'rds01', 'logoff', 'rwinsta')).toEqual({
      ok: false,
      kind: 'not-found',
      message: 'no session named "nobody" on rds01 (qwinsta rds01 lists them)',
    });
  });
  it('a user or name that matches several sessions asks which, listing them', () => {
    expect(resolveTarget(ALL, { kind: 'name', name: 'mkhan' }, 'rds01', 'logoff', 'rwinsta')).toEqual({
      ok: false,
      kind: 'ambiguous',
      message: '2 sessions on rds01 match; say which by ID (5 or 7), e.g. rwinsta rds01 5',
      candidates: [MKHAN_ACTIVE, MKHAN_DISC],
    });
    expect(resolveTarget(ALL, user('j*'), 'rds01', 'disconnect', 'tsdiscon')).toMatchObject({ ok: false, kind: 'ambiguous', message: expect.stringMatching(/^3 sessions .*\(2 or 3 or 4\), e\.g\. tsdiscon rds01 2$/) });
  });
  it('an ID list may name several sessions without asking', () => {
    expect(resolveTarget(ALL, { kind: 'ids', ids: [5, 7] }, 'rds01', 'logoff', 'rwinsta')).toEqual({ ok: true, sessions: [MKHAN_ACTIVE, MKHAN_DISC] });
  });
  it('session 0 and listeners are refused, by ID or by name, with the reason', () => {
    expect(resolveTarget(ALL, { kind: 'id', id: 0 }, 'rds01', 'logoff', 'rwinsta')).toEqual({
      ok: false,
      kind: 'refused',
      message: "session 0 on rds01 is the services session, where Windows' own services run; it is never logged off",
    });
    expect(resolveTarget(ALL, { kind: 'ids', ids: [2, 65536] }, 'rds01', 'disconnect', 'tsdiscon')).toEqual({
      ok: false,
      kind: 'refused',
      message: "session 65536 (rdp-tcp) on rds01 is a listener that accepts new connections, not a user's session; it is never disconnected",
    });
    expect(resolveTarget(ALL, { kind: 'name', name: 'services' }, 'rds01', 'message', 'msg')).toMatchObject({ ok: false, kind: 'refused' });
  });
  it('a user session may be acted on', () => {
    expect(refusalFor(JDOE, 'logoff')).toBeUndefined();
    expect(refusalFor(CONSOLE, 'disconnect')).toBeUndefined();
  });
});

describe('/disc and /all: the sessions the plan holds', () => {
  it('/disc chooses the disconnected user sessions only: never an Active, Idle or Connected one, nor session 0', () => {
    expect(bulkSessions(ALL, 'disconnected')).toEqual([J_DOE, MKHAN_DISC]);
  });
  it('/all chooses every user session, whatever its state, and no system session', () => {
    expect(bulkSessions(ALL, 'all')).toEqual([JDOE, J_DOE, JXDOE, MKHAN_ACTIVE, MKHAN_DISC, IDLE]);
  });
  it('a server with no disconnected sessions gives /disc nothing', () => {
    expect(bulkSessions([SERVICES, CONSOLE, JDOE, IDLE, LISTENER], 'disconnected')).toEqual([]);
  });
});

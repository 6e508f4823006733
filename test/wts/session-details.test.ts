import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionBackend } from '../../src/wts/backend.js';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import type { Session } from '../../src/wts/session.js';
import { SimulatedFleet, type SessionDetail } from '../../src/wts/simulated/fleet.js';
import { INFO, type FakeWtsControl } from '../native/fake-wts-control.js';
import { fakeWts, rejection, skipWithoutGcc } from './wts-harness.js';

/** One server both backends hold alike: the fake's standardServer, and the same sessions in the fleet. */
const STANDARD_SPEC = {
  name: 'rds01',
  sessions: [
    { id: 0, name: 'services', state: 'Disconnected' as const },
    { id: 1, name: 'console', state: 'Connected' as const },
    { id: 65536, name: 'rdp-tcp', state: 'Listen' as const },
    { id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active' as const, client: 'WS-JDOE-01', address: '10.20.1.31', logonMinutesAgo: 95, idleMinutes: 17 },
    { id: 5, name: '', user: 'bwayne', domain: 'CORP', state: 'Disconnected' as const, logonMinutesAgo: 1500, idleMinutes: 130 },
  ],
};

interface Subject {
  backend: SessionBackend;
  /** Makes reading `detail` fail with `code`, for one session or all. */
  fail(detail: SessionDetail, code: number, session?: number): void;
}

const CLASS: Record<SessionDetail, number> = { sessionInfo: INFO.SessionInfo, clientName: INFO.ClientName, clientAddress: INFO.ClientAddress };
const byId = (sessions: Session[], id: number): Session | undefined => sessions.find((s) => s.id === id);

/** The same expectations on both backends: the simulated fleet must fail (and not fail) as the binding does. */
function detailFailureCases(subject: () => Subject): void {
  it('a detail no session will give (ClientAddress: 50 on an old host) blanks that column; the listing succeeds', async () => {
    const { backend, fail } = subject();
    fail('clientAddress', 50);
    const sessions = await backend.listSessions('rds01');
    expect(sessions).toHaveLength(5);
    const jdoe = byId(sessions, 3);
    expect(jdoe).toMatchObject({ user: 'jdoe', clientName: 'WS-JDOE-01' });
    expect(jdoe?.clientAddress).toBeUndefined();
    expect(Math.round((jdoe?.idleMs ?? -1) / 60_000)).toBe(17);
  });

  it('SessionInfo refused for one session: that session has no times or idle, the others keep theirs', async () => {
    const { backend, fail } = subject();
    fail('sessionInfo', 50, 3);
    const sessions = await backend.listSessions('rds01');
    const jdoe = byId(sessions, 3);
    expect(jdoe).toMatchObject({ name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active', clientName: 'WS-JDOE-01', clientAddress: '10.20.1.31' });
    expect(jdoe?.logonTime).toBeUndefined();
    expect(jdoe?.idleMs).toBeUndefined();
    expect(Math.round((byId(sessions, 5)?.idleMs ?? -1) / 60_000)).toBe(130);
  });

  it.each([5, 7045])('ClientName refused with %i on one protected session: no client name, the rest shown', async (code) => {
    const { backend, fail } = subject();
    fail('clientName', code, 3);
    const jdoe = byId(await backend.listSessions('rds01'), 3);
    expect(jdoe?.clientName).toBeUndefined();
    expect(jdoe).toMatchObject({ clientAddress: '10.20.1.31', user: 'jdoe' });
    expect(jdoe?.logonTime).toBeInstanceOf(Date);
  });

  it.each([6, 1460, 1722, 1723, 1726, 1727])('%i on one session means the server is gone: the listing fails', async (code) => {
    const { backend, fail } = subject();
    fail('sessionInfo', code, 5);
    const e = await rejection(backend.listSessions('rds01'));
    expect(e).toMatchObject({ code, server: 'rds01', operation: 'list' });
  });

  it('7022 still means the session ended meanwhile: it is listed as enumerated, without details', async () => {
    const { backend, fail } = subject();
    fail('sessionInfo', 7022, 3);
    const jdoe = byId(await backend.listSessions('rds01'), 3);
    expect(jdoe).toEqual({ server: 'rds01', id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active' });
  });

  it('querySession (the re-check before acting) needs SessionInfo and fails without it, but not without the client', async () => {
    const { backend, fail } = subject();
    fail('clientAddress', 50, 3);
    const jdoe = await backend.querySession('rds01', 3);
    expect(jdoe).toMatchObject({ user: 'jdoe', clientName: 'WS-JDOE-01' });
    expect(jdoe.clientAddress).toBeUndefined();
    fail('sessionInfo', 50, 3);
    expect(await rejection(backend.querySession('rds01', 3))).toMatchObject({ code: 50, operation: 'query' });
    expect((await backend.querySession('rds01', 5)).user).toBe('bwayne');
  });

  it('a session ending between the two reads of querySession is 7022, as a session that is gone', async () => {
    const { backend, fail } = subject();
    fail('clientName', 7022, 3);
    expect(await rejection(backend.querySession('rds01', 3))).toMatchObject({ code: 7022, operation: 'query' });
  });
}

describe.skipIf(skipWithoutGcc())('per-session details on the koffi binding (the fake wtsapi32)', () => {
  let fake: FakeWtsControl;
  let backend: ReturnType<typeof createWtsBackend>;

  beforeAll(async () => {
    const built = fakeWts();
    fake = built.fake;
    backend = createWtsBackend({ libraryPath: built.lib, timeoutMs: 15_000, threads: 2, maxAbandonedThreads: 2 });
    await backend.warmUp(2);
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(() => {
    fake.releaseHangs();
    fake.reset();
    fake.standardServer('rds01');
  });

  detailFailureCases(() => ({
    backend,
    fail: (detail, code, session) => fake.failureFor('rds01', 'query', session === undefined ? { infoClass: CLASS[detail] } : { infoClass: CLASS[detail], session }, code),
  }));

  it('a failure aimed at one info class and one session hits nothing else', async () => {
    fake.failureFor('rds01', 'query', { infoClass: INFO.ClientName, session: 3 }, 5);
    expect((await backend.querySession('rds01', 3)).clientName).toBeUndefined();
    fake.session('rds01', { id: 7, state: 0, station: 'RDP-Tcp#9', user: 'asmith', domain: 'CORP', client: 'WS-ASMITH-01' });
    expect((await backend.querySession('rds01', 7)).clientName).toBe('WS-ASMITH-01');
  });

  it('on the older enumeration, a session that ended before its user was read is left out; a refused user name fails', async () => {
    fake.opFailure('rds01', 'enumex', 1745);
    fake.failureFor('rds01', 'query', { infoClass: INFO.UserName, session: 5 }, 7022);
    const sessions = await backend.listSessions('rds01');
    expect(sessions.map((s) => s.id)).toEqual([0, 1, 65536, 3]);
    expect(fake.calls('enum')).toBe(1);
    fake.failureFor('rds01', 'query', { infoClass: INFO.UserName, session: 5 }, 5);
    expect((await rejection(backend.listSessions('rds01'))).code).toBe(5);
  });

  it('every buffer of the failed and the blanked reads is freed', async () => {
    fake.failureFor('rds01', 'query', { infoClass: INFO.ClientAddress }, 50);
    fake.failureFor('rds01', 'query', { infoClass: INFO.SessionInfo, session: 5 }, 1726);
    for (let i = 0; i < 50; i++) {
      await backend.querySession('rds01', 3);
      await backend.listSessions('rds01').catch(() => undefined);
    }
    expect(fake.outstanding()).toBe(0);
    expect(fake.badFrees()).toBe(0);
    expect(fake.openHandles()).toBe(0);
  });
});

describe('per-session details on the simulated fleet', () => {
  let fleet: SimulatedFleet;
  beforeEach(() => {
    fleet = new SimulatedFleet({ servers: [STANDARD_SPEC] });
  });

  detailFailureCases(() => ({ backend: fleet, fail: (detail, code, session) => fleet.setDetailFailure('rds01', detail, code, session) }));

  it('a scripted failure is cleared with undefined', async () => {
    fleet.setDetailFailure('rds01', 'sessionInfo', 1722, 3);
    expect((await rejection(fleet.listSessions('rds01'))).code).toBe(1722);
    fleet.setDetailFailure('rds01', 'sessionInfo', undefined, 3);
    expect(byId(await fleet.listSessions('rds01'), 3)?.logonTime).toBeInstanceOf(Date);
  });
});

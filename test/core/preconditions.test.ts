import { describe, expect, it } from 'vitest';
import type { Action } from '../../src/core/actions.js';
import { AuditTrail } from '../../src/core/audit-trail.js';
import type { Caller } from '../../src/core/caller.js';
import { ChannelBook } from '../../src/core/channel-book.js';
import { CONSOLE_NAMES } from '../../src/core/command-names.js';
import { silentLogger } from '../../src/core/logger.js';
import { Policy } from '../../src/core/policy/policy.js';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import {
  ACT_PRECONDITIONS,
  PLAN_PRECONDITIONS,
  PRECONDITIONS,
  bulk,
  permission,
  rate,
  runPreconditions,
  someServer,
  type PreconditionDeps,
  type Subject,
} from '../../src/core/preconditions.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { ReplyFactory } from '../../src/core/replies.js';
import type { RequestContext } from '../../src/core/request.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { FULL_ACCESS, ManualClock, MemoryAudit } from '../support/core-harness.js';

const WITH_MESSENGERS = {
  ...FULL_ACCESS,
  roles: { ...FULL_ACCESS.roles, messengers: { grants: [{ actions: ['message'], servers: ['web*'] }], members: { consoleUsers: ['mona'] } } },
};

function deps(perMinute = 2, permitted: string[] = ['rds01']): PreconditionDeps & { clock: ManualClock } {
  const clock = new ManualClock();
  return {
    policy: new Policy(buildAccessModel(WITH_MESSENGERS)),
    rate: new RateLimiter(new MemoryStateStore(() => clock.now()), perMinute),
    replies: new ReplyFactory(false),
    clock,
    channels: new ChannelBook(),
    permitted: () => permitted,
  };
}

function request(user: string): RequestContext {
  const caller: Caller = { platform: 'console', userId: user, userName: user, groups: [] };
  return { requestId: 'r1', caller, command: '/x', startedAt: 0, names: CONSOLE_NAMES };
}

const on = (action: Action, server: string | undefined, more: Partial<Subject> = {}): Subject => ({ action, ...(server ? { server } : {}), multi: false, acting: false, ...more });

describe('the checks each command passes, in order', () => {
  it('by kind: listing needs the permission, a search a server, acting the permission, bulk and the rate (messages have no rate)', () => {
    const names = Object.fromEntries(Object.entries(PRECONDITIONS).map(([k, list]) => [k, list.map((p) => p.name)]));
    expect(names).toEqual({
      help: [],
      list: ['permission'],
      find: ['some-server'],
      processes: ['permission'],
      logoff: ['permission', 'bulk', 'reason', 'approver-reachable', 'rate'],
      'bulk-logoff': ['permission', 'bulk', 'reason', 'approver-reachable', 'rate'],
      disconnect: ['permission', 'bulk', 'reason', 'approver-reachable', 'rate'],
      message: ['permission', 'bulk', 'reason', 'approver-reachable'],
      self: ['self-service', 'rate'],
    });
  });
  it('once the sessions are known, bulk again; just before acting, the rate', () => {
    expect(PLAN_PRECONDITIONS.map((p) => p.name)).toEqual(['bulk', 'reason', 'approver-reachable']);
    expect(ACT_PRECONDITIONS.map((p) => p.name)).toEqual(['rate']);
  });
});

describe('permission', () => {
  it('passes when a role grants the action on the server', async () => {
    expect(await permission.check(deps(), request('alice'), on('disconnect', 'rds01'))).toBeUndefined();
  });
  it('refuses otherwise, with the reason in the reply and the audit record', async () => {
    const r = await permission.check(deps(), request('bob'), on('logoff', 'rds01'));
    expect(r?.reply).toMatchObject({ status: 'denied', summary: 'Denied: you lack "logoff" on rds01.', private: true });
    expect(r?.audit).toEqual({ decision: 'denied', action: 'logoff', server: 'rds01', detail: 'none of your roles (juniors) grants "logoff" on rds01', outcome: 'not-performed' });
  });
  it('has nothing to check without a server (a search is checked by some-server)', async () => {
    expect(await permission.check(deps(), request('mallory'), on('query', undefined))).toBeUndefined();
  });
});

describe('bulk', () => {
  it('is not asked of one session', async () => {
    expect(await bulk.check(deps(), request('alice'), on('disconnect', 'rds01'))).toBeUndefined();
  });
  it('is asked of several sessions, naming the bulk permission', async () => {
    const r = await bulk.check(deps(), request('alice'), on('disconnect', 'rds01', { multi: true }));
    expect(r?.reply.summary).toBe('Denied: you lack "bulk" on rds01.');
    expect(r?.audit).toMatchObject({ decision: 'denied', action: 'disconnect', server: 'rds01' });
    expect(await bulk.check(deps(), request('root'), on('disconnect', 'rds01', { multi: true }))).toBeUndefined();
  });
  it('has nothing to check without a server', async () => {
    expect(await bulk.check(deps(), request('mallory'), on('query', undefined, { multi: true }))).toBeUndefined();
  });
});

describe('some server to search', () => {
  it('passes when the caller may query a server', async () => {
    expect(await someServer.check(deps(), request('alice'), on('query', undefined))).toBeUndefined();
  });
  it('refuses a caller without a role, saying so', async () => {
    const r = await someServer.check(deps(2, []), request('mallory'), on('query', undefined));
    expect(r?.reply).toMatchObject({ status: 'denied', summary: 'Denied: you lack "query" on any server.' });
    expect(r?.audit).toEqual({ decision: 'denied', action: 'query', detail: 'you have no role in the access file', outcome: 'not-performed' });
  });
  it('refuses a caller whose roles grant no query on a named server, saying that instead', async () => {
    const r = await someServer.check(deps(2, []), request('mona'), on('query', undefined));
    expect(r?.audit).toEqual({
      decision: 'denied',
      action: 'query',
      detail: 'none of your roles grants "query" on any server listed by name in the access file',
      outcome: 'not-performed',
    });
  });
});

describe('rate', () => {
  it('never limits a query or a message', async () => {
    const d = deps(1);
    await d.rate.take('console:root', d.clock.now());
    expect(await rate.check(d, request('root'), on('query', 'rds01', { acting: true }))).toBeUndefined();
    expect(await rate.check(d, request('root'), on('message', 'rds01', { acting: true }))).toBeUndefined();
  });
  it('looks without taking when asked, takes its share when acting', async () => {
    const d = deps(1);
    expect(await rate.check(d, request('root'), on('logoff', 'rds01'))).toBeUndefined();
    expect(await rate.check(d, request('root'), on('logoff', 'rds01'))).toBeUndefined();
    expect(await rate.check(d, request('root'), on('logoff', 'rds01', { acting: true }))).toBeUndefined();
    expect(await rate.check(d, request('root'), on('disconnect', 'rds01'))).toBeDefined();
  });
  it('a refusal says the limit and the wait, and records the server and confirmation', async () => {
    const d = deps(2);
    await d.rate.take('console:root', d.clock.now());
    await d.rate.take('console:root', d.clock.now());
    d.clock.advance(15_000);
    const r = await rate.check(d, request('root'), on('logoff', 'rds01', { acting: true, confirmationId: 'c7' }));
    expect(r?.reply).toMatchObject({ status: 'rate-limited', summary: 'Slow down: you may run 2 logoffs or disconnects per minute; try again in 45 s. Nothing was done.' });
    expect(r?.audit).toEqual({ decision: 'rate-limited', action: 'logoff', server: 'rds01', confirmationId: 'c7', detail: 'rate limit: 2 logoffs or disconnects per minute', outcome: 'not-performed' });
  });
  it('records no server or confirmation when there is none, not even an empty one', async () => {
    const d = deps(1);
    await d.rate.take('console:root', d.clock.now());
    const r = await rate.check(d, request('root'), on('disconnect', undefined));
    expect(r?.audit).toStrictEqual({ decision: 'rate-limited', action: 'disconnect', detail: 'rate limit: 1 logoffs or disconnects per minute', outcome: 'not-performed' });
  });
  it('counts per caller: another user is not slowed down', async () => {
    const d = deps(1);
    await d.rate.take('console:root', d.clock.now());
    expect(await rate.check(d, request('alice'), on('disconnect', 'rds01'))).toBeUndefined();
  });
});

describe('running the checks', () => {
  it('stops at the first refusal, audits it and returns its reply', async () => {
    const audit = new MemoryAudit();
    const d = deps();
    const trail = new AuditTrail(audit, d.clock, silentLogger, false);
    const reply = await runPreconditions(PRECONDITIONS.logoff, d, trail, request('alice'), on('logoff', 'rds01', { multi: true }));
    expect(reply?.summary).toBe('Denied: you lack "logoff" on rds01.');
    expect(audit.records).toHaveLength(1);
    expect(audit.records[0]).toMatchObject({ decision: 'denied', action: 'logoff', server: 'rds01', userId: 'alice' });
  });
  it('passes, recording nothing, when every check does', async () => {
    const audit = new MemoryAudit();
    const d = deps();
    const trail = new AuditTrail(audit, d.clock, silentLogger, false);
    expect(await runPreconditions(PRECONDITIONS.logoff, d, trail, request('root'), on('logoff', 'rds01', { multi: true }))).toBeUndefined();
    expect(audit.records).toEqual([]);
  });
});

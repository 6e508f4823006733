import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../adapters/shared/replay-guard.js';
import type { Caller } from '../../src/core/caller.js';
import { ChannelBook } from '../../src/core/channel-book.js';
import { CONSOLE_NAMES } from '../../src/core/command-names.js';
import type { Grant, ReasonRule } from '../../src/core/policy/access-model.js';
import { grantAppliesIn, Policy } from '../../src/core/policy/policy.js';
import { requirementsOf, unmetReason } from '../../src/core/policy/requirements.js';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import { StateUnavailable, type StateStore } from '../../src/core/ports/state-store.js';
import { approverReachable, reason, requirementsFor, selfServiceAccess, type PreconditionDeps } from '../../src/core/preconditions.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { ReplyFactory } from '../../src/core/replies.js';
import type { RequestContext } from '../../src/core/request.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { ManualClock } from '../support/core-harness.js';

const console_ = (user: string): Caller => ({ platform: 'console', userId: user, userName: user, groups: [] });
const slack = (user: string, channel?: string): Caller => ({ platform: 'slack', userId: user, userName: user, groups: [], ...(channel ? { channel } : {}) });

const ACCESS = {
  serverGroups: { farm: ['rds01', 'rds02'], everything: ['*'] },
  roles: {
    helpdesk: {
      grants: [
        { actions: ['query'], servers: ['@farm'] },
        { actions: ['logoff'], servers: ['@farm'], approval: { by: ['seniors'], count: 1 }, reason: 'required', reasonPattern: '^INC\\d{7}\\b' },
      ],
      members: { consoleUsers: ['alice'], slackUsers: ['UALICE'] },
    },
    rds: { grants: [{ actions: ['logoff', 'bulk'], servers: ['rds01'], channels: ['CRDS', 'console'] }], members: { slackUsers: ['UBOB'], consoleUsers: ['bob'] } },
    desk: { grants: [{ actions: ['logoff'], servers: ['rds01'], channels: ['CDESK'] }], members: { slackUsers: ['UBOB'] } },
    seniors: { grants: [{ actions: ['query', 'logoff', 'bulk'], servers: ['@farm'] }], members: { consoleUsers: ['sam'] } },
    root: { grants: [{ actions: ['query'], servers: ['@everything'] }], members: { consoleUsers: ['root'] } },
  },
  selfService: { servers: ['rds0*', '*'], actions: ['query', 'logoff'], members: { consoleUsers: ['jdoe'] }, domainAliases: { corp: ['corp.example.com'] } },
};

function deps(access: unknown = ACCESS): PreconditionDeps {
  const clock = new ManualClock();
  return { policy: new Policy(buildAccessModel(access)), rate: new RateLimiter(new MemoryStateStore(() => clock.now()), 10), replies: new ReplyFactory(false), clock, channels: new ChannelBook(), permitted: () => [] };
}
const rc = (caller: Caller, given?: string): RequestContext => ({ requestId: 'r', caller, command: '/rwinsta rds01 3', startedAt: 0, names: CONSOLE_NAMES, ...(given !== undefined ? { reason: given } : {}) });

describe('the replay check, with the store away', () => {
  it('first, repeat, and "could not check" when the store cannot be reached; any other error is thrown', async () => {
    const store = new MemoryStateStore(() => 0);
    const g = new ReplayGuard(store, 'slack', 1000);
    expect(await g.check('a')).toEqual({ kind: 'first' });
    expect(await g.check('a')).toEqual({ kind: 'repeat' });
    const away = new StateUnavailable('redis away');
    const down = new ReplayGuard({ ...store, mark: () => Promise.reject(away) } as unknown as StateStore, 'slack', 1000);
    expect(await down.check('b')).toEqual({ kind: 'unchecked', error: away });
    const broken = new ReplayGuard({ mark: () => Promise.reject(new TypeError('bug')) } as unknown as StateStore, 'slack', 1000);
    await expect(broken.check('c')).rejects.toThrow('bug');
  });
});

describe('requirements: grants add up', () => {
  const g = (o: Partial<Grant>): Grant => ({ actions: ['logoff'], servers: ['rds01'], ...o });
  const r1: ReasonRule = { pattern: /^INC\d/, example: 'INC1' };
  const r2: ReasonRule = { example: 'why' };
  it('for one permission the grant asking least applies; across permissions the strictest', () => {
    expect(requirementsOf([[g({ approval: { by: ['a'], count: 2 } }), g({ approval: { by: ['b'], count: 1 } })]])).toEqual({ approval: { by: ['b'], count: 1 }, reasons: [] });
    expect(requirementsOf([[g({ approval: { by: ['a'], count: 1 } })], [g({ approval: { by: ['c'], count: 3 } })]])).toEqual({ approval: { by: ['c'], count: 3 }, reasons: [] });
    // An equal count does not replace the first rule.
    expect(requirementsOf([[g({ approval: { by: ['a'], count: 2 } })], [g({ approval: { by: ['c'], count: 2 } })]]).approval).toEqual({ by: ['a'], count: 2 });
    expect(requirementsOf([[], [g({})]])).toEqual({ reasons: [] });
    expect(requirementsOf([[g({})]])).not.toHaveProperty('approval');
  });
  it('a reason is asked for only when every easiest grant asks for one; each permission adds its list', () => {
    expect(requirementsOf([[g({ reason: r1 }), g({})]]).reasons).toEqual([]);
    expect(requirementsOf([[g({ reason: r1 }), g({ reason: r2 })]]).reasons).toEqual([[r1, r2]]);
    expect(requirementsOf([[g({ reason: r1 })], [g({ reason: r2 })]]).reasons).toEqual([[r1], [r2]]);
    // The grant with fewer approvals is the easiest, even though it asks for a reason.
    expect(requirementsOf([[g({ reason: r1 }), g({ approval: { by: ['a'], count: 1 } })]])).toEqual({ reasons: [[r1]] });
  });
  it('a reason satisfies a list when it matches one rule of it; a rule without a pattern wants any non-blank text', () => {
    const req = { reasons: [[r1, r2]] };
    expect(unmetReason(req, undefined)).toEqual([r1, r2]);
    expect(unmetReason(req, 'anything')).toBeUndefined();
    expect(unmetReason({ reasons: [[r1]] }, 'nope')).toEqual([r1]);
    expect(unmetReason({ reasons: [[r1]] }, 'INC1')).toBeUndefined();
    expect(unmetReason({ reasons: [[r2]] }, '   ')).toEqual([r2]);
    expect(unmetReason({ reasons: [[r2]] }, ' x ')).toBeUndefined();
    expect(unmetReason({ reasons: [[r2], [r1]] }, 'why')).toEqual([r1]);
    expect(unmetReason({ reasons: [] }, undefined)).toBeUndefined();
  });
});

describe('the policy: channels, groups, self-service', () => {
  const policy = new Policy(buildAccessModel(ACCESS));
  it('a grant limited to channels applies there only; the console is the "console" channel', () => {
    const grant: Grant = { actions: ['logoff'], servers: ['rds01'], channels: ['CRDS', 'console'] };
    expect(grantAppliesIn(grant, { platform: 'slack', channel: 'CRDS' })).toBe(true);
    expect(grantAppliesIn(grant, { platform: 'slack', channel: 'COTHER' })).toBe(false);
    expect(grantAppliesIn(grant, { platform: 'slack' })).toBe(false);
    expect(grantAppliesIn(grant, { platform: 'console' })).toBe(true);
    expect(grantAppliesIn({ ...grant, channels: ['CRDS'] }, { platform: 'console' })).toBe(false);
    expect(grantAppliesIn({ actions: ['logoff'], servers: ['rds01'] }, { platform: 'discord' })).toBe(true);
  });
  it('a denial a channel would have allowed names the other channels, once each, and the roles, in the plural when several', () => {
    const d = policy.authorize(slack('UBOB', 'CGENERAL'), 'logoff', 'rds01');
    expect(d).toMatchObject({ allowed: false, channels: ['CRDS', 'console', 'CDESK'], reason: 'your roles (rds, desk) grant "logoff" on rds01 only in other channels' });
    const inDesk = policy.authorize(slack('UBOB', 'CDESK'), 'bulk', 'rds01');
    expect(inDesk).toMatchObject({ allowed: false, channels: ['CRDS', 'console'], reason: 'your role (rds) grants "bulk" on rds01 only in other channels' });
    expect(policy.authorize(slack('UBOB', 'CDESK'), 'logoff', 'rds01').allowed).toBe(true);
    expect(policy.authorize(slack('UBOB', 'CDESK'), 'logoff', 'rds02')).toMatchObject({ allowed: false, reason: 'none of your roles (rds, desk) grants "logoff" on rds02' });
    expect(policy.authorize(slack('UNOBODY'), 'query', 'rds01')).toMatchObject({ allowed: false, reason: 'you have no role in the access file' });
  });
  it('server groups, in order; a group with * makes its members reach any server', () => {
    expect(policy.groupNames()).toEqual(['everything', 'farm']);
    expect(policy.groupCovers('farm', 'rds02')).toBe(true);
    expect(policy.groupCovers('farm', 'rds03')).toBe(false);
    expect(policy.groupCovers('nope', 'rds01')).toBe(false);
    expect(policy.reachesAnyServer(console_('root'))).toBe(true);
    expect(policy.reachesAnyServer(console_('alice'))).toBe(false);
  });
  it('self-service: its servers (a * covers all, but does not make a name known), its domain aliases', () => {
    expect(policy.selfServiceCovers('zz99')).toBe(true);
    expect(policy.selfServiceCovers('zz99', false)).toBe(false);
    expect(policy.coversServer('zz99')).toBe(false);
    expect(policy.coversServer('rds07')).toBe(true);
    expect(policy.domainNames('corp')).toEqual(['CORP', 'CORP.EXAMPLE.COM']);
    expect(policy.domainNames('OTHER')).toEqual(['OTHER']);
    expect(new Policy(buildAccessModel({ roles: {} })).domainNames('corp')).toEqual(['CORP']);
    expect(new Policy(buildAccessModel({ roles: {} })).selfServiceCovers('rds01')).toBe(false);
  });
});

describe('the preconditions of reasons, approvals and self-service', () => {
  it('requirements are asked only for an action on a server; several sessions add bulk', () => {
    const d = deps();
    expect(requirementsFor(d, rc(console_('alice')), { action: 'query', server: 'rds01', multi: false, acting: false })).toEqual({ reasons: [] });
    expect(requirementsFor(d, rc(console_('alice')), { action: 'logoff', multi: false, acting: false })).toEqual({ reasons: [] });
    expect(requirementsFor(d, rc(console_('alice')), { action: 'logoff', server: 'rds01', multi: false, acting: false })).toMatchObject({ approval: { count: 1 } });
    // alice holds no bulk: for several sessions the bulk list is empty and adds nothing.
    const multi = requirementsFor(d, rc(console_('bob')), { action: 'logoff', server: 'rds01', multi: true, acting: false });
    expect(multi).toEqual({ reasons: [] });
  });
  it('a missing or wrong reason is refused and audited as invalid, with the server', async () => {
    const d = deps();
    const missing = await reason.check(d, rc(slack('UALICE')), { action: 'logoff', server: 'rds01', multi: false, acting: false });
    expect(missing?.audit).toEqual({ decision: 'invalid', action: 'logoff', server: 'rds01', detail: 'no reason given; the access file asks for one', outcome: 'not-performed' });
    expect(missing?.reply.status).toBe('usage');
    const wrong = await reason.check(d, rc(slack('UALICE'), 'stuck'), { action: 'logoff', server: 'rds01', multi: false, acting: false });
    expect(wrong?.audit.detail).toBe("the reason does not match the access file's pattern");
    expect(await reason.check(d, rc(slack('UALICE'), 'INC0012345 stuck'), { action: 'logoff', server: 'rds01', multi: false, acting: false })).toBeUndefined();
    expect(await reason.check(d, rc(slack('UALICE')), { action: 'logoff', multi: false, acting: false })).toBeUndefined();
  });
  it('the console cannot ask a second person: an action needing approval is refused there, never in chat', async () => {
    const d = deps();
    const refused = await approverReachable.check(d, rc(console_('alice'), 'INC0012345'), { action: 'logoff', server: 'rds01', multi: false, acting: false });
    expect(refused?.audit).toEqual({ decision: 'denied', action: 'logoff', server: 'rds01', detail: 'needs approval by 1 of seniors, which the console cannot ask for', outcome: 'not-performed' });
    expect(await approverReachable.check(d, rc(slack('UALICE')), { action: 'logoff', server: 'rds01', multi: false, acting: false })).toBeUndefined();
    expect(await approverReachable.check(d, rc(console_('sam')), { action: 'logoff', server: 'rds01', multi: false, acting: false })).toBeUndefined();
    expect(await approverReachable.check(d, rc(console_('alice')), { action: 'logoff', multi: false, acting: false })).toBeUndefined();
  });
  it('self-service: open to its members for its actions on its servers; messages are not its business', async () => {
    const d = deps();
    const me = rc(console_('jdoe'));
    expect(await selfServiceAccess.check(d, me, { action: 'logoff', server: 'rds01', multi: false, acting: false })).toBeUndefined();
    expect(await selfServiceAccess.check(d, me, { action: 'logoff', multi: false, acting: false })).toBeUndefined();
    expect(await selfServiceAccess.check(d, rc(console_('eve')), { action: 'message', multi: false, acting: false })).toBeUndefined();
    const notMember = await selfServiceAccess.check(d, rc(console_('eve')), { action: 'query', multi: false, acting: false });
    expect(notMember?.audit).toEqual({ decision: 'denied', action: 'query', selfService: true, detail: 'self-service is not open to you (selfService → members in the access file)', outcome: 'not-performed' });
    const withServer = await selfServiceAccess.check(d, rc(console_('eve')), { action: 'query', server: 'rds01', multi: false, acting: false });
    expect(withServer?.audit.server).toBe('rds01');
    const notAction = await selfServiceAccess.check(d, me, { action: 'disconnect', multi: false, acting: false });
    expect(notAction?.audit.detail).toBe('self-service does not include "disconnect" (selfService → actions: query, logoff)');
    const narrow = deps({ ...ACCESS, selfService: { ...ACCESS.selfService, servers: ['rds01'] } });
    const outside = await selfServiceAccess.check(narrow, me, { action: 'logoff', server: 'rds02', multi: false, acting: false });
    expect(outside?.audit).toEqual({ decision: 'denied', action: 'logoff', server: 'rds02', selfService: true, detail: 'self-service does not cover rds02 (selfService → servers in the access file)', outcome: 'not-performed' });
    expect(outside?.reply.summary).toBe('Denied: self-service does not cover rds02 (selfService → servers in the access file).');
  });
});

describe("a request's reason is in every record of it", () => {
  it('the prompt, a refused press, a cancel, an expiry, and the action itself', async () => {
    const { makeHarness } = await import('../support/core-harness.js');
    const h = makeHarness();
    const ask = async (): Promise<string> => (await h.run('root', 'rwinsta rds01 3 /reason:"INC0012345 frozen"')).confirmation?.id ?? '';
    const first = await ask();
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'confirmation-requested', reason: 'INC0012345 frozen' });
    await h.bot.cancel(first, h.as('alice'));
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', reason: 'INC0012345 frozen' });
    await h.bot.confirm(first, h.as('alice'));
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'denied', reason: 'INC0012345 frozen' });
    await h.bot.cancel(first, h.as('root'));
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'cancelled', reason: 'INC0012345 frozen' });
    const second = await ask();
    h.clock.advance(h.bot.settings.confirmTtlMs);
    await h.bot.sweepExpired();
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'expired', confirmationId: second, reason: 'INC0012345 frozen' });
    const third = await ask();
    h.clock.advance(h.bot.settings.confirmTtlMs);
    await h.bot.confirm(third, h.as('root'));
    expect(h.audit.records.at(-1)).toMatchObject({ decision: 'expired', confirmationId: third, reason: 'INC0012345 frozen' });
    const fourth = await ask();
    await h.bot.confirm(fourth, h.as('root'));
    expect(h.audit.records.filter((r) => r.confirmationId === fourth && r.phase).map((r) => [r.phase, r.reason])).toEqual([
      ['intent', 'INC0012345 frozen'],
      ['outcome', 'INC0012345 frozen'],
    ]);
    // Without a reason, none is recorded.
    const plain = (await h.run('root', 'rwinsta rds01 2')).confirmation?.id ?? '';
    await h.bot.cancel(plain, h.as('root'));
    expect(h.audit.records.at(-1)).not.toHaveProperty('reason');
  });
});

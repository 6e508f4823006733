import { isActing, isDestructive, type Action, type Permission } from './actions.js';
import type { AuditFields, AuditTrail } from './audit-trail.js';
import { callerKey } from './caller.js';
import type { ChannelBook } from './channel-book.js';
import type { Clock } from './clock.js';
import type { Requirements } from './policy/requirements.js';
import { unmetReason } from './policy/requirements.js';
import type { Command } from './grammar/command.js';
import type { Policy } from './policy/policy.js';
import type { RateLimiter } from './rate-limit.js';
import type { ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply } from './results.js';

/** What a precondition looks at: who wants to do what, where, to how many sessions. */
export interface Subject {
  action: Action;
  /** The server; absent for a search across the servers the caller may see. */
  server?: string;
  /** Several sessions at once (an ID list, `*`, /disc, /all, or a name that matched several). */
  multi: boolean;
  /** Acting now (a confirmed or /f action): the rate limit takes its share instead of only looking. */
  acting: boolean;
  confirmationId?: string;
  approvalId?: string;
}

export interface PreconditionDeps {
  policy: Policy;
  rate: RateLimiter;
  replies: ReplyFactory;
  clock: Clock;
  /** Channel names, for a denial that another channel would have allowed. */
  channels: ChannelBook;
  /** Servers the caller may query (for a search). */
  permitted(rc: RequestContext, action: Action): string[];
}

/** A refusal: the reply the caller gets and what the audit record says. */
export interface Refusal {
  reply: Reply;
  audit: AuditFields;
}

/** One check a command must pass before anything reaches a server (Sapphire's preconditions). */
export interface Precondition {
  readonly name: string;
  check(d: PreconditionDeps, rc: RequestContext, s: Subject): Promise<Refusal | undefined> | Refusal | undefined;
}

async function permissionCheck(d: PreconditionDeps, rc: RequestContext, s: Subject, permission: Permission, server: string): Promise<Refusal | undefined> {
  const decision = d.policy.authorize(rc.caller, permission, server);
  if (decision.allowed) return undefined;
  const where = decision.channels?.length ? await d.channels.describe(rc.caller.platform, decision.channels) : undefined;
  return {
    reply: d.replies.denied(rc.requestId, permission, server, decision.reason, where),
    audit: { decision: 'denied', action: s.action, server, detail: decision.reason, outcome: 'not-performed' },
  };
}

/** What the caller's grants ask for this subject: a reason, approvals. */
export function requirementsFor(d: PreconditionDeps, rc: RequestContext, s: Subject): Requirements {
  if (s.server === undefined || !isActing(s.action)) return { reasons: [] };
  const permissions: Permission[] = s.multi ? [s.action, 'bulk'] : [s.action];
  return d.policy.requirements(rc.caller, permissions, s.server);
}

/** The caller's roles grant the action on the server. */
export const permission: Precondition = {
  name: 'permission',
  check: (d, rc, s) => (s.server === undefined ? undefined : permissionCheck(d, rc, s, s.action, s.server)),
};

/** Several sessions at once also need `bulk`. */
export const bulk: Precondition = {
  name: 'bulk',
  check: (d, rc, s) => (s.multi && s.server !== undefined ? permissionCheck(d, rc, s, 'bulk', s.server) : undefined),
};

/** A search needs at least one server the caller may query. */
export const someServer: Precondition = {
  name: 'some-server',
  check: (d, rc, s) => {
    if (d.permitted(rc, s.action).length > 0) return undefined;
    const reason =
      d.policy.rolesOf(rc.caller).length === 0 ? 'you have no role in the access file' : `none of your roles grants "${s.action}" on any server listed by name in the access file`;
    return {
      reply: d.replies.denied(rc.requestId, s.action, 'any server', reason),
      audit: { decision: 'denied', action: s.action, detail: reason, outcome: 'not-performed' },
    };
  },
};

/** A grant that asks for a reason gets one that matches its pattern, or a usage error that shows it. */
export const reason: Precondition = {
  name: 'reason',
  check(d, rc, s) {
    const unmet = unmetReason(requirementsFor(d, rc, s), rc.reason);
    if (!unmet) return undefined;
    const reply = d.replies.reasonNeeded(rc, unmet);
    const audit: AuditFields = { decision: 'invalid', action: s.action, detail: rc.reason === undefined ? 'no reason given; the access file asks for one' : 'the reason does not match the access file\'s pattern', outcome: 'not-performed' };
    if (s.server !== undefined) audit.server = s.server;
    return { reply, audit };
  },
};

/** The console has no second person to ask: an action that needs approval is requested in chat. */
export const approverReachable: Precondition = {
  name: 'approver-reachable',
  check(d, rc, s) {
    if (rc.caller.platform !== 'console') return undefined;
    const rule = requirementsFor(d, rc, s).approval;
    if (!rule || s.server === undefined) return undefined;
    return {
      reply: d.replies.approvalNotFromConsole(rc.requestId, s.action, s.server, rule),
      audit: { decision: 'denied', action: s.action, server: s.server, detail: `needs approval by ${rule.count} of ${rule.by.join(', ')}, which the console cannot ask for`, outcome: 'not-performed' },
    };
  },
};

/** Logoffs and disconnects: so many per caller per minute. Looks when asked, takes its share when acting. */
export const rate: Precondition = {
  name: 'rate',
  async check(d, rc, s) {
    if (!isDestructive(s.action)) return undefined;
    const key = callerKey(rc.caller);
    const now = d.clock.now();
    const wait = s.acting ? await d.rate.take(key, now) : await d.rate.retryAfter(key, now);
    if (wait <= 0) return undefined;
    const audit: AuditFields = { decision: 'rate-limited', action: s.action, detail: `rate limit: ${d.rate.limit} logoffs or disconnects per minute`, outcome: 'not-performed' };
    if (s.server !== undefined) audit.server = s.server;
    if (s.confirmationId) audit.confirmationId = s.confirmationId;
    if (s.approvalId) audit.approvalId = s.approvalId;
    return { reply: d.replies.rateLimited(rc.requestId, d.rate.limit, wait), audit };
  },
};

/** Self-service: open to the caller (members or everyone on the platform), for this action. */
export const selfServiceAccess: Precondition = {
  name: 'self-service',
  check: (d, rc, s) => {
    if (s.action === 'message') return undefined;
    const decision = d.policy.selfService(rc.caller, s.action);
    if (decision.allowed) {
      if (s.server === undefined || d.policy.selfServiceCovers(s.server)) return undefined;
      const reason = `self-service does not cover ${s.server} (selfService → servers in the access file)`;
      return { reply: d.replies.selfServiceDenied(rc.requestId, reason), audit: { decision: 'denied', action: s.action, server: s.server, selfService: true, detail: reason, outcome: 'not-performed' } };
    }
    const audit: AuditFields = { decision: 'denied', action: s.action, selfService: true, detail: decision.reason, outcome: 'not-performed' };
    if (s.server !== undefined) audit.server = s.server;
    return { reply: d.replies.selfServiceDenied(rc.requestId, decision.reason), audit };
  },
};

/** The checks each kind of command passes, in order, before its server is read. */
export const PRECONDITIONS: Readonly<Record<Command['kind'], readonly Precondition[]>> = {
  help: [],
  list: [permission],
  find: [someServer],
  logoff: [permission, bulk, reason, approverReachable, rate],
  'bulk-logoff': [permission, bulk, reason, approverReachable, rate],
  disconnect: [permission, bulk, reason, approverReachable, rate],
  message: [permission, bulk, reason, approverReachable],
  self: [selfServiceAccess, rate],
};

/** Once the sessions are known: a name that matched several needs `bulk` too, and what its grant asks. */
export const PLAN_PRECONDITIONS: readonly Precondition[] = [bulk, reason, approverReachable];

/** Just before acting (after a confirmation, or at once with /f): the rate limit takes its share. */
export const ACT_PRECONDITIONS: readonly Precondition[] = [rate];

/** Runs the checks in order; the first refusal is audited (never swallowed) and its reply returned. */
export async function runPreconditions(
  list: readonly Precondition[],
  d: PreconditionDeps,
  trail: AuditTrail,
  rc: RequestContext,
  s: Subject,
): Promise<Reply | undefined> {
  for (const p of list) {
    const refusal = await p.check(d, rc, s);
    if (refusal) {
      await trail.note(rc, refusal.audit);
      return refusal.reply;
    }
  }
  return undefined;
}

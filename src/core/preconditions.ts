import { isDestructive, type Action, type Permission } from './actions.js';
import type { AuditFields, AuditTrail } from './audit-trail.js';
import { callerKey } from './caller.js';
import type { Clock } from './clock.js';
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
}

export interface PreconditionDeps {
  policy: Policy;
  rate: RateLimiter;
  replies: ReplyFactory;
  clock: Clock;
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

function permissionCheck(d: PreconditionDeps, rc: RequestContext, s: Subject, permission: Permission, server: string): Refusal | undefined {
  const decision = d.policy.authorize(rc.caller, permission, server);
  if (decision.allowed) return undefined;
  return {
    reply: d.replies.denied(rc.requestId, permission, server, decision.reason),
    audit: { decision: 'denied', action: s.action, server, detail: decision.reason, outcome: 'not-performed' },
  };
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
    return { reply: d.replies.rateLimited(rc.requestId, d.rate.limit, wait), audit };
  },
};

/** The checks each kind of command passes, in order, before its server is read. */
export const PRECONDITIONS: Readonly<Record<Command['kind'], readonly Precondition[]>> = {
  help: [],
  list: [permission],
  find: [someServer],
  processes: [permission],
  logoff: [permission, bulk, rate],
  'bulk-logoff': [permission, bulk, rate],
  disconnect: [permission, bulk, rate],
  message: [permission, bulk],
};

/** Once the sessions are known: a name that matched several needs `bulk` too. */
export const PLAN_PRECONDITIONS: readonly Precondition[] = [bulk];

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

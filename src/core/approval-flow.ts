import type { ActionRunner } from './action-runner.js';
import type { Permission } from './actions.js';
import type { ApprovalStore, PendingApproval } from './approvals.js';
import { errorText, targetsOf, type AuditFields, type AuditTrail } from './audit-trail.js';
import { callerKey, type Caller } from './caller.js';
import type { Clock } from './clock.js';
import { ExpiryListeners } from './expiry-listeners.js';
import type { Logger } from './logger.js';
import { participant } from './participants.js';
import { isBulk, type Plan } from './plan.js';
import type { ApprovalRule } from './policy/access-model.js';
import type { Policy } from './policy/policy.js';
import type { ApprovalRefusal, ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply } from './results.js';

export interface ExpiredApproval {
  id: string;
  requester: Caller;
  reply: Reply;
}

type Listener = (e: ExpiredApproval) => void;

/** Longest reply a rejecter may give. */
export const MAX_REJECTION_NOTE = 500;

/** Most compare-and-set rounds an approval tries before it gives up (each lost round means someone else changed the request). */
const MAX_ROUNDS = 8;

/**
 * Four eyes: an action whose grant asks for approval waits for `count` approvals, each by a member of
 * an approver role other than the requester who also holds the action on the server; then the last
 * approver's press acts, once. A rejection (or the requester withdrawing it) or the expiry closes it
 * with nothing done. Every step and every refused press is audited.
 */
export class ApprovalFlow {
  private readonly expiries: ExpiryListeners<ExpiredApproval>;

  constructor(
    private readonly store: ApprovalStore,
    private readonly trail: AuditTrail,
    private readonly replies: ReplyFactory,
    private readonly runner: ActionRunner,
    private readonly policy: Policy,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly begin: (caller: Caller, command: string, requestId?: string) => RequestContext,
    log: Logger,
  ) {
    this.expiries = new ExpiryListeners('approval', log);
  }

  /** Opens the request. Its record must be written, or it is withdrawn and nothing will be done. */
  async request(rc: RequestContext, plan: Plan, rule: ApprovalRule, confirmationId?: string): Promise<Reply> {
    const now = this.clock.now();
    const participants = rc.participants?.length ? rc.participants : [participant('requested', rc.caller, rc.startedAt)];
    const p = await this.store.create(
      {
        requester: rc.caller,
        plan,
        rule,
        requestId: rc.requestId,
        command: rc.command,
        participants,
        ...(rc.reason !== undefined ? { reason: rc.reason } : {}),
        ...(rc.verb ? { verb: rc.verb } : {}),
        ...(confirmationId ? { confirmationId } : {}),
      },
      now,
    );
    try {
      await this.trail.write(rc, { ...this.fields(p, 'approval-requested'), detail: `needs ${rule.count} approval(s) by ${rule.by.join(', ')}` });
    } catch (e) {
      await this.store.take(p.id);
      return this.replies.auditFailed(rc.requestId, errorText(e), 'nothing will be done');
    }
    return this.replies.approvalWaiting(rc.requestId, p, this.replies.approvalRequest(rc.requestId, p, now), this.ttlMs);
  }

  async approve(id: string, caller: Caller): Promise<Reply> {
    const rc = this.begin(caller, `approve ${id}`);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const seen = await this.store.peek(id);
      if (!seen) return this.closed(rc, id);
      const p = seen.pending;
      this.relate(rc, p);
      if (p.state === 'approved') return this.refuse(rc, p, 'decided');
      const now = this.clock.now();
      if (now >= p.expiresAt) return this.expireNow(rc, id);
      const problem = this.approverProblem(p, caller);
      if (problem) return this.refuse(rc, p, problem);
      const approvals = [...p.approvals, participant('approved', caller, now)];
      const final = approvals.length >= p.rule.count;
      const next: PendingApproval = { ...p, approvals, state: final ? 'approved' : 'pending' };
      if (!(await this.store.replace(seen, next))) continue;
      await this.trail.note(rc, { ...this.fields(p, 'approved'), detail: `approval ${approvals.length} of ${p.rule.count}${final ? ': acting' : ''}` });
      if (!final) return this.replies.approvalRequest(p.requestId, next, now);
      return this.act(next);
    }
    return this.closed(rc, id);
  }

  /** Rejects (an approver) or withdraws (the requester) the request, with an optional reply to the requester. */
  async reject(id: string, caller: Caller, note?: string): Promise<Reply> {
    const rc = this.begin(caller, `reject ${id}`);
    const seen = await this.store.peek(id);
    if (!seen) return this.closed(rc, id);
    const p = seen.pending;
    this.relate(rc, p);
    if (p.state === 'approved') return this.refuse(rc, p, 'decided');
    if (this.clock.now() >= p.expiresAt) return this.expireNow(rc, id);
    const self = callerKey(caller) === callerKey(p.requester);
    const problem = self ? undefined : this.approverProblem(p, caller, false);
    if (problem) return this.refuse(rc, p, problem);
    const taken = await this.store.take(id);
    if (!taken) return this.closed(rc, id);
    if (taken.state === 'approved') return this.refuse(rc, taken, 'decided');
    const text = note?.trim().replace(/\s+/g, ' ').slice(0, MAX_REJECTION_NOTE) || undefined;
    const participants = [...taken.participants, ...taken.approvals, participant(self ? 'withdrew' : 'rejected', caller, this.clock.now())];
    rc.command = taken.command;
    rc.participants = participants;
    const fields = this.fields(taken, self ? 'cancelled' : 'rejected');
    if (text) fields.detail = `reply: ${text}`;
    await this.trail.note(rc, fields);
    return self ? this.replies.withdrawn(rc.requestId, taken, participants) : this.replies.rejected(rc.requestId, taken, caller, text, participants);
  }

  /** Audits and announces every request that expired unanswered. Call it periodically. */
  async sweep(): Promise<ExpiredApproval[]> {
    const out: ExpiredApproval[] = [];
    for (const p of await this.store.takeExpired(this.clock.now())) {
      // An approved request is being acted on by its last approver: only its entry is cleared here.
      if (p.state !== 'pending') continue;
      const reply = await this.expire(p, this.begin(p.requester, p.command, p.requestId));
      const e: ExpiredApproval = { id: p.id, requester: p.requester, reply };
      out.push(e);
      this.expiries.tell(e);
    }
    return out;
  }

  onExpired(listener: Listener): () => void {
    return this.expiries.add(listener);
  }

  pending(): Promise<number> {
    return this.store.size();
  }

  // ---- behind the presses ----

  /** Why `caller` may not approve (or, with `once` false, reject) the request; undefined when they may. */
  private approverProblem(p: PendingApproval, caller: Caller, once = true): ApprovalRefusal | undefined {
    if (callerKey(caller) === callerKey(p.requester)) return 'self';
    if (caller.platform !== p.requester.platform) return 'platform';
    if (!this.policy.rolesOf(caller).some((r) => p.rule.by.includes(r))) return 'role';
    const needed: Permission[] = isBulk(p.plan) ? [p.plan.action, 'bulk'] : [p.plan.action];
    if (needed.some((perm) => !this.policy.authorize(caller, perm, p.plan.server).allowed)) return 'action';
    if (once && p.approvals.some((a) => callerKey(a) === callerKey(caller))) return 'twice';
    return undefined;
  }

  /** The last approval is in: act once, as the requester's action, with everyone who took part on record. */
  private async act(p: PendingApproval): Promise<Reply> {
    const rc = this.begin(p.requester, p.command, p.requestId);
    if (p.verb) rc.verb = p.verb;
    if (p.reason !== undefined) rc.reason = p.reason;
    rc.participants = [...p.participants, ...p.approvals];
    const reply = await this.runner.run(rc, p.plan, 'approved', { approvalId: p.id, ...(p.confirmationId ? { confirmationId: p.confirmationId } : {}) });
    // The request is closed whatever happened (a rate limit, an audit failure): its message shows why.
    reply.private = false;
    return reply;
  }

  private async refuse(rc: RequestContext, p: PendingApproval, why: ApprovalRefusal): Promise<Reply> {
    await this.trail.note(rc, { ...this.fields(p, 'denied'), detail: `${rc.command.split(' ')[0] ?? 'press'} refused: ${why}` });
    return this.replies.approvalRefused(rc.requestId, p, why);
  }

  private async closed(rc: RequestContext, id: string): Promise<Reply> {
    await this.trail.note(rc, { decision: 'denied', approvalId: id, detail: `${rc.command.split(' ')[0] ?? 'press'} refused: the request was already decided, withdrawn or expired`, outcome: 'not-performed' });
    return this.replies.approvalClosed(rc.requestId);
  }

  /** A press after the expiry but before the sweep: whoever takes it closes it, publicly. */
  private async expireNow(rc: RequestContext, id: string): Promise<Reply> {
    const taken = await this.store.take(id);
    if (!taken || taken.state !== 'pending') return this.closed(rc, id);
    return this.expire(taken, rc);
  }

  private async expire(p: PendingApproval, rc: RequestContext): Promise<Reply> {
    rc.command = p.command;
    this.relate(rc, p);
    rc.participants = [...p.participants, ...p.approvals];
    await this.trail.note(rc, { ...this.fields(p, 'expired'), detail: `${p.approvals.length} of ${p.rule.count} approvals` });
    return this.replies.approvalExpired(rc.requestId, p, this.ttlMs);
  }

  /** Records of a press carry the request's reason, like every record of it. */
  private relate(rc: RequestContext, p: PendingApproval): void {
    if (p.reason !== undefined) rc.reason = p.reason;
  }

  private fields(p: PendingApproval, decision: AuditFields['decision']): AuditFields {
    const f: AuditFields = { decision, approvalId: p.id, action: p.plan.action, server: p.plan.server, targets: targetsOf(p.plan.sessions), outcome: 'not-performed' };
    if (p.confirmationId) f.confirmationId = p.confirmationId;
    return f;
  }
}

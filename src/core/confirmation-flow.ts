import type { ActionRunner } from './action-runner.js';
import type { ApprovalFlow } from './approval-flow.js';
import { errorText, planFields, type AuditTrail } from './audit-trail.js';
import type { Caller } from './caller.js';
import type { Clock } from './clock.js';
import type { ConfirmationStore, PendingConfirmation } from './confirmations.js';
import { ExpiryListeners } from './expiry-listeners.js';
import type { Logger } from './logger.js';
import { participant } from './participants.js';
import type { Plan } from './plan.js';
import type { ApprovalRule } from './policy/access-model.js';
import type { ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply, Section } from './results.js';

export interface ExpiredConfirmation {
  id: string;
  requester: Caller;
  reply: Reply;
}

type Listener = (e: ExpiredConfirmation) => void;

/** Asks before acting, then confirms, cancels or lets expire: each step audited, each answer once. */
export class ConfirmationFlow {
  private readonly expiries: ExpiryListeners<ExpiredConfirmation>;

  constructor(
    private readonly store: ConfirmationStore,
    private readonly trail: AuditTrail,
    private readonly replies: ReplyFactory,
    private readonly runner: ActionRunner,
    private readonly approvals: ApprovalFlow,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly begin: (caller: Caller, command: string, requestId?: string) => RequestContext,
    log: Logger,
  ) {
    this.expiries = new ExpiryListeners('confirmation', log);
  }

  /** The prompt (with the programs open, for a logoff). Its record must be written, or the confirmation is withdrawn and nothing will be done. */
  async ask(rc: RequestContext, plan: Plan, opts: { note?: string; approval?: ApprovalRule; programs?: Section } = {}): Promise<Reply> {
    const { note, approval, programs } = opts;
    const extras = { ...(rc.reason !== undefined ? { reason: rc.reason } : {}), ...(approval ? { approval } : {}) };
    const p = await this.store.create(rc.caller, plan, this.clock.now(), rc.requestId, rc.command, extras);
    try {
      await this.trail.write(rc, { decision: 'confirmation-requested', confirmationId: p.id, ...planFields(plan), outcome: 'not-performed' });
    } catch (e) {
      await this.store.discard(p.id);
      return this.replies.auditFailed(rc.requestId, errorText(e), 'nothing will be done');
    }
    return this.replies.confirmPrompt(rc.requestId, plan, rc.caller, { id: p.id, expiresAt: p.expiresAt, ttlMs: this.ttlMs }, note, extras, programs);
  }

  async confirm(id: string, caller: Caller): Promise<Reply> {
    const rc = this.begin(caller, `confirm ${id}`);
    const claim = await this.store.claim(id, caller, this.clock.now());
    if (!claim.ok) {
      if (claim.reason === 'unknown') return this.refuseUsed(rc, id, 'confirm');
      if (claim.reason === 'not-requester') return this.refuseOther(rc, claim.pending, 'confirm');
      return this.expire(claim.pending, rc);
    }
    const p = claim.pending;
    rc.command = p.command;
    if (p.reason !== undefined) rc.reason = p.reason;
    rc.participants = [participant('requested', p.requester, p.createdAt), participant('confirmed', caller, this.clock.now())];
    if (p.approval) return this.approvals.request(rc, p.plan, p.approval, p.id);
    return this.runner.run(rc, p.plan, 'confirmed', { confirmationId: p.id });
  }

  async cancel(id: string, caller: Caller): Promise<Reply> {
    const rc = this.begin(caller, `cancel ${id}`);
    const claim = await this.store.claim(id, caller, this.clock.now());
    if (!claim.ok) {
      if (claim.reason === 'not-requester') return this.refuseOther(rc, claim.pending, 'cancel');
      if (claim.reason === 'expired') return this.expire(claim.pending, rc);
      return this.refuseUsed(rc, id, 'cancel');
    }
    const p = claim.pending;
    rc.command = p.command;
    if (p.reason !== undefined) rc.reason = p.reason;
    await this.trail.note(rc, { decision: 'cancelled', confirmationId: id, ...planFields(p.plan), outcome: 'not-performed' });
    return this.replies.cancelled(rc.requestId, p.plan);
  }

  /** Audits and announces every confirmation that expired unanswered. Call it periodically. */
  async sweep(): Promise<ExpiredConfirmation[]> {
    const out: ExpiredConfirmation[] = [];
    for (const p of await this.store.takeExpired(this.clock.now())) {
      const reply = await this.expire(p, this.begin(p.requester, p.command, p.requestId));
      const e: ExpiredConfirmation = { id: p.id, requester: p.requester, reply };
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

  /** Someone other than the requester pressed: refused, and audited as a denial. */
  private async refuseOther(rc: RequestContext, p: PendingConfirmation, what: 'confirm' | 'cancel'): Promise<Reply> {
    if (p.reason !== undefined) rc.reason = p.reason;
    await this.trail.note(rc, { decision: 'denied', confirmationId: p.id, action: p.plan.action, server: p.plan.server, detail: `only ${p.requester.userName || p.requester.userId} may ${what}`, outcome: 'not-performed' });
    return this.replies.notRequester(rc.requestId, p.requester, what);
  }

  /**
   * A press on a confirmation that is no longer there (a double click, the other button after the
   * first, a press after the expiry was swept, another instance's answer): refused, and audited as
   * the approvals' are, so that the record shows every press.
   */
  private async refuseUsed(rc: RequestContext, id: string, what: 'confirm' | 'cancel'): Promise<Reply> {
    await this.trail.note(rc, { decision: 'denied', confirmationId: id, detail: `${what} refused: the confirmation was already used, cancelled or expired`, outcome: 'not-performed' });
    return this.replies.alreadyUsed(rc.requestId, what);
  }

  private async expire(p: PendingConfirmation, rc: RequestContext): Promise<Reply> {
    rc.command = p.command;
    if (p.reason !== undefined) rc.reason = p.reason;
    await this.trail.note(rc, { decision: 'expired', confirmationId: p.id, ...planFields(p.plan), outcome: 'not-performed' });
    return this.replies.expired(rc.requestId, p.plan, this.ttlMs);
  }
}

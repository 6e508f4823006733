import type { AuditDecision } from './audit.js';
import { errorText, planFields, type AuditFields, type AuditTrail } from './audit-trail.js';
import { isBulk, type Plan } from './plan.js';
import { ACT_PRECONDITIONS, runPreconditions, type PreconditionDeps } from './preconditions.js';
import type { ReplyFactory } from './replies.js';
import type { RequestContext } from './request.js';
import type { Reply } from './results.js';
import type { UseCaseContext } from './usecases/context.js';
import { executePlan } from './usecases/execute.js';

interface InFlight {
  rc: RequestContext;
  fields: AuditFields;
}

/**
 * Acts on a plan, the one way every action happens: the rate limit takes its share, an intent record
 * is written (fail closed: none, no action), each session is re-checked and acted on, and the
 * outcome is recorded. An action cut short (the process told to stop) can still get its record.
 */
export class ActionRunner {
  private readonly inFlight = new Map<string, InFlight>();

  constructor(
    private readonly ctx: UseCaseContext,
    private readonly trail: AuditTrail,
    private readonly replies: ReplyFactory,
    private readonly checks: PreconditionDeps,
  ) {}

  async run(rc: RequestContext, plan: Plan, decision: Extract<AuditDecision, 'allowed' | 'confirmed' | 'approved'>, ids: { confirmationId?: string; approvalId?: string } = {}): Promise<Reply> {
    const subject = { action: plan.action, server: plan.server, multi: isBulk(plan), acting: true, ...ids };
    const refused = await runPreconditions(ACT_PRECONDITIONS, this.checks, this.trail, rc, subject);
    if (refused) return refused;
    const base: AuditFields = { decision, ...planFields(plan) };
    if (ids.confirmationId) base.confirmationId = ids.confirmationId;
    if (ids.approvalId) base.approvalId = ids.approvalId;
    try {
      await this.trail.write(rc, { ...base, phase: 'intent' });
    } catch (e) {
      return this.replies.auditFailed(rc.requestId, errorText(e), 'the action was not performed');
    }
    this.inFlight.set(rc.requestId, { rc, fields: base });
    let ex;
    try {
      ex = await executePlan(this.ctx, plan, rc.names);
    } finally {
      this.inFlight.delete(rc.requestId);
    }
    const reply = this.replies.executed(rc.requestId, plan, ex, rc);
    const outcome: AuditFields = { ...base, phase: 'outcome', outcome: ex.status, detail: ex.outcomes.map((o) => `${o.id}: ${o.result}: ${o.detail}`).join('; ') };
    const failed = ex.outcomes.find((o) => o.code !== undefined);
    if (failed?.code !== undefined) outcome.errorCode = failed.code;
    try {
      await this.trail.write(rc, outcome);
    } catch (e) {
      reply.sections.push({ kind: 'text', text: `Warning: the action happened, but its outcome could not be written to the audit log (${errorText(e)}).` });
    }
    return reply;
  }

  /**
   * Records an `interrupted` outcome for every action between its intent and its outcome record
   * (the process is stopping under it); resolves with how many there were.
   */
  async interruptInFlight(reason: string): Promise<number> {
    const all = [...this.inFlight.values()];
    this.inFlight.clear();
    await Promise.all(all.map((f) => this.trail.note(f.rc, { ...f.fields, phase: 'outcome', outcome: 'interrupted', detail: reason })));
    return all.length;
  }
}

import type { AuditDecision, AuditRecord, AuditSink, AuditTarget } from './audit.js';
import { MAX_AUDIT_COMMAND } from './audit.js';
import { callerLabel } from './caller.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { Plan } from './plan.js';
import type { ReplyFactory } from './replies.js';
import type { Reply } from './results.js';
import type { RequestContext } from './request.js';
import type { Session } from '../wts/session.js';
import { qualifiedUser } from '../wts/session.js';

export type AuditFields = Partial<AuditRecord> & { decision: AuditDecision };

export function targetsOf(sessions: readonly Session[]): AuditTarget[] {
  return sessions.map((s) => ({ server: s.server, id: s.id, user: qualifiedUser(s), state: s.state }));
}

/** What every record about a plan says: the action, where, on which sessions, and as whom for self-service. */
export function planFields(plan: Plan): Omit<AuditFields, 'decision'> {
  const f: Omit<AuditFields, 'decision'> = { action: plan.action, server: plan.server, targets: targetsOf(plan.sessions) };
  if (plan.selfService) {
    f.selfService = true;
    f.account = plan.selfService.account;
  }
  return f;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Every request's records. `write` is for records an action depends on (no intent record, no action;
 * no record, no answer to a query); `note` for records of what did not happen (a denial, an invalid
 * command, a cancel, an expiry): those never hold up the reply, but a failure to write one is logged,
 * never swallowed.
 */
export class AuditTrail {
  constructor(
    private readonly sink: AuditSink,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly simulated: boolean,
  ) {}

  write(rc: RequestContext, fields: AuditFields): Promise<void> {
    const command = rc.command.length > MAX_AUDIT_COMMAND ? rc.command.slice(0, MAX_AUDIT_COMMAND) : rc.command;
    const rec: AuditRecord = {
      time: new Date(this.clock.now()).toISOString(),
      requestId: rc.requestId,
      platform: rc.caller.platform,
      userId: rc.caller.userId,
      userName: rc.caller.userName,
      command,
      decision: fields.decision,
      durationMs: this.clock.now() - rc.startedAt,
      simulated: this.simulated,
    };
    if (command.length < rc.command.length) rec.commandLength = rc.command.length;
    if (rc.verb) rec.verb = rc.verb;
    if (rc.reason !== undefined) rec.reason = rc.reason;
    if (rc.participants?.length) rec.participants = rc.participants.map((p) => ({ ...p, at: new Date(p.at).toISOString() }));
    Object.assign(rec, fields);
    if (rc.caller.channel !== undefined) rec.channel = rc.caller.channel;
    return this.sink.append(rec);
  }

  /** Queries are audited before they are answered: no audit, no answer. */
  async answer(rc: RequestContext, fields: AuditFields, reply: Reply, replies: ReplyFactory): Promise<Reply> {
    try {
      await this.write(rc, fields);
      return reply;
    } catch (e) {
      return replies.auditFailed(rc.requestId, errorText(e), 'the answer is withheld');
    }
  }

  async note(rc: RequestContext, fields: AuditFields): Promise<void> {
    try {
      await this.write(rc, fields);
    } catch (e) {
      this.log.error(
        `audit: could not write the "${fields.decision}" record of request ${rc.requestId} by ${callerLabel(rc.caller)} (${errorText(e)}); command: ${rc.command.slice(0, 200)}`,
      );
    }
  }
}

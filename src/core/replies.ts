import { qualifiedUser, type Session } from '../wts/session.js';
import type { Action } from './actions.js';
import type { PendingApproval } from './approvals.js';
import type { Caller } from './caller.js';
import type { CommandNames } from './command-names.js';
import type { UsageError, Verb } from './grammar/command.js';
import { helpText } from './grammar/usage.js';
import type { Participant } from './participants.js';
import { isBulk, type Plan } from './plan.js';
import type { ApprovalRule, ReasonRule } from './policy/access-model.js';
import { formatDuration } from './render/format.js';
import type { RequestContext } from './request.js';
import type { Reply, ReplyStatus, Section, ServerFailure } from './results.js';
import type { Execution } from './usecases/execute.js';
import { SWITCHES } from './verbs/switches.js';
import { actingSpec, splitVerb } from './verbs/table.js';

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

export function describeSession(s: Session): string {
  const user = qualifiedUser(s);
  return `session ${s.id} (${user ? `${user}, ` : ''}${s.state})`;
}

/** How a person is named in a reply. */
export function personOf(c: Caller): string {
  return c.userName || c.userId;
}

/** "Log off session 3 (CORP\jdoe, Active) on rds01" / "Log off 4 disconnected sessions on rds04" */
export function planLabel(plan: Plan): string {
  const label = actingSpec(plan.action).label;
  const n = plan.sessions.length;
  const first = plan.sessions[0];
  if (n === 1 && first && !plan.scope) return `${label} ${describeSession(first)} on ${plan.server}`;
  const kind = plan.scope === 'disconnected' ? 'disconnected ' : plan.scope === 'all' ? 'user ' : '';
  return `${label} ${n} ${kind}session${n === 1 ? '' : 's'} on ${plan.server}`;
}

export function executionSummary(plan: Plan, ex: Execution): string {
  const done = actingSpec(plan.action).done;
  const first = ex.outcomes[0];
  if (ex.outcomes.length === 1 && first) {
    if (first.result !== 'done') return `Not done: ${first.detail}.`;
    return `${done} session ${first.id}${first.user ? ` (${first.user})` : ''} on ${plan.server}: ${first.detail}.`;
  }
  const n = ex.outcomes.filter((o) => o.result === 'done').length;
  return `${done} ${n} of ${ex.outcomes.length} sessions on ${plan.server}.`;
}

/** `1 approval by seniors`, `2 approvals by seniors or leads` */
export function approvalsWanted(rule: ApprovalRule, already = 0): string {
  const n = rule.count - already;
  return `${n} ${already > 0 ? 'more ' : ''}approval${n === 1 ? '' : 's'} by ${rule.by.join(' or ')}`;
}

function reasonLine(reason: string | undefined): string[] {
  return reason === undefined ? [] : [`Reason: ${reason}`];
}

/** `/rwinsta /reason:"INC0012345 user stuck" rds01 3`: the command as typed, with a reason that would do. */
/** The command as typed here (`/rdmsg` in Slack), with an example reason in place of any given. */
function withReason(rc: RequestContext, example: string): string {
  const { verbWord, rest } = splitVerb(rc.command);
  const without = rest.replace(/\s[/-]reason[:=](?:["\u201C\u201D\u201E][^"\u201C\u201D]*["\u201C\u201D]|\S*)/gi, '').trim();
  const verb = rc.verb ? rc.names.of(rc.verb) : verbWord;
  return `${verb} /reason:"${example}"${without ? ` ${without}` : ''}`;
}

/** The replies the bot gives, by what happened; the wording lives here, not in the flows or the adapters. */
export class ReplyFactory {
  constructor(private readonly simulated: boolean) {}

  make(requestId: string, status: ReplyStatus, summary: string, sections: Section[] = [], isPrivate = false): Reply {
    return { status, summary, sections, private: isPrivate, simulated: this.simulated, requestId };
  }

  help(requestId: string, topic: Verb | undefined, names: CommandNames): Reply {
    return this.make(requestId, 'help', topic ? `Help: ${names.of(topic)}` : 'Commands:', [{ kind: 'text', text: helpText(topic, names) }], true);
  }

  usage(requestId: string, e: UsageError): Reply {
    return this.make(requestId, 'usage', `Error: ${e.message}.`, [{ kind: 'usage', text: e.usage }], true);
  }

  /** `where`: the channels where a grant would have allowed it, as the caller's platform names them. */
  denied(requestId: string, permission: string, server: string, reason: string, where?: readonly string[]): Reply {
    if (where?.length) {
      return this.make(requestId, 'denied', `Denied: you lack "${permission}" on ${server} here; use it in ${where.join(' or ')}.`, [{ kind: 'text', text: `${capitalize(reason)}.` }], true);
    }
    return this.make(
      requestId,
      'denied',
      `Denied: you lack "${permission}" on ${server}.`,
      [{ kind: 'text', text: `${capitalize(reason)}. An administrator can grant it in the access file (roles → grants → actions/servers).` }],
      true,
    );
  }

  selfServiceDenied(requestId: string, reason: string): Reply {
    return this.make(requestId, 'denied', `Denied: ${reason}.`, [{ kind: 'text', text: 'Nothing was read or changed. The helpdesk can end your session for you.' }], true);
  }

  /** Self-service: who the caller is on Windows could not be told; fail closed. */
  whoAreYou(requestId: string, reason: string): Reply {
    return this.make(requestId, 'denied', `Denied: I cannot tell which Windows account is yours: ${reason}.`, [{ kind: 'text', text: 'Nothing was read or changed. Ask the helpdesk to map your chat account to your Windows account (identities in the access file).' }], true);
  }

  /** A reason is missing or does not match: what the access file asks for, and a command that would do. */
  reasonNeeded(rc: RequestContext, rules: readonly ReasonRule[]): Reply {
    const rule = rules[0];
    const pattern = rules.flatMap((r) => (r.pattern ? [r.pattern.source] : []));
    const shape = pattern.length ? ` matching ${pattern.join(' or ')}` : '';
    const summary =
      rc.reason === undefined
        ? `Error: this action needs a reason or ticket${shape}: add /reason:"…".`
        : `Error: the reason "${rc.reason}" does not match ${pattern.join(' or ')}, as the access file asks.`;
    const example = withReason(rc, rule?.example ?? SWITCHES.reason.value?.example.replace(/"/g, '') ?? '');
    const sections: Section[] = [{ kind: 'usage', text: example }];
    if (rc.caller.platform === 'discord') sections.push({ kind: 'text', text: 'In Discord, fill in the reason option of the command.' });
    return this.make(rc.requestId, 'usage', summary, sections, true);
  }

  /** The console cannot ask a second person: such an action is requested in chat. */
  approvalNotFromConsole(requestId: string, action: Action, server: string, rule: ApprovalRule): Reply {
    return this.make(
      requestId,
      'denied',
      `Denied: a second person must approve this ${action} on ${server} in chat (${approvalsWanted(rule)}); the console cannot ask for it.`,
      [{ kind: 'text', text: 'Request it in Slack or Discord, where an approver can approve it. Nothing was done.' }],
      true,
    );
  }

  /** Something that is never done, whoever asks (session 0, a listener). */
  refused(requestId: string, why: string): Reply {
    return this.make(requestId, 'refused', `Refused: ${why}.`, [], true);
  }

  auditFailed(requestId: string, error: string, what: string): Reply {
    return this.make(
      requestId,
      'failed',
      `Refused: the audit log could not be written (${error}), so ${what}.`,
      [{ kind: 'text', text: 'Nothing was changed. Fix the audit file (RWINSTA_AUDIT_FILE: permissions, disk space) and try again.' }],
      true,
    );
  }

  rateLimited(requestId: string, limit: number, waitMs: number): Reply {
    return this.make(requestId, 'rate-limited', `Slow down: you may run ${limit} logoffs or disconnects per minute; try again in ${Math.ceil(waitMs / 1000)} s. Nothing was done.`, [], true);
  }

  stateUnavailable(requestId: string, error: string): Reply {
    return this.make(
      requestId,
      'failed',
      `Refused: the shared state store cannot be reached (${error}), so nothing was done.`,
      [{ kind: 'text', text: 'Actions and confirmations wait for it (RWINSTA_STATE_URL); queries still answer. It recovers by itself when the store is back: try again in a moment.' }],
      true,
    );
  }

  internalError(requestId: string, text: string): Reply {
    return this.make(requestId, 'failed', `Internal error (request ${requestId}): ${text}. Nothing further was done.`, [], true);
  }

  serverFailed(requestId: string, f: ServerFailure): Reply {
    return this.make(requestId, 'failed', `Not done: ${f.message}`, [], true);
  }

  nothingToDo(requestId: string, message: string): Reply {
    return this.make(requestId, 'ok', message);
  }

  tooMany(requestId: string, message: string, candidates: Session[]): Reply {
    return this.make(requestId, 'denied', `Not done: ${message}.`, [{ kind: 'sessions', sessions: candidates, showServer: false, verbose: false }], true);
  }

  /** A target that names no session, or several when one was meant. */
  unresolved(requestId: string, kind: 'not-found' | 'ambiguous', message: string, candidates?: Session[]): Reply {
    const sections: Section[] = candidates ? [{ kind: 'sessions', sessions: candidates, showServer: false, verbose: false }] : [];
    return this.make(requestId, kind === 'not-found' ? 'failed' : 'usage', `${capitalize(message)}.`, sections, true);
  }

  alreadyUsed(requestId: string, what: 'confirm' | 'cancel'): Reply {
    const tail = what === 'confirm' ? '; nothing was done. Run the command again if it is still needed.' : '.';
    return this.make(requestId, 'expired', `This confirmation was already used, cancelled or has expired${tail}`, [], true);
  }

  notRequester(requestId: string, requester: Caller, what: 'confirm' | 'cancel'): Reply {
    return this.make(requestId, 'denied', `Only ${personOf(requester)} can ${what} this${what === 'confirm' ? '; nothing was done' : ''}.`, [], true);
  }

  cancelled(requestId: string, plan: Plan): Reply {
    return this.make(requestId, 'cancelled', `Cancelled: ${lowerFirst(planLabel(plan))} was not done.`);
  }

  expired(requestId: string, plan: Plan, ttlMs: number): Reply {
    return this.make(requestId, 'expired', `Expired: ${lowerFirst(planLabel(plan))} was not confirmed within ${formatDuration(ttlMs)}; nothing was done.`);
  }

  /** Public: the team sees what is about to happen; only the requester can confirm it. */
  confirmPrompt(
    requestId: string,
    plan: Plan,
    requester: Caller,
    p: { id: string; expiresAt: number; ttlMs: number },
    note?: string,
    extra: { reason?: string; approval?: ApprovalRule } = {},
  ): Reply {
    const label = planLabel(plan);
    const lines = [
      actingSpec(plan.action).consequence(plan),
      ...reasonLine(extra.reason),
      ...(extra.approval ? [`After you confirm, it needs ${approvalsWanted(extra.approval)} before anything is done.`] : []),
      `Expires in ${formatDuration(p.ttlMs)}; only ${personOf(requester)} can confirm. Each session is re-checked just before acting.`,
    ];
    if (note) lines.unshift(note);
    const sections: Section[] = [
      { kind: 'sessions', sessions: plan.sessions, showServer: false, verbose: false },
      { kind: 'text', text: lines.join('\n') },
    ];
    const reply = this.make(requestId, 'confirm', `Confirm: ${lowerFirst(label)}?`, sections, false);
    reply.confirmation = { id: p.id, expiresAt: p.expiresAt, actionLabel: label };
    return reply;
  }

  executed(requestId: string, plan: Plan, ex: Execution, rc?: Pick<RequestContext, 'reason' | 'participants'>): Reply {
    const sections: Section[] = [];
    if (ex.outcomes.length > 1 || ex.status !== 'ok') sections.push({ kind: 'outcomes', outcomes: ex.outcomes });
    if (plan.verbose) sections.push({ kind: 'steps', steps: ex.steps });
    if (rc?.reason !== undefined) sections.push({ kind: 'text', text: reasonLine(rc.reason).join('') });
    const reply = this.make(requestId, ex.status, executionSummary(plan, ex), sections, false);
    if (rc?.participants?.length) reply.participants = [...rc.participants];
    return reply;
  }

  // ---- approvals ----

  /** What approvers see, with Approve and Reject: who asks, what, where, which sessions, why, and how many approvals are still wanted. */
  approvalRequest(requestId: string, p: PendingApproval, now: number): Reply {
    const label = planLabel(p.plan);
    const got = p.approvals.length;
    const lines = [
      actingSpec(p.plan.action).consequence(p.plan),
      ...reasonLine(p.reason),
      `Requested by ${personOf(p.requester)}; needs ${approvalsWanted(p.rule, got)}, each someone other than ${personOf(p.requester)} who also holds "${p.plan.action}" on ${p.plan.server}.`,
      ...(got > 0 ? [`Approved so far: ${got} of ${p.rule.count}.`] : []),
      `Expires in ${formatDuration(Math.max(0, p.expiresAt - now))}. Each session is re-checked just before acting.`,
    ];
    const reply = this.make(requestId, 'awaiting-approval', `Approval needed: ${lowerFirst(label)}.`, [
      { kind: 'sessions', sessions: p.plan.sessions, showServer: false, verbose: false },
      { kind: 'text', text: lines.join('\n') },
    ]);
    reply.approval = { id: p.id, expiresAt: p.expiresAt, actionLabel: label };
    reply.participants = [...p.participants, ...p.approvals];
    return reply;
  }

  /** What the requester is told: it waits, and where its outcome will show. `request` goes to the approvers. */
  approvalWaiting(requestId: string, p: PendingApproval, request: Reply, ttlMs: number): Reply {
    const lines = [
      ...reasonLine(p.reason),
      `It needs ${approvalsWanted(p.rule)}. The request is posted for them with Approve and Reject; its outcome will be shown there. Expires in ${formatDuration(ttlMs)}; nothing is done until then.`,
    ];
    const reply = this.make(requestId, 'awaiting-approval', `Waiting for approval: ${lowerFirst(planLabel(p.plan))}.`, [{ kind: 'text', text: lines.join('\n') }]);
    reply.approvalRequest = { id: p.id, expiresAt: p.expiresAt, request };
    return reply;
  }

  rejected(requestId: string, p: PendingApproval, by: Caller, note: string | undefined, participants: Participant[]): Reply {
    const lines = [note ? `${personOf(by)} replied: ${note}` : `${personOf(by)} gave no reply.`, ...reasonLine(p.reason)];
    const reply = this.make(requestId, 'rejected', `Rejected: ${lowerFirst(planLabel(p.plan))} was not done.`, [{ kind: 'text', text: lines.join('\n') }]);
    reply.participants = participants;
    return reply;
  }

  withdrawn(requestId: string, p: PendingApproval, participants: Participant[]): Reply {
    const reply = this.make(requestId, 'cancelled', `Withdrawn: ${lowerFirst(planLabel(p.plan))} was not done.`);
    reply.participants = participants;
    return reply;
  }

  approvalExpired(requestId: string, p: PendingApproval, ttlMs: number): Reply {
    const got = p.approvals.length;
    const reply = this.make(
      requestId,
      'expired',
      `Expired: ${lowerFirst(planLabel(p.plan))} was not approved within ${formatDuration(ttlMs)}; nothing was done.`,
      got > 0 ? [{ kind: 'text', text: `It had ${got} of the ${p.rule.count} approvals it needed.` }] : [],
    );
    reply.participants = [...p.participants, ...p.approvals];
    return reply;
  }

  /** Private: a press on an approval request that is refused; the request stays as it is. */
  approvalRefused(requestId: string, p: PendingApproval, why: ApprovalRefusal): Reply {
    const tail = ' Nothing was done.';
    switch (why) {
      case 'self':
        return this.make(requestId, 'denied', `You asked for this, so you cannot approve it: it needs ${approvalsWanted(p.rule, p.approvals.length)}, from someone else.${tail}`, [], true);
      case 'platform':
        return this.make(requestId, 'denied', `This was requested in ${capitalize(p.requester.platform)}; only approvers there can answer it.${tail}`, [], true);
      case 'role':
        return this.make(requestId, 'denied', `Only members of ${p.rule.by.join(' or ')} may answer this request, and none of your roles is one of them.${tail}`, [], true);
      case 'action':
        return this.make(requestId, 'denied', `You lack "${p.plan.action}"${isBulk(p.plan) ? ' or "bulk"' : ''} on ${p.plan.server} here yourself, so you cannot approve it.${tail}`, [], true);
      case 'twice':
        return this.make(requestId, 'denied', `You approved this already; it needs ${approvalsWanted(p.rule, p.approvals.length)}, from someone else.`, [], true);
      case 'decided':
        return this.make(requestId, 'expired', 'This request has all its approvals already and was acted on once; nothing more was done.', [], true);
    }
  }

  /** Private: the request is gone (decided, withdrawn or expired). */
  approvalClosed(requestId: string): Reply {
    return this.make(requestId, 'expired', 'This approval request was already decided, withdrawn or has expired; nothing more was done.', [], true);
  }
}

export type ApprovalRefusal = 'self' | 'platform' | 'role' | 'action' | 'twice' | 'decided';

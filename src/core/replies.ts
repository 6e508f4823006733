import { qualifiedUser, type Session } from '../wts/session.js';
import type { UsageError } from './grammar/command.js';
import type { Plan, PlanAction } from './plan.js';
import type { Reply, ReplyStatus, Section } from './results.js';
import type { Execution } from './usecases/execute.js';

/** Builders for the replies the bot gives; wording lives here, not in the adapters. */
export class ReplyFactory {
  constructor(private readonly simulated: boolean) {}

  make(requestId: string, status: ReplyStatus, summary: string, sections: Section[] = [], isPrivate = false): Reply {
    return { status, summary, sections, private: isPrivate, simulated: this.simulated, requestId };
  }

  usage(requestId: string, e: UsageError): Reply {
    return this.make(requestId, 'usage', `Error: ${e.message}.`, [{ kind: 'usage', text: e.usage }], true);
  }

  denied(requestId: string, action: string, server: string, reason: string): Reply {
    return this.make(
      requestId,
      'denied',
      `Denied: you lack "${action}" on ${server}.`,
      [{ kind: 'text', text: `${capitalize(reason)}. An administrator can grant it in the access file (roles → grants → actions/servers).` }],
      true,
    );
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
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

const VERB_PHRASE: Record<PlanAction, string> = {
  logoff: 'Log off',
  disconnect: 'Disconnect',
  message: 'Send the message to',
};

export function describeSession(s: Session): string {
  const user = qualifiedUser(s);
  return `session ${s.id} (${user ? `${user}, ` : ''}${s.state})`;
}

/** "Log off session 3 (CORP\jdoe, Active) on rds01" / "Log off 4 disconnected sessions on rds04" */
export function planLabel(plan: Plan): string {
  const n = plan.sessions.length;
  const first = plan.sessions[0];
  if (n === 1 && first && !plan.scope) return `${VERB_PHRASE[plan.action]} ${describeSession(first)} on ${plan.server}`;
  const kind = plan.scope === 'disconnected' ? 'disconnected ' : plan.scope === 'all' ? 'user ' : '';
  return `${VERB_PHRASE[plan.action]} ${n} ${kind}session${n === 1 ? '' : 's'} on ${plan.server}`;
}

export function planConsequence(plan: Plan): string {
  switch (plan.action) {
    case 'logoff':
      return 'Their programs close and unsaved work is lost.';
    case 'disconnect':
      return 'Users are dropped; their programs keep running and they can reconnect.';
    case 'message':
      return `Message: "${plan.message?.text ?? ''}"`;
  }
}

export function executionSummary(plan: Plan, ex: Execution): string {
  const done = ex.outcomes.filter((o) => o.result === 'done');
  const first = ex.outcomes[0];
  if (ex.outcomes.length === 1 && first) {
    const who = first.user ? ` (${first.user})` : '';
    if (first.result === 'done') {
      const verb = plan.action === 'logoff' ? 'Logged off' : plan.action === 'disconnect' ? 'Disconnected' : 'Sent the message to';
      return `${verb} session ${first.id}${who} on ${plan.server}: ${first.detail}.`;
    }
    return `Not done: ${first.detail}.`;
  }
  const verb = plan.action === 'logoff' ? 'Logged off' : plan.action === 'disconnect' ? 'Disconnected' : 'Sent the message to';
  return `${verb} ${done.length} of ${ex.outcomes.length} sessions on ${plan.server}.`;
}

import { WIN32 } from '../wts/errors.js';
import { qualifiedUser, type Session } from '../wts/session.js';
import { ageText } from './age-filter.js';
import type { Caller } from './caller.js';
import type { CommandNames } from './command-names.js';
import type { UsageError, Verb } from './grammar/command.js';
import { helpText } from './grammar/usage.js';
import type { Plan } from './plan.js';
import { programList } from './programs.js';
import { formatDuration } from './render/format.js';
import type { Reply, ReplyStatus, Section, ServerFailure } from './results.js';
import type { Execution } from './usecases/execute.js';
import type { OpenPrograms } from './usecases/open-programs.js';
import { actingSpec } from './verbs/table.js';

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

/** "Log off session 3 (CORP\jdoe, Active) on rds01" / "Log off 4 disconnected sessions idle 8h or more on rds04" */
export function planLabel(plan: Plan): string {
  const label = actingSpec(plan.action).label;
  const n = plan.sessions.length;
  const first = plan.sessions[0];
  if (n === 1 && first && !plan.scope && !plan.age) return `${label} ${describeSession(first)} on ${plan.server}`;
  const kind = plan.scope === 'disconnected' ? 'disconnected ' : plan.scope === 'all' ? 'user ' : '';
  return `${label} ${n} ${kind}session${n === 1 ? '' : 's'}${plan.age ? ` ${ageText(plan.age)}` : ''} on ${plan.server}`;
}

/**
 * Distinct images shown per session in a prompt, the characters one session's line may take, and
 * those the whole list may take (so that it stays one Slack section of 3,000 and one Discord embed of 4,096).
 */
export const PROGRAMS_PER_SESSION = 12;
export const MAX_PROGRAMS_LINE = 600;
export const MAX_PROGRAMS_TEXT = 2000;

/** "Leaves alone: 2 other disconnected sessions (not idle 8h or more)." */
function leftAloneLine(plan: Plan): string | undefined {
  if (!plan.age) return undefined;
  const n = plan.leftAlone ?? 0;
  const kind = plan.scope === 'disconnected' ? 'disconnected' : plan.scope === 'all' ? 'user' : 'connected';
  if (n === 0) return `Leaves alone: no other ${kind} session on ${plan.server}.`;
  return `Leaves alone: ${n} other ${kind} session${n === 1 ? '' : 's'} on ${plan.server} (not ${ageText(plan.age)}).`;
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

  denied(requestId: string, permission: string, server: string, reason: string): Reply {
    return this.make(
      requestId,
      'denied',
      `Denied: you lack "${permission}" on ${server}.`,
      [{ kind: 'text', text: `${capitalize(reason)}. An administrator can grant it in the access file (roles → grants → actions/servers).` }],
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

  /**
   * What is open in the sessions a logoff would close: `Open: WINWORD.EXE, chrome.exe ×14`, one line
   * per session when there are several, cut with a count to MAX_PROGRAMS_TEXT; or why it is not known.
   */
  openPrograms(plan: Plan, open: OpenPrograms, names: CommandNames): Section {
    const q = names.of('qprocess');
    const first = plan.sessions[0];
    const one = plan.sessions.length === 1 && first ? first : undefined;
    const where = one ? `${plan.server} ${one.id}` : `${plan.server} *`;
    const text = (t: string): Section => ({ kind: 'text', text: t });
    switch (open.kind) {
      case 'late':
        return text(`Open programs: not known yet: ${plan.server} did not list them within ${formatDuration(open.waitedMs)} (${q} ${where} shows them).`);
      case 'failed':
        if (open.failure.code === WIN32.ACCESS_DENIED) {
          return text(`Open programs: not shown: the bot's Windows account needs to be a local administrator on ${plan.server} to see another user's programs.`);
        }
        return text(`Open programs: not shown: ${open.failure.message}`);
      case 'listed': {
        if (one) {
          const programs = open.sessions[0]?.programs ?? [];
          return text(`Open: ${programs.length ? programList(programs, PROGRAMS_PER_SESSION, MAX_PROGRAMS_TEXT - 100) : 'no programs besides the Windows shell'}`);
        }
        const lines: string[] = [];
        let size = 0;
        for (const [i, o] of open.sessions.entries()) {
          const s = plan.sessions.find((x) => x.id === o.id);
          const who = s && qualifiedUser(s) ? ` (${qualifiedUser(s)})` : '';
          const line = `Open in session ${o.id}${who}: ${o.programs.length ? programList(o.programs, PROGRAMS_PER_SESSION, MAX_PROGRAMS_LINE) : 'nothing besides the Windows shell'}`;
          const rest = open.sessions.length - i;
          if (size + line.length + 1 > MAX_PROGRAMS_TEXT - 100) {
            lines.push(`…and the programs of ${rest} more session${rest === 1 ? '' : 's'}: ${q} ${where} shows them.`);
            break;
          }
          lines.push(line);
          size += line.length + 1;
        }
        return text(lines.join('\n'));
      }
    }
  }

  /** Public: the team sees what is about to happen; only the requester can confirm it. */
  confirmPrompt(requestId: string, plan: Plan, requester: Caller, p: { id: string; expiresAt: number; ttlMs: number }, note?: string, programs?: Section): Reply {
    const label = planLabel(plan);
    const lines = [
      actingSpec(plan.action).consequence(plan),
      `Expires in ${formatDuration(p.ttlMs)}; only ${personOf(requester)} can confirm. Each session is re-checked just before acting.`,
    ];
    const alone = leftAloneLine(plan);
    if (alone) lines.splice(1, 0, alone);
    if (note) lines.unshift(note);
    const sections: Section[] = [
      { kind: 'sessions', sessions: plan.sessions, showServer: false, verbose: false },
      ...(programs ? [programs] : []),
      { kind: 'text', text: lines.join('\n') },
    ];
    const reply = this.make(requestId, 'confirm', `Confirm: ${lowerFirst(label)}?`, sections, false);
    reply.confirmation = { id: p.id, expiresAt: p.expiresAt, actionLabel: label };
    return reply;
  }

  executed(requestId: string, plan: Plan, ex: Execution): Reply {
    const sections: Section[] = [];
    if (ex.outcomes.length > 1 || ex.status !== 'ok') sections.push({ kind: 'outcomes', outcomes: ex.outcomes });
    if (plan.verbose) sections.push({ kind: 'steps', steps: ex.steps });
    return this.make(requestId, ex.status, executionSummary(plan, ex), sections, false);
  }
}

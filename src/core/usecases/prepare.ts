import type { Session } from '../../wts/session.js';
import { CONSOLE_NAMES, type CommandNames } from '../command-names.js';
import { actingActionOf } from '../commands.js';
import type { ActionCommand } from '../grammar/command.js';
import type { Plan } from '../plan.js';
import type { ServerFailure } from '../results.js';
import { bulkSessions, resolveTarget } from '../session-match.js';
import { toFailure, type UseCaseContext } from './context.js';

export type Preparation =
  | { ok: true; plan: Plan }
  | { ok: false; kind: 'nothing-to-do'; message: string }
  | { ok: false; kind: 'not-found' | 'ambiguous'; message: string; candidates?: Session[] }
  | { ok: false; kind: 'refused'; message: string }
  | { ok: false; kind: 'too-many'; message: string; candidates: Session[] }
  | { ok: false; kind: 'backend'; failure: ServerFailure };

/** Reads the server and turns the command into an exact plan: which sessions, in which state. */
export async function preparePlan(ctx: UseCaseContext, cmd: ActionCommand, names: CommandNames = CONSOLE_NAMES): Promise<Preparation> {
  const action = actingActionOf(cmd);
  let sessions: Session[];
  try {
    sessions = await ctx.backend.listSessions(cmd.server);
  } catch (e) {
    return { ok: false, kind: 'backend', failure: toFailure(e, cmd.server) };
  }
  let chosen: Session[];
  if (cmd.kind === 'bulk-logoff') {
    chosen = bulkSessions(sessions, cmd.scope);
    if (chosen.length === 0) {
      const what = cmd.scope === 'disconnected' ? 'disconnected sessions' : 'user sessions';
      return { ok: false, kind: 'nothing-to-do', message: `Nothing to do: no ${what} on ${cmd.server}.` };
    }
  } else {
    const r = resolveTarget(sessions, cmd.target, cmd.server, action, cmd.verb, names);
    if (!r.ok) {
      if (r.kind === 'refused') return { ok: false, kind: 'refused', message: r.message };
      return r.candidates ? { ok: false, kind: r.kind, message: r.message, candidates: r.candidates } : { ok: false, kind: r.kind, message: r.message };
    }
    chosen = r.sessions;
    if (chosen.length === 0) return { ok: false, kind: 'nothing-to-do', message: `Nothing to do: no user sessions on ${cmd.server}.` };
  }
  if (chosen.length > ctx.settings.bulkMax) {
    return {
      ok: false,
      kind: 'too-many',
      message: `${chosen.length} sessions on ${cmd.server} is more than the limit of ${ctx.settings.bulkMax} for one command (RWINSTA_BULK_MAX); act on them in smaller groups by ID`,
      candidates: chosen,
    };
  }
  chosen.sort((a, b) => a.id - b.id);
  const plan: Plan = { action, server: cmd.server, sessions: chosen, verbose: cmd.verbose };
  if (cmd.kind === 'bulk-logoff') plan.scope = cmd.scope;
  if (cmd.kind === 'message') plan.message = { text: cmd.text, timeSeconds: cmd.timeSeconds, wait: cmd.wait };
  return { ok: true, plan };
}

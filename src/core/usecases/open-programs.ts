import { within, type Timer } from '../clock.js';
import type { Plan } from '../plan.js';
import { openProgramsOf, type ProgramCount } from '../programs.js';
import type { ServerFailure } from '../results.js';
import { toFailure, type UseCaseContext } from './context.js';

/** How long a logoff prompt waits for the programs: past this it is shown without them, and says so. */
export const OPEN_PROGRAMS_WAIT_MS = 2000;

export type OpenPrograms =
  | { kind: 'listed'; sessions: { id: number; programs: ProgramCount[] }[] }
  | { kind: 'late'; waitedMs: number }
  | { kind: 'failed'; failure: ServerFailure };

/**
 * The programs open in each session of a plan, for its prompt: one listing of the server (of the
 * one session, when there is one), bounded in time. Never throws: a failure is what the prompt says.
 */
export async function openPrograms(ctx: UseCaseContext, timer: Timer, plan: Plan): Promise<OpenPrograms> {
  const only = plan.sessions.length === 1 ? plan.sessions[0] : undefined;
  try {
    const r = await within(timer, OPEN_PROGRAMS_WAIT_MS, ctx.backend.listProcesses(plan.server, only?.id));
    if (r.late) return { kind: 'late', waitedMs: OPEN_PROGRAMS_WAIT_MS };
    return { kind: 'listed', sessions: plan.sessions.map((s) => ({ id: s.id, programs: openProgramsOf(r.value, s.id) })) };
  } catch (e) {
    return { kind: 'failed', failure: toFailure(e, plan.server) };
  }
}

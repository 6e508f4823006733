import type { ProcessInfo } from '../../wts/process.js';
import { qualifiedUser, type Session } from '../../wts/session.js';
import type { Target } from '../grammar/command.js';
import { describeTarget } from '../grammar/targets.js';
import { isSystemProcess } from '../programs.js';
import type { ProcessLine, Section, ServerFailure } from '../results.js';
import { filterSessions } from '../session-match.js';
import { toFailure, type UseCaseContext } from './context.js';

export interface ProcessesResult {
  status: 'ok' | 'failed';
  summary: string;
  sections: Section[];
  /** The sessions whose processes were shown, for the audit record. */
  sessions: Session[];
  failure?: ServerFailure;
}

function sessionText(s: Session): string {
  const user = qualifiedUser(s);
  return `session ${s.id}${user ? ` (${user})` : ''}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * qprocess: the processes of the sessions `target` names (`*`, or a program: every session), the
 * users' own unless /system. A lone session ID that no session has is read as a process ID, as
 * Microsoft's qprocess reads a bare number: that one process is shown whoever runs it. The sessions
 * are read first, for their names and to say when the target names none.
 */
export async function showProcesses(ctx: UseCaseContext, q: { server: string; target?: Target; image?: string; system: boolean }): Promise<ProcessesResult> {
  let sessions: Session[];
  let processes: ProcessInfo[];
  const every = !q.target || q.target.kind === 'every';
  let chosen: Session[];
  /** Set when the target is an ID no session has: the process ID it is read as. */
  let pid: number | undefined;
  try {
    sessions = await ctx.backend.listSessions(q.server);
    chosen = every ? sessions : filterSessions(sessions, q.target, undefined);
    if (!every && chosen.length === 0) {
      if (q.target?.kind !== 'id') {
        return { status: 'ok', summary: `${q.server}: no session matching ${describeTarget(q.target as Target)}.`, sections: [], sessions: [] };
      }
      pid = q.target.id;
    }
    const only = pid === undefined && !every && chosen.length === 1 ? chosen[0] : undefined;
    processes = await ctx.backend.listProcesses(q.server, only?.id);
  } catch (e) {
    const failure = toFailure(e, q.server);
    return { status: 'failed', summary: failure.message, sections: [], sessions: [], failure };
  }
  const ids = new Set(chosen.map((s) => s.id));
  const names = new Map(sessions.map((s) => [s.id, s.name]));
  const image = q.image?.toLowerCase();
  const inScope = processes.filter((p) => (pid !== undefined ? p.pid === pid : every || ids.has(p.sessionId)) && (image === undefined || p.image.toLowerCase() === image));
  // One process asked for by its PID is shown whoever runs it.
  const shown = q.system || pid !== undefined ? inScope : inScope.filter((p) => !isSystemProcess(p));
  const hidden = inScope.length - shown.length;
  shown.sort((a, b) => a.sessionId - b.sessionId || a.pid - b.pid);
  const lines: ProcessLine[] = shown.map((p) => ({ ...p, sessionName: names.get(p.sessionId) ?? '' }));
  const touched = sessions.filter((s) => shown.some((p) => p.sessionId === s.id));
  // Counted from the processes: a server may list processes of sessions it does not enumerate.
  const inSessions = ` in ${plural(new Set(shown.map((p) => p.sessionId)).size, 'session')}`;
  let summary: string;
  if (pid !== undefined) {
    const p = shown[0];
    const s = touched[0];
    summary = p ? `${q.server}: process ${p.pid} (${p.image}) in ${s ? sessionText(s) : `session ${p.sessionId}`}.` : `${q.server}: no session or process with ID ${pid}.`;
  } else if (q.image !== undefined) {
    summary = shown.length > 0 ? `${q.server}: ${plural(shown.length, 'process', 'processes')} of ${q.image}${inSessions}.` : `${q.server}: no ${q.image} running.`;
  } else {
    const where = every ? inSessions : chosen.length === 1 ? ` in ${sessionText(chosen[0] as Session)}` : ` in ${plural(chosen.length, 'session')} matching ${describeTarget(q.target as Target)}`;
    summary = `${q.server}: ${plural(shown.length, 'process', 'processes')}${where}.`;
  }
  const section: Section = { kind: 'processes', processes: lines };
  if (hidden > 0) section.hidden = hidden;
  return { status: 'ok', summary, sections: [section], sessions: touched };
}

import { isUserSession, type SessionState } from '../../wts/session.js';
import { ageText, meetsAge, type AgeFilter } from '../age-filter.js';
import type { Layout, SettingsSwitch, Target } from '../grammar/command.js';
import { displayNotes } from '../verbs/qwinsta.js';
import { describeTarget } from '../grammar/targets.js';
import type { Section, ServerFailure, Step } from '../results.js';
import { filterSessions } from '../session-match.js';
import { timed, toFailure, type UseCaseContext } from './context.js';

export interface ListResult {
  status: 'ok' | 'failed';
  summary: string;
  sections: Section[];
  failure?: ServerFailure;
}

/**
 * One server's sessions. qwinsta hides the services session and listeners unless /v, a state
 * filter or IDs ask for them; quser shows user sessions only, as Microsoft's does.
 */
export async function listSessions(
  ctx: UseCaseContext,
  q: { server: string; filter?: Target; state?: SessionState; age?: AgeFilter; verbose: boolean; layout: Layout; counters?: boolean; settings?: readonly SettingsSwitch[] },
): Promise<ListResult> {
  const steps: Step[] = [];
  let all;
  try {
    all = await timed(ctx, steps, `enumerated the sessions on ${q.server}`, () => ctx.backend.listSessions(q.server));
  } catch (e) {
    const failure = toFailure(e, q.server);
    const sections: Section[] = q.verbose ? [{ kind: 'steps', steps }] : [];
    return { status: 'failed', summary: failure.message, sections, failure };
  }
  let shown = filterSessions(all, q.filter, q.state);
  const age = q.age;
  if (age) {
    const at = ctx.clock.now();
    shown = shown.filter((s) => meetsAge(s, age, at));
  }
  let hidden = 0;
  if (q.layout === 'quser') {
    shown = shown.filter(isUserSession);
  } else {
    // The services session shows with /v or its ID; listeners also when /state:listen asks for them.
    const byId = q.filter?.kind === 'id' || q.filter?.kind === 'ids';
    const visible = shown.filter((s) => q.verbose || byId || (s.id !== 0 && (s.state !== 'Listen' || q.state === 'Listen')));
    hidden = shown.length - visible.length;
    shown = visible;
  }
  shown.sort((a, b) => a.id - b.id);
  const what = [q.filter ? `matching ${describeTarget(q.filter)}` : '', q.state ? `in state ${q.state}` : '', q.age ? ageText(q.age) : ''].filter(Boolean).join(' ');
  const n = shown.length;
  const noun = q.layout === 'quser' ? 'user session' : 'session';
  const summary =
    n === 0 && what
      ? `${q.server}: no ${noun} ${what}.`
      : `${q.server}: ${n} ${noun}${n === 1 ? '' : 's'}${what ? ` ${what}` : ''}.`;
  const table: Section = { kind: 'sessions', sessions: shown, showServer: false, verbose: q.verbose, hidden, layout: q.layout };
  if (q.counters) table.counters = true;
  const sections: Section[] = [table];
  const notes = displayNotes(q);
  if (notes.length > 0) sections.push({ kind: 'text', text: notes.join('\n') });
  if (q.verbose) sections.push({ kind: 'steps', steps });
  return { status: 'ok', summary, sections };
}

import { isUserSession, type Session, type SessionState } from '../../wts/session.js';
import { ageText, meetsAge, type AgeFilter } from '../age-filter.js';
import { mapConcurrent } from '../concurrency.js';
import type { Layout, UserTarget } from '../grammar/command.js';
import { describeTarget } from '../grammar/targets.js';
import type { Section, ServerFailure } from '../results.js';
import { matchesUser } from '../session-match.js';
import { toFailure, type UseCaseContext } from './context.js';

export interface FindResult {
  status: 'ok' | 'failed';
  summary: string;
  sections: Section[];
  matches: Session[];
  failures: ServerFailure[];
}

/** Searches servers concurrently; a server that fails is reported beside the results, never fatal. */
export async function findUser(
  ctx: UseCaseContext,
  q: { user: UserTarget; state?: SessionState; age?: AgeFilter; verbose: boolean; layout: Layout; servers: readonly string[] },
): Promise<FindResult> {
  const per = await mapConcurrent(q.servers, ctx.settings.fanoutConcurrency, async (server) => {
    try {
      return { server, sessions: await ctx.backend.listSessions(server) };
    } catch (e) {
      return { server, failure: toFailure(e, server) };
    }
  });
  const matches: Session[] = [];
  const failures: ServerFailure[] = [];
  const at = ctx.clock.now();
  for (const r of per) {
    if ('failure' in r && r.failure) failures.push(r.failure);
    else if ('sessions' in r && r.sessions) {
      for (const s of r.sessions) {
        if (isUserSession(s) && matchesUser(s, q.user) && (!q.state || s.state === q.state) && (!q.age || meetsAge(s, q.age, at))) matches.push(s);
      }
    }
  }
  matches.sort((a, b) => a.server.localeCompare(b.server) || a.id - b.id);
  const who = `${describeTarget(q.user).replace(/^"|"$/g, '')}${q.age ? ` ${ageText(q.age)}` : ''}`;
  const answered = q.servers.length - failures.length;
  const sections: Section[] = [];
  if (matches.length > 0) sections.push({ kind: 'sessions', sessions: matches, showServer: true, verbose: q.verbose, layout: q.layout });
  if (failures.length > 0) sections.push({ kind: 'server-errors', errors: failures });
  if (answered === 0) {
    return {
      status: 'failed',
      summary: `Could not search for ${who}: none of the ${q.servers.length} server${q.servers.length === 1 ? '' : 's'} answered.`,
      sections,
      matches,
      failures,
    };
  }
  const servers = new Set(matches.map((m) => m.server)).size;
  const tail = failures.length > 0 ? ` (${failures.length} of ${q.servers.length} servers did not answer)` : '';
  const summary =
    matches.length === 0
      ? `No session of ${who} on the ${answered} server${answered === 1 ? '' : 's'} searched${tail}.`
      : `${who}: ${matches.length} session${matches.length === 1 ? '' : 's'} on ${servers} server${servers === 1 ? '' : 's'}${tail}.`;
  return { status: 'ok', summary, sections, matches, failures };
}

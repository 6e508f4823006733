import { isUserSession, type Session, type SessionState } from '../../wts/session.js';
import { FanOut, type ServerRead } from '../fanout.js';
import { silentLogger, type Logger } from '../logger.js';
import { MemoryStateStore } from '../ports/memory-state-store.js';
import type { StateStore } from '../ports/state-store.js';
import { ServerHealth } from '../server-health.js';
import { ageText, meetsAge, type AgeFilter } from '../age-filter.js';
import type { Layout, SettingsSwitch, UserTarget } from '../grammar/command.js';
import { displayNotes } from '../verbs/qwinsta.js';
import { describeTarget } from '../grammar/targets.js';
import { formatDuration } from '../render/format.js';
import type { Section, ServerFailure } from '../results.js';
import { matchesUser } from '../session-match.js';
import { SessionIndex } from '../session-index.js';
import type { UseCaseContext } from './context.js';

export interface SearchQuery {
  /** The user to find; absent: every session of the servers (a group listing). */
  user?: UserTarget;
  /** `@farm`: the group being listed, for the summary. */
  group?: string;
  state?: SessionState;
  /** /idle and /logon: only sessions idle, or logged on, at least this long (as of when each server was read). */
  age?: AgeFilter;
  verbose: boolean;
  layout: Layout;
  servers: readonly string[];
  /** Read every server live, even with the index on (/fresh). */
  fresh?: boolean;
  /** `/counter`: each session's traffic; `/mode` and the like: a note each. */
  counters?: boolean;
  settings?: readonly SettingsSwitch[];
}

export interface FindResult {
  status: 'ok' | 'failed';
  summary: string;
  sections: Section[];
  matches: Session[];
  failures: ServerFailure[];
  /** How old the oldest indexed answer shown is, when the index answered. */
  indexAgeMs?: number;
}

/** What a search has found so far, told as servers answer (for replies that grow). */
export interface SearchProgress {
  result: FindResult;
  answered: number;
  total: number;
}

export interface SearchDeps {
  ctx: UseCaseContext;
  fanout: FanOut;
  index: SessionIndex;
}

/** The parts a search needs, for use outside the bot (benchmarks, tests): down-server memory and index in `store`. */
export function searchDepsFor(ctx: UseCaseContext, store: StateStore = new MemoryStateStore(() => ctx.clock.now()), log: Logger = silentLogger): SearchDeps {
  const health = new ServerHealth(store, ctx.backend, ctx.clock, ctx.settings.downMs, log, ctx.settings.timeZone);
  const fanout = new FanOut(ctx, health, ctx.clock);
  return { ctx, fanout, index: new SessionIndex(store, fanout, ctx.clock, ctx.settings.indexIntervalMs, log) };
}

/**
 * Searches servers concurrently: a user's sessions, or every session of a group. A server that fails
 * is reported beside the results, never fatal; a server known to be down is skipped at once. With the
 * index on, fresh indexed answers are used at once and only the rest is read live. Progress is told
 * after every server that answers.
 */
export async function search(d: SearchDeps, q: SearchQuery, onProgress?: (p: SearchProgress) => void): Promise<FindResult> {
  const state = { matches: [] as Session[], failures: [] as ServerFailure[], answered: 0, oldest: undefined as number | undefined };
  const take = (r: ServerRead): void => {
    state.answered++;
    if ('failure' in r) state.failures.push(r.failure);
    else for (const s of r.sessions) if (selected(s, q, r.at)) state.matches.push(s);
  };
  const indexed = q.fresh ? new Map() : await d.index.lookup(q.servers);
  for (const [server, entry] of indexed) {
    take({ server, sessions: entry.sessions, at: entry.at });
    state.oldest = Math.min(state.oldest ?? entry.at, entry.at);
  }
  const live = q.servers.filter((s) => !indexed.has(s));
  const now = (): number => d.ctx.clock.now();
  if (onProgress && indexed.size > 0 && live.length > 0) onProgress({ result: result(q, state, now()), answered: state.answered, total: q.servers.length });
  await d.fanout.read(live, (r) => {
    take(r);
    if (onProgress && state.answered < q.servers.length) onProgress({ result: result(q, state, now()), answered: state.answered, total: q.servers.length });
  });
  return result(q, state, now());
}

function selected(s: Session, q: SearchQuery, readAt: number): boolean {
  if (q.state && s.state !== q.state) return false;
  if (q.age && !meetsAge(s, q.age, readAt)) return false;
  if (q.user) return isUserSession(s) && matchesUser(s, q.user);
  if (q.layout === 'quser') return isUserSession(s);
  // A group listing shows what qwinsta shows: services and listeners with /v, listeners with /state:listen.
  return q.verbose || (s.id !== 0 && (s.state !== 'Listen' || q.state === 'Listen'));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function result(q: SearchQuery, st: { matches: Session[]; failures: ServerFailure[]; answered: number; oldest: number | undefined }, now: number): FindResult {
  const matches = [...st.matches].sort((a, b) => a.server.localeCompare(b.server) || a.id - b.id);
  const failures = [...st.failures].sort((a, b) => a.server.localeCompare(b.server));
  const total = q.servers.length;
  const pending = total - st.answered;
  const answered = st.answered - failures.length;
  const sections: Section[] = [];
  if (matches.length > 0) sections.push({ kind: 'sessions', sessions: matches, showServer: true, verbose: q.verbose, layout: q.layout, ...(q.counters ? { counters: true } : {}) });
  const notes = displayNotes(q);
  if (notes.length > 0) sections.push({ kind: 'text', text: notes.join('\n') });
  if (failures.length > 0) sections.push({ kind: 'server-errors', errors: failures });
  const who = `${q.user ? describeTarget(q.user).replace(/^"|"$/g, '') : `@${q.group ?? 'servers'}`}${q.age ? ` ${ageText(q.age)}` : ''}`;
  const age = st.oldest === undefined ? undefined : Math.max(0, now - st.oldest);
  const asOf = age === undefined ? '' : ` (as of ${formatDuration(age)} ago; /fresh reads them live)`;
  const out = (status: FindResult['status'], summary: string): FindResult => {
    const r: FindResult = { status, summary, sections, matches, failures };
    if (age !== undefined) r.indexAgeMs = age;
    return r;
  };
  if (pending > 0) {
    const what = q.user ? `${who}: ${plural(matches.length, 'session')} so far` : `${who}: ${plural(matches.length, 'session')} so far`;
    return out('ok', `${what}; ${st.answered} of ${total} servers answered, still searching…`);
  }
  if (answered === 0 && total > 0) return out('failed', `Could not ${q.user ? `search for ${who}` : `list ${who}`}: none of the ${plural(total, 'server')} answered.`);
  const servers = new Set(matches.map((m) => m.server)).size;
  const tail = failures.length > 0 ? ` (${failures.length} of ${total} servers did not answer)` : '';
  if (matches.length === 0) {
    return out('ok', q.user ? `No session of ${who} on the ${plural(answered, 'server')} searched${tail}${asOf}.` : `${who}: no session on the ${plural(answered, 'server')} listed${tail}${asOf}.`);
  }
  return out('ok', `${who}: ${plural(matches.length, 'session')} on ${plural(servers, 'server')}${tail}${asOf}.`);
}

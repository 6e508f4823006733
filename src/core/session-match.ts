import { isUserSession, type Session, type SessionState } from '../wts/session.js';
import type { ActingAction } from './actions.js';
import { CONSOLE_NAMES, type CommandNames } from './command-names.js';
import type { Target, Verb } from './grammar/command.js';
import { actingSpec } from './verbs/table.js';

const patterns = new Map<string, RegExp>();

function wildcard(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    if (patterns.size < 1000) patterns.set(pattern, re);
  }
  return re.test(value);
}

/** Windows compares account and session names case-insensitively. */
const eq = (a: string, b: string): boolean => a.length === b.length && a.toLowerCase() === b.toLowerCase();

export function matchesUser(s: Session, t: Extract<Target, { kind: 'name' | 'user' }>): boolean {
  if (!s.user) return false;
  if (t.kind === 'name') return eq(s.user, t.name);
  if (t.domain && !eq(s.domain, t.domain)) return false;
  return wildcard(t.user, s.user);
}

/** For listing: which sessions a filter shows. */
export function filterSessions(sessions: Session[], filter: Target | undefined, state: SessionState | undefined): Session[] {
  return sessions.filter((s) => {
    if (state && s.state !== state) return false;
    if (!filter) return true;
    switch (filter.kind) {
      case 'id':
        return s.id === filter.id;
      case 'ids':
        return filter.ids.includes(s.id);
      case 'every':
        return isUserSession(s);
      case 'name':
        return eq(s.name, filter.name) || matchesUser(s, filter);
      case 'user':
        return matchesUser(s, filter);
    }
  });
}

export type Resolution =
  | { ok: true; sessions: Session[] }
  | { ok: false; kind: 'not-found' | 'ambiguous' | 'refused'; message: string; candidates?: Session[] };

/** Why a session may never be acted on, or undefined when it may. */
export function refusalFor(s: Session, action: ActingAction): string | undefined {
  const never = actingSpec(action).never;
  if (s.id === 0) return `session 0 on ${s.server} is the services session, where Windows' own services run; it is never ${never}`;
  if (s.state === 'Listen') return `session ${s.id} (${s.name}) on ${s.server} is a listener that accepts new connections, not a user's session; it is never ${never}`;
  return undefined;
}

/** Finds the sessions an action's target names; a name matching several sessions asks which. */
export function resolveTarget(sessions: Session[], target: Target, server: string, action: ActingAction, verb: Verb, names: CommandNames = CONSOLE_NAMES): Resolution {
  const list = `${names.of('qwinsta')} ${server} lists them`;
  let found: Session[];
  switch (target.kind) {
    case 'id':
    case 'ids': {
      const ids = target.kind === 'id' ? [target.id] : target.ids;
      const missing = ids.filter((id) => !sessions.some((s) => s.id === id));
      if (missing.length > 0) {
        return {
          ok: false,
          kind: 'not-found',
          message: `no session ${missing.join(', ')} on ${server}; it may have ended already (${list})`,
        };
      }
      found = ids.map((id) => sessions.find((s) => s.id === id) as Session);
      break;
    }
    case 'every':
      found = sessions.filter(isUserSession);
      if (found.length === 0) return { ok: false, kind: 'not-found', message: `no user sessions on ${server}` };
      break;
    case 'name': {
      const byName = sessions.filter((s) => eq(s.name, target.name));
      found = byName.length > 0 ? byName : sessions.filter((s) => matchesUser(s, target));
      break;
    }
    case 'user':
      found = sessions.filter((s) => matchesUser(s, target));
      break;
  }
  if (found.length === 0) {
    const what = target.kind === 'name' ? `named "${target.name}"` : `of ${target.kind === 'user' && target.domain ? `${target.domain}\\${target.user}` : target.kind === 'user' ? target.user : ''}`;
    return { ok: false, kind: 'not-found', message: `no session ${what} on ${server} (${list})` };
  }
  if ((target.kind === 'name' || target.kind === 'user') && found.length > 1) {
    const ids = found.map((s) => s.id).join(' or ');
    return {
      ok: false,
      kind: 'ambiguous',
      message: `${found.length} sessions on ${server} match; say which by ID (${ids}), e.g. ${names.of(verb)} ${server} ${found[0]?.id ?? ''}`,
      candidates: found,
    };
  }
  for (const s of found) {
    const refusal = refusalFor(s, action);
    if (refusal && target.kind !== 'every') return { ok: false, kind: 'refused', message: refusal };
  }
  return { ok: true, sessions: found.filter((s) => !refusalFor(s, action)) };
}

/** The sessions `/disc` or `/all` would log off. */
export function bulkSessions(sessions: Session[], scope: 'disconnected' | 'all'): Session[] {
  return sessions.filter((s) => s.id !== 0 && s.state !== 'Listen' && (scope === 'all' ? isUserSession(s) : s.state === 'Disconnected'));
}

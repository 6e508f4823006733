import { qualifiedUser, type Action, type Bot, type Caller, type Session } from '../../src/core/index.js';

export interface Choice {
  name: string;
  value: string;
}

export const MAX_CHOICES = 25;

/** `17m`, `1h04m`, `2d3h`: short enough for a choice label. */
export function shortIdle(ms: number | undefined): string {
  if (ms === undefined) return '';
  const m = Math.floor(ms / 60_000);
  if (m < 1) return 'active now';
  if (m < 60) return `idle ${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `idle ${h}h${String(m % 60).padStart(2, '0')}m`;
  return `idle ${Math.floor(h / 24)}d${h % 24}h`;
}

export function sessionLabel(s: Session): string {
  return [String(s.id), qualifiedUser(s) || s.name || 'no user', s.state, shortIdle(s.idleMs)].filter(Boolean).join(' · ').slice(0, 100);
}

/**
 * Choices for autocomplete, always in time: the caller's permitted servers, and the live sessions
 * of the chosen server as known within the deadline (the last known list when the server is slow).
 */
export class Autocomplete {
  private readonly cache = new Map<string, { sessions: Session[]; at: number }>();

  constructor(
    private readonly bot: Bot,
    private readonly deadlineMs: number,
    private readonly cacheMs = 5 * 60_000,
  ) {}

  servers(caller: Caller, action: Action, typed: string): Choice[] {
    const t = typed.toLowerCase();
    return this.bot
      .permittedServers(caller, action)
      .filter((s) => s.includes(t))
      .sort((a, b) => Number(!a.startsWith(t)) - Number(!b.startsWith(t)) || a.localeCompare(b))
      .slice(0, MAX_CHOICES)
      .map((s) => ({ name: s, value: s }));
  }

  async sessions(caller: Caller, server: string | null, typed: string): Promise<Choice[]> {
    if (!server) return [];
    const key = server.toLowerCase();
    // The cache is shared between callers: check this caller may see the server first.
    if (!this.bot.allows(caller, 'query', key)) return [];
    let sessions = await this.bot.peekSessions(caller, key, this.deadlineMs);
    const cached = this.cache.get(key);
    if (sessions.length > 0) this.cache.set(key, { sessions, at: Date.now() });
    else if (cached && Date.now() - cached.at < this.cacheMs) sessions = cached.sessions;
    const t = typed.toLowerCase();
    return sessions
      .filter((s) => !t || String(s.id).startsWith(t) || s.user.toLowerCase().includes(t) || s.name.toLowerCase().includes(t))
      .slice(0, MAX_CHOICES)
      .map((s) => ({ name: sessionLabel(s), value: String(s.id) }));
  }
}

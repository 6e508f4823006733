import type { Bot, Caller, Session } from '../../src/core/index.js';

/** How long a server's sessions are reused for completion, and how long one lookup may take. */
export const SESSION_CACHE_MS = 15_000;
export const PEEK_TIMEOUT_MS = 1_000;

/**
 * Sessions for Tab completion, from the bot's peekSessions (permission-checked, within a deadline,
 * never an error), kept briefly so that repeated Tabs do not ask the server again.
 */
export class SessionCache {
  private readonly entries = new Map<string, { at: number; sessions: Promise<Session[]> }>();

  constructor(
    private readonly bot: Bot,
    private readonly caller: Caller,
    private readonly now: () => number = Date.now,
  ) {}

  sessions(server: string): Promise<Session[]> {
    const hit = this.entries.get(server);
    if (hit && this.now() - hit.at < SESSION_CACHE_MS) return hit.sessions;
    const sessions = this.bot.peekSessions(this.caller, server, PEEK_TIMEOUT_MS);
    this.entries.set(server, { at: this.now(), sessions });
    if (this.entries.size > 100) this.entries.delete(this.entries.keys().next().value as string);
    return sessions;
  }
}

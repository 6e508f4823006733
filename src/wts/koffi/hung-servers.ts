import { WIN32, win32Label } from '../errors.js';

/**
 * Servers with a call still stuck past its deadline. While one is, further calls to that server are
 * answered at once instead of each tying up (and writing off) another thread: a hung server holds
 * one thread, however often people retry it. The server is called again once the stuck call returns.
 */
export class HungServers {
  private readonly stuckCalls = new Map<string, { calls: number; since: number }>();

  stuck(server: string, now = Date.now()): void {
    const entry = this.stuckCalls.get(server);
    if (entry) entry.calls++;
    else this.stuckCalls.set(server, { calls: 1, since: now });
  }

  returned(server: string): void {
    const entry = this.stuckCalls.get(server);
    if (!entry) return;
    if (--entry.calls <= 0) this.stuckCalls.delete(server);
  }

  servers(): string[] {
    return [...this.stuckCalls.keys()];
  }

  /** The operator's sentence while `server` is hung, else undefined. */
  describe(server: string, now = Date.now()): string | undefined {
    const entry = this.stuckCalls.get(server);
    if (!entry) return undefined;
    const seconds = Math.max(1, Math.round((now - entry.since) / 1000));
    return (
      `${server}: ${win32Label(WIN32.TIMEOUT)}: a call to it has not returned for ${seconds} s past its deadline; ` +
      'the bot calls it again once that call returns: it may be hung, or RPC is waiting on a dropped connection'
    );
  }
}

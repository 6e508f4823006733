import type { Logger, StateStore } from '../../src/core/index.js';

/**
 * Where each pending confirmation's prompt was shown (a Slack message or response URL, a Discord
 * interaction's token), by confirmation ID, so that its outcome or expiry can replace it. Kept in the
 * state store (namespace `prompt:<platform>`): with several instances, the one whose expiry sweep
 * claims a confirmation edits the prompt another instance posted. An entry is taken when the prompt
 * is answered or expires; one never taken goes by itself after `lifetimeMs`, which should outlast
 * the confirmation's own time to live.
 *
 * Losing an entry costs only the edit of one prompt, so a store that cannot be reached is logged
 * here, never passed on: the confirmation itself is guarded by the core.
 */
export class PromptRegistry<Where> {
  /**
   * `namespace`: where in the store, per platform and kind of prompt (`prompt:slack`, `prompt:discord`;
   * an approval request's would be `request:slack`). `lifetimeMs`: how long an entry never taken is kept.
   */
  constructor(
    private readonly store: StateStore,
    private readonly ns: string,
    private readonly lifetimeMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** `where` must survive JSON: plain data, no objects with methods. */
  async remember(id: string, where: Where): Promise<void> {
    try {
      await this.store.put(this.ns, id, JSON.stringify(where), this.now() + this.lifetimeMs, 0);
    } catch (e) {
      this.log.warn(`${this.ns}: could not remember where confirmation ${id} was shown (${message(e)}); its expiry will not be shown on it`);
    }
  }

  async take(id: string): Promise<Where | undefined> {
    try {
      const v = await this.store.take(this.ns, id);
      return v === undefined ? undefined : (JSON.parse(v) as Where);
    } catch (e) {
      this.log.warn(`${this.ns}: could not look up where confirmation ${id} was shown (${message(e)})`);
      return undefined;
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Long enough to outlive any confirmation: the expiry sweep runs every few seconds after it. */
export function promptLifetimeMs(confirmTtlMs: number): number {
  return confirmTtlMs + 10 * 60_000;
}

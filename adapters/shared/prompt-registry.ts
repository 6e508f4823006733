interface Entry<Where> {
  where: Where;
  forgetAt: number;
}

/**
 * Where each pending confirmation's prompt was shown (a Slack message, a Discord reply), by
 * confirmation ID, so that its outcome or expiry can replace it. An entry is taken when the prompt
 * is answered or expires; one never taken is forgotten after `lifetimeMs`, which should outlast the
 * confirmation's own time to live.
 */
export class PromptRegistry<Where> {
  private readonly entries = new Map<string, Entry<Where>>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  remember(id: string, where: Where): void {
    this.prune();
    this.entries.set(id, { where, forgetAt: this.now() + this.lifetimeMs });
  }

  take(id: string): Where | undefined {
    const e = this.entries.get(id);
    this.entries.delete(id);
    return e?.where;
  }

  get size(): number {
    return this.entries.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, e] of this.entries) if (e.forgetAt <= now) this.entries.delete(id);
  }
}

/** Long enough to outlive any confirmation: the expiry sweep runs every few seconds after it. */
export function promptLifetimeMs(confirmTtlMs: number): number {
  return confirmTtlMs + 10 * 60_000;
}

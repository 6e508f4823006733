/** Where a confirmation prompt was posted, so that its expiry can be shown on it later. */
export type PromptLocation =
  /** Posted with chat.postMessage: chat.update can replace it at any time. */
  | { kind: 'message'; channel: string; ts: string }
  /** Posted through the command's response_url (ephemeral, or the bot is not in the channel). */
  | { kind: 'response-url'; url: string };

interface Entry {
  where: PromptLocation;
  forgetAt: number;
}

/**
 * The prompts of pending confirmations, by confirmation ID. An entry is taken when the prompt is
 * answered or expires; one never taken (its confirmation was refused after the claim, say) is
 * forgotten after `lifetimeMs`, which should outlast the confirmation's own time to live.
 */
export class PromptRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  remember(id: string, where: PromptLocation): void {
    this.prune();
    this.entries.set(id, { where, forgetAt: this.now() + this.lifetimeMs });
  }

  take(id: string): PromptLocation | undefined {
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

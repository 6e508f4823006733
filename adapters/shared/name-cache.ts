interface Entry {
  name: string | undefined;
  expiresAt: number;
}

/**
 * Channel names as a platform gives them, for the denials that say where a grant applies: a name is
 * kept for `ttlMs`, a failed lookup for a minute (the denial then shows the ID), at most 1,000.
 */
export class NameCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The name known for `id`, or `lookup`'s answer (undefined: not found, or the lookup failed). */
  async get(id: string, lookup: () => Promise<string | undefined>): Promise<string | undefined> {
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > this.now()) return hit.name;
    const name = await lookup();
    if (this.entries.size >= 1000) this.entries.clear();
    this.entries.set(id, { name, expiresAt: this.now() + (name !== undefined ? this.ttlMs : 60_000) });
    return name;
  }
}

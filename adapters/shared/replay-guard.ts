/**
 * Remembers the IDs of deliveries already handled (a Discord interaction, a Slack trigger), so a
 * delivery that arrives again, a gateway replay, a Socket Mode redelivery, a signed HTTP request
 * replayed inside Slack's five-minute window, is never acted on twice.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  /** `windowMs`: how long a delivery can still arrive again (a platform's token or signature lifetime). */
  constructor(private readonly windowMs: number) {}

  /** True the first time `id` is seen within the window; false for every repeat. */
  firstTime(id: string, now: number): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at <= this.windowMs) return false;
    this.seen.set(id, now);
    if (this.seen.size > 1000) this.forgetBefore(now - this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetBefore(cutoff: number): void {
    // A Map iterates in insertion order: the oldest first.
    for (const [id, at] of this.seen) {
      if (at >= cutoff) break;
      this.seen.delete(id);
    }
  }
}

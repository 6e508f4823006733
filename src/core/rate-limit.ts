/** A sliding one-minute window of destructive actions per caller. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly perMinute: number) {}

  /** Milliseconds until the caller may act again; 0 when they may now. */
  retryAfter(key: string, now: number): number {
    if (this.perMinute <= 0) return 0;
    const recent = this.prune(key, now);
    if (recent.length < this.perMinute) return 0;
    return (recent[0] as number) + 60_000 - now;
  }

  record(key: string, now: number): void {
    const recent = this.prune(key, now);
    recent.push(now);
    this.hits.set(key, recent);
  }

  private prune(key: string, now: number): number[] {
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length === 0) this.hits.delete(key);
    else this.hits.set(key, recent);
    return recent;
  }

  get limit(): number {
    return this.perMinute;
  }
}

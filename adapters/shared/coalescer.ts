/**
 * Sends the latest of a stream of values at most once per interval (a chat platform allows about one
 * edit a second per message): values pushed in between replace each other; the last one is sent when
 * the interval allows. `close` drops what is pending and waits for a send in progress, so a final
 * answer sent after it is never overwritten by an older one.
 */
export class Coalescer<T> {
  private latest: T | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSent = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(
    private readonly send: (value: T) => Promise<void>,
    private readonly onError: (e: unknown) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  push(value: T): void {
    if (this.closed) return;
    this.latest = value;
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.latest = undefined;
    await this.inFlight;
  }

  /** Whether anything was sent (or is being sent). */
  get started(): boolean {
    return this.lastSent !== Number.NEGATIVE_INFINITY;
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.closed) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - this.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const value = this.latest;
    if (value === undefined || this.closed) return;
    this.latest = undefined;
    this.lastSent = this.now();
    this.inFlight = this.send(value)
      .catch(this.onError)
      .finally(() => {
        this.inFlight = undefined;
        if (this.latest !== undefined) this.schedule();
      });
  }
}

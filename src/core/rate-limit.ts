import type { StateStore } from './ports/state-store.js';

const NS = 'rate';
const WINDOW_MS = 60_000;

/** A sliding one-minute window of destructive actions per caller, kept in the state store. */
export class RateLimiter {
  constructor(
    private readonly store: StateStore,
    private readonly perMinute: number,
  ) {}

  /** Milliseconds until the caller may act again; 0 when they may now. Records nothing. */
  retryAfter(key: string, now: number): Promise<number> {
    if (this.perMinute <= 0) return Promise.resolve(0);
    return this.store.acquire(NS, key, now, WINDOW_MS, this.perMinute, false);
  }

  /** Takes one action from the caller's allowance in one step: 0 when taken, else the wait. */
  take(key: string, now: number): Promise<number> {
    if (this.perMinute <= 0) return Promise.resolve(0);
    return this.store.acquire(NS, key, now, WINDOW_MS, this.perMinute, true);
  }

  get limit(): number {
    return this.perMinute;
  }
}

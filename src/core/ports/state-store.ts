/**
 * Where the bot keeps what must outlive one request and, with several instances, be shared between
 * them: pending confirmations and approvals, deliveries already handled, rate-limit windows, where
 * prompts were shown, servers known to be down. One process uses the in-memory store; several share
 * a Redis one. Every operation that decides who acts is atomic across instances.
 *
 * Values are strings (JSON); keys are (namespace, id). Times are milliseconds since the epoch, from
 * the bot's clock. Any method may reject with StateUnavailable when the store cannot be reached.
 */
export interface StateStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Stores `value` under (ns, id), replacing any earlier one. It is due at `dueAt` (listed by `due`
   * from then on, for an expiry sweep to take) and forgotten by itself `keepMs` after that.
   */
  put(ns: string, id: string, value: string, dueAt: number, keepMs: number): Promise<void>;
  get(ns: string, id: string): Promise<string | undefined>;
  /** Removes and returns the value in one step: however many instances ask at once, one gets it. */
  take(ns: string, id: string): Promise<string | undefined>;
  /** Replaces the value only if it is exactly `expected` now (compare and set); false if it changed or is gone. */
  swap(ns: string, id: string, expected: string, next: string): Promise<boolean>;
  /** IDs in `ns` due at or before `now` and not yet taken, soonest first, at most `limit`. */
  due(ns: string, now: number, limit: number): Promise<string[]>;
  /** True the first time (ns, id) is marked; false while that mark lives (`ttlMs`). SET NX PX. */
  mark(ns: string, id: string, ttlMs: number): Promise<boolean>;
  /**
   * A sliding window of events per key. With fewer than `limit` events in (now - windowMs, now],
   * records one at `now` (when `record`) and resolves 0; otherwise resolves the milliseconds until
   * the oldest leaves the window. One atomic step, so the limit holds across instances.
   */
  acquire(ns: string, key: string, now: number, windowMs: number, limit: number, record: boolean): Promise<number>;
  /** Live entries stored with `put` in `ns` (for metrics). */
  count(ns: string): Promise<number>;
  /** Resolves when the store answers; rejects with StateUnavailable when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store could not be reached or did not answer in time: the bot refuses to act (fails closed). */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
}

export function isStateUnavailable(e: unknown): e is StateUnavailable {
  return e instanceof StateUnavailable;
}

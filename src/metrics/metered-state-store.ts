import type { StateStore } from '../core/ports/state-store.js';
import type { BotMetrics } from './bot-metrics.js';

/** Counts the state store's failed calls by operation; everything else passes through unchanged. */
export class MeteredStateStore implements StateStore {
  readonly kind: StateStore['kind'];

  constructor(
    private readonly inner: StateStore,
    private readonly metrics: Pick<BotMetrics, 'stateError'>,
  ) {
    this.kind = inner.kind;
  }

  put(ns: string, id: string, value: string, dueAt: number, keepMs: number): Promise<void> {
    return this.counted('put', () => this.inner.put(ns, id, value, dueAt, keepMs));
  }

  get(ns: string, id: string): Promise<string | undefined> {
    return this.counted('get', () => this.inner.get(ns, id));
  }

  take(ns: string, id: string): Promise<string | undefined> {
    return this.counted('take', () => this.inner.take(ns, id));
  }

  swap(ns: string, id: string, expected: string, next: string): Promise<boolean> {
    return this.counted('swap', () => this.inner.swap(ns, id, expected, next));
  }

  due(ns: string, now: number, limit: number): Promise<string[]> {
    return this.counted('due', () => this.inner.due(ns, now, limit));
  }

  mark(ns: string, id: string, ttlMs: number): Promise<boolean> {
    return this.counted('mark', () => this.inner.mark(ns, id, ttlMs));
  }

  acquire(ns: string, key: string, now: number, windowMs: number, limit: number, record: boolean): Promise<number> {
    return this.counted('acquire', () => this.inner.acquire(ns, key, now, windowMs, limit, record));
  }

  count(ns: string): Promise<number> {
    return this.counted('count', () => this.inner.count(ns));
  }

  ping(): Promise<void> {
    return this.counted('ping', () => this.inner.ping());
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async counted<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      this.metrics.stateError(operation);
      throw e;
    }
  }
}

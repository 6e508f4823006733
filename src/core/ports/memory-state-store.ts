import type { StateStore } from './state-store.js';

interface Entry {
  value: string;
  dueAt: number;
  forgetAt: number;
}

/**
 * The default store for one process: plain maps, expired lazily against the injected clock. Every
 * method completes synchronously inside its promise, so a take() can never interleave with another.
 */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Map<string, Map<string, Entry>>();
  private readonly marks = new Map<string, number>();
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private ns(ns: string): Map<string, Entry> {
    let m = this.entries.get(ns);
    if (!m) {
      m = new Map();
      this.entries.set(ns, m);
    }
    return m;
  }

  private live(ns: string, id: string): Entry | undefined {
    const m = this.entries.get(ns);
    const e = m?.get(id);
    if (e && e.forgetAt <= this.now()) {
      m?.delete(id);
      return undefined;
    }
    return e;
  }

  async put(ns: string, id: string, value: string, dueAt: number, keepMs: number): Promise<void> {
    this.ns(ns).set(id, { value, dueAt, forgetAt: dueAt + keepMs });
  }

  async get(ns: string, id: string): Promise<string | undefined> {
    return this.live(ns, id)?.value;
  }

  async take(ns: string, id: string): Promise<string | undefined> {
    const e = this.live(ns, id);
    if (!e) return undefined;
    this.entries.get(ns)?.delete(id);
    return e.value;
  }

  async swap(ns: string, id: string, expected: string, next: string): Promise<boolean> {
    const e = this.live(ns, id);
    if (!e || e.value !== expected) return false;
    e.value = next;
    return true;
  }

  async due(ns: string, now: number, limit: number): Promise<string[]> {
    const m = this.entries.get(ns);
    if (!m) return [];
    const out: [string, number][] = [];
    for (const [id, e] of m) {
      if (e.forgetAt <= this.now()) m.delete(id);
      else if (e.dueAt <= now) out.push([id, e.dueAt]);
    }
    return out
      .sort((a, b) => a[1] - b[1])
      .slice(0, limit)
      .map(([id]) => id);
  }

  async mark(ns: string, id: string, ttlMs: number): Promise<boolean> {
    const key = `${ns}\u0000${id}`;
    const now = this.now();
    const until = this.marks.get(key);
    if (until !== undefined && until > now) return false;
    this.marks.set(key, now + ttlMs);
    if (this.marks.size > 10_000) this.pruneMarks(now);
    return true;
  }

  async acquire(ns: string, key: string, now: number, windowMs: number, limit: number, record: boolean): Promise<number> {
    const k = `${ns}\u0000${key}`;
    const recent = (this.windows.get(k) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit) {
      this.windows.set(k, recent);
      return (recent[0] as number) + windowMs - now;
    }
    if (record) recent.push(now);
    if (recent.length === 0) this.windows.delete(k);
    else this.windows.set(k, recent);
    return 0;
  }

  async count(ns: string): Promise<number> {
    const m = this.entries.get(ns);
    if (!m) return 0;
    const now = this.now();
    let n = 0;
    for (const [id, e] of m) {
      if (e.forgetAt <= now) m.delete(id);
      else n++;
    }
    return n;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private pruneMarks(now: number): void {
    for (const [k, until] of this.marks) if (until <= now) this.marks.delete(k);
  }
}

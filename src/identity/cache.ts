import { callerKey, type Caller } from '../core/caller.js';
import type { IdentityHints, IdentityResolution, IdentityResolver } from '../core/ports/identity.js';

export interface IdentityCacheOptions {
  /** How long an account found stays known. */
  positiveMs: number;
  /** How long a refusal stays (shorter: a fixed directory entry or a new mapping should show soon). 0: not kept. */
  negativeMs: number;
  /** At most this many callers are remembered; the least recently used go first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry {
  result: IdentityResolution;
  expiresAt: number;
}

/**
 * Remembers what a resolver answered, per platform and user ID, so a person's second request
 * does not ask the directory again. Concurrent requests from one person share a single lookup.
 */
export class CachedIdentityResolver implements IdentityResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<IdentityResolution>>();
  private readonly now: () => number;

  constructor(
    private readonly inner: IdentityResolver,
    private readonly options: IdentityCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  resolve(caller: Caller, hints: IdentityHints): Promise<IdentityResolution> {
    const key = callerKey(caller);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (hit.expiresAt > this.now()) {
        this.entries.set(key, hit); // most recently used last
        return Promise.resolve(hit.result);
      }
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.lookUp(key, caller, hints).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** How many callers are remembered now (expired ones included until they are next asked for or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private async lookUp(key: string, caller: Caller, hints: IdentityHints): Promise<IdentityResolution> {
    const result = await this.inner.resolve(caller, hints);
    const ttl = result.ok ? this.options.positiveMs : this.options.negativeMs;
    if (ttl > 0) {
      this.entries.set(key, { result, expiresAt: this.now() + ttl });
      for (const oldest of this.entries.keys()) {
        if (this.entries.size <= this.options.maxEntries) break;
        this.entries.delete(oldest);
      }
    }
    return result;
  }
}

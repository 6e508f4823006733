import type { Logger } from './logger.js';

/**
 * Who is told when a prompt or a request expired unanswered (the adapters, to update its message).
 * One listener that fails is logged; the others are still told.
 */
export class ExpiryListeners<E extends { id: string }> {
  private readonly listeners = new Set<(e: E) => void>();

  constructor(
    private readonly what: string,
    private readonly log: Logger,
  ) {}

  add(listener: (e: E) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  tell(e: E): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log.warn(`${this.what} ${e.id}: an expiry listener failed (${err instanceof Error ? err.message : String(err)})`);
      }
    }
  }
}

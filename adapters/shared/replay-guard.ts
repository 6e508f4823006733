import { isStateUnavailable, type StateStore, type StateUnavailable } from '../../src/core/index.js';

/** Whether a delivery is new, a repeat, or could not be checked (the shared store is away). */
export type DeliveryCheck = { kind: 'first' } | { kind: 'repeat' } | { kind: 'unchecked'; error: StateUnavailable };

/**
 * Remembers the IDs of deliveries already handled (a Discord interaction, a Slack trigger), so a
 * delivery that arrives again, a gateway replay, a Socket Mode redelivery, a signed HTTP request
 * replayed inside Slack's five-minute window, is never acted on twice: on this instance or any
 * other sharing the state store.
 */
export class ReplayGuard {
  /** `windowMs`: how long a delivery can still arrive again (a platform's token or signature lifetime). */
  constructor(
    private readonly store: StateStore,
    private readonly platform: string,
    private readonly windowMs: number,
  ) {}

  /** True the first time `id` is seen within the window; false for every repeat. Rejects when the store cannot say. */
  firstTime(id: string): Promise<boolean> {
    return this.store.mark(`replay:${this.platform}`, id, this.windowMs);
  }

  /** firstTime, with "the store cannot say" as an answer for the caller to weigh (see uncheckedMayProceed). */
  async check(id: string): Promise<DeliveryCheck> {
    try {
      return (await this.firstTime(id)) ? { kind: 'first' } : { kind: 'repeat' };
    } catch (e) {
      if (isStateUnavailable(e)) return { kind: 'unchecked', error: e };
      throw e;
    }
  }
}

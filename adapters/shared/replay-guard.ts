import type { StateStore } from '../../src/core/index.js';

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

  /** True the first time `id` is seen within the window; false for every repeat. */
  firstTime(id: string): Promise<boolean> {
    return this.store.mark(`replay:${this.platform}`, id, this.windowMs);
  }
}

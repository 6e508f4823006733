/**
 * Which instance holds a connection the platform allows only once across instances (Discord's
 * gateway: two connections would both receive every interaction). The app implements it with a
 * lease in the shared state store; with one instance there is none and the adapter just connects.
 */
export interface Leadership {
  /** Starts competing: `onChange(true)` when this instance takes the lease, `onChange(false)` when another took it. */
  start(onChange: (leading: boolean) => void): void;
  /** Whether this instance holds it, as far as it knows. */
  readonly leading: boolean;
  /**
   * How long to hold back before answering a delivery: 0, except while this holder cannot reach the
   * store to renew its lease. Then a standby may have taken over unseen and also receive every
   * delivery; holding back lets it answer first, and this one answers only when nobody else did.
   */
  holdBackMs(): number;
  /** Who holds it, for /readyz and the log ("standby: bot2 (pid 4711) holds it"). */
  describe(): string;
  /** Stops competing and frees the lease if this instance holds it, so a standby takes over at once. */
  release(): Promise<void>;
}

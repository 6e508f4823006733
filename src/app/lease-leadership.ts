import { hostname } from 'node:os';
import type { Leadership } from '../../adapters/shared/leadership.js';
import type { Logger } from '../core/logger.js';
import type { LeaseStore } from '../state/lease-store.js';

export interface LeaseTiming {
  /** How long a lease lives unless renewed: a holder that dies is replaced within this plus `pollMs`. */
  ttlMs: number;
  /** How often the holder renews it (a few times per `ttlMs`, so a slow answer or two do not lose it). */
  renewMs: number;
  /** How often a standby tries to take it. */
  pollMs: number;
  /** How long a holder that cannot renew holds back before answering (Leadership.holdBackMs). */
  holdBackMs: number;
}

/** A dead holder is replaced within ttl + poll + the new connection's start: about 13 s. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 10_000, renewMs: 2_500, pollMs: 2_000, holdBackMs: 1_000 };

/** How this instance names itself to the others: host and process. */
export function instanceName(): string {
  return `${hostname()} (pid ${process.pid})`;
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Leadership through a lease in the shared store, fenced by a token (LeaseStore). A standby tries to
 * take the lease every `pollMs`; the holder renews it every `renewMs` and steps down at once when
 * the store says another instance holds it now.
 *
 * A holder that cannot reach the store keeps its connection: if the store is down for everyone,
 * nobody else can take over, and queries must still answer. Once its lease may have lapsed it
 * holds back before answering (holdBackMs), so that a standby that took over, reaching the store,
 * answers first; when the store answers again it renews (its token is still the newest) or steps
 * down (a standby took it meanwhile).
 */
export class LeaseLeadership implements Leadership {
  private holding: { token: number; confirmedAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> | undefined;
  private stopped = false;
  private onChange: (leading: boolean) => void = () => undefined;
  /** Last thing logged about who holds it, so each change is logged once. */
  private said = '';
  private saidLevel: 'info' | 'warn' = 'info';
  private lastHeard = 'not asked yet';
  private readonly timing: LeaseTiming;

  constructor(
    private readonly store: LeaseStore,
    private readonly name: string,
    private readonly log: Logger,
    private readonly holder = instanceName(),
    timing: Partial<LeaseTiming> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.timing = { ...DEFAULT_LEASE_TIMING, ...timing };
  }

  get leading(): boolean {
    return this.holding !== undefined;
  }

  start(onChange: (leading: boolean) => void): void {
    this.onChange = onChange;
    this.schedule(0);
  }

  holdBackMs(): number {
    const h = this.holding;
    return h && this.now() - h.confirmedAt > this.timing.ttlMs ? this.timing.holdBackMs : 0;
  }

  describe(): string {
    const h = this.holding;
    if (h) {
      const unconfirmed = this.now() - h.confirmedAt > this.timing.ttlMs;
      return `holds the ${this.name} lease (token ${h.token})${unconfirmed ? `, unconfirmed: ${this.lastHeard}` : ''}`;
    }
    return `standby: ${this.lastHeard}`;
  }

  async release(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    const h = this.holding;
    this.holding = undefined;
    if (!h) return;
    try {
      await this.store.releaseLease(this.name, h.token, this.holder);
      this.log.info(`${this.name}: gave up the lease (token ${h.token}) so that a standby takes over`);
    } catch (e) {
      this.log.warn(`${this.name}: could not free the lease (${why(e)}); a standby takes over when it lapses, within ${this.timing.ttlMs / 1000} s`);
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = (this.holding ? this.renew() : this.acquire()).finally(() => {
        this.tick = undefined;
        this.schedule(this.holding ? this.timing.renewMs : this.timing.pollMs);
      });
    }, ms);
  }

  private async acquire(): Promise<void> {
    const asked = this.now();
    try {
      const r = await this.store.acquireLease(this.name, this.holder, this.timing.ttlMs);
      if (this.stopped) {
        if (r.ok) await this.store.releaseLease(this.name, r.token, this.holder).catch(() => undefined);
        return;
      }
      if (r.ok) {
        this.holding = { token: r.token, confirmedAt: asked };
        this.lastHeard = 'held here';
        this.say('info', `${this.name}: this instance, ${this.holder}, holds the lease now (token ${r.token}) and connects`);
        this.onChange(true);
        return;
      }
      this.lastHeard = `${r.heldBy.holder} holds it (token ${r.heldBy.token})`;
      this.say('info', `${this.name}: standby; ${this.lastHeard}`);
    } catch (e) {
      this.lastHeard = `cannot reach the state store to take it (${why(e)})`;
      this.say('warn', `${this.name}: standby; ${this.lastHeard}`);
    }
  }

  private async renew(): Promise<void> {
    const h = this.holding;
    if (!h) return;
    const asked = this.now();
    try {
      const ours = await this.store.renewLease(this.name, h.token, this.holder, this.timing.ttlMs);
      if (this.stopped || this.holding !== h) return;
      if (ours) {
        h.confirmedAt = asked;
        this.lastHeard = 'held here';
        this.say('info', `${this.name}: lease (token ${h.token}) renewed`, true);
        return;
      }
      this.holding = undefined;
      this.lastHeard = 'another instance took it';
      this.say('warn', `${this.name}: another instance holds the lease now; this one lets go of its connection`);
      this.onChange(false);
    } catch (e) {
      this.lastHeard = `cannot reach the state store to renew it (${why(e)})`;
      this.say('warn', `${this.name}: ${this.lastHeard}; keeping the connection meanwhile`);
    }
  }

  /** Logs a line when what it says changed; `onlyAfterWarning`: only as the recovery from a warning. */
  private say(level: 'info' | 'warn', line: string, onlyAfterWarning = false): void {
    const key = line.replace(/\(.*?\)/g, '');
    if (key === this.said) return;
    const afterWarning = this.saidLevel === 'warn';
    this.said = key;
    this.saidLevel = level;
    if (onlyAfterWarning && !afterWarning) return;
    this.log[level](line);
  }
}

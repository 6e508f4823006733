import type { Logger } from '../../src/core/index.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { AdapterStatus } from './adapter.js';

/** How attempts are spaced: `initialMs`, then `factor` times longer each time, never more than `maxMs`. */
export interface Backoff {
  initialMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, factor: 2, maxMs: 60_000 };

type Phase =
  | { kind: 'idle' }
  | { kind: 'connecting'; after?: string }
  | { kind: 'waiting'; why: string; nextAt: number }
  | { kind: 'up' }
  | { kind: 'recovering'; why: string }
  | { kind: 'gave-up'; why: string }
  | { kind: 'closed'; why: string };

export interface ConnectionKeeperOptions {
  /** `slack`, `discord`: how log lines begin. */
  tag: string;
  /** `Slack`, `Discord`: how the platform is named in sentences. */
  platform: string;
  log: Logger;
  /**
   * Makes one attempt: resolves when connected. Rejects with ConfigError when the platform refused a
   * setting (a token): that is not retried. Any other rejection is retried after a backoff.
   */
  connect(): Promise<void>;
  /** Told once, with the sentence naming the variable, when it gives up for good. */
  onGaveUp?: (why: string) => void;
  backoff?: Backoff;
  now?: () => number;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `2026-11-25T10:42:07Z`: the log's own clock, to the second. */
function at(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * Keeps one chat connection up: tries until it connects, spacing attempts with capped exponential
 * backoff and logging each failure with the time of the next attempt; gives up only when the
 * platform refuses a setting (ConfigError). After a loss the library does not repair (`lost`), it
 * starts again at once; while the library repairs one itself (`recovering`), it only reports it.
 */
export class ConnectionKeeper {
  private phase: Phase = { kind: 'idle' };
  /** Bumped by close(): an attempt loop of an earlier generation stops at its next step. */
  private generation = 0;
  private wake: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly now: () => number;

  constructor(private readonly o: ConnectionKeeperOptions) {
    this.backoff = o.backoff ?? DEFAULT_BACKOFF;
    this.now = o.now ?? Date.now;
  }

  get isUp(): boolean {
    return this.phase.kind === 'up' || this.phase.kind === 'recovering';
  }

  get gaveUp(): boolean {
    return this.phase.kind === 'gave-up';
  }

  /** Starts connecting in the background (no-op while already connecting or connected). */
  start(): void {
    const k = this.phase.kind;
    if (k === 'connecting' || k === 'waiting' || k === 'up' || k === 'recovering' || k === 'gave-up') return;
    void this.loop(++this.generation);
  }

  /** One attempt now, for callers that want the outcome (tests): rejects as `connect` did. */
  async connectNow(): Promise<void> {
    const generation = ++this.generation;
    this.phase = { kind: 'connecting' };
    try {
      await this.o.connect();
      if (generation === this.generation) this.phase = { kind: 'up' };
    } catch (e) {
      if (generation === this.generation) this.phase = { kind: 'idle' };
      throw e;
    }
  }

  /** The connection went and will not come back by itself: reconnect now, then with backoff. */
  lost(why: string): void {
    if (!this.isUp) return;
    this.o.log.warn(`${this.o.tag}: lost the connection to ${this.o.platform} (${why}); reconnecting`);
    this.phase = { kind: 'connecting', after: why };
    void this.loop(++this.generation, why);
  }

  /** The library is restoring a dropped connection by itself: reported, not acted on. */
  recovering(why: string): void {
    if (this.phase.kind !== 'up') return;
    this.o.log.warn(`${this.o.tag}: ${why}`);
    this.phase = { kind: 'recovering', why };
  }

  /** The library restored it. */
  recovered(): void {
    if (this.phase.kind !== 'recovering') return;
    this.o.log.info(`${this.o.tag}: connected to ${this.o.platform} again`);
    this.phase = { kind: 'up' };
  }

  /** The platform refused a setting after the connection was made (e.g. Discord's close 4004): no retry. */
  giveUp(e: ConfigError): void {
    if (this.phase.kind === 'gave-up' || this.phase.kind === 'closed') return;
    this.generation++;
    this.wake?.();
    this.phase = { kind: 'gave-up', why: e.message };
    this.o.log.error(`${this.o.tag}: stopped: ${e.message}. Fix it and restart the bot; the other adapters carry on.`);
    this.o.onGaveUp?.(e.message);
  }

  /** No more attempts (stopping, or another instance holds the connection). */
  close(why: string): void {
    if (this.phase.kind === 'gave-up') return;
    this.generation++;
    this.wake?.();
    this.phase = { kind: 'closed', why };
  }

  status(): AdapterStatus {
    const p = this.phase;
    switch (p.kind) {
      case 'up':
        return { ready: true, detail: '' };
      case 'recovering':
        return { ready: false, detail: p.why };
      case 'idle':
        return { ready: false, detail: 'not connected yet' };
      case 'connecting':
        return { ready: false, detail: p.after ? `reconnecting after: ${p.after}` : `connecting to ${this.o.platform}` };
      case 'waiting':
        return { ready: false, detail: `${p.why}; next attempt at ${at(p.nextAt)}` };
      case 'gave-up':
        return { ready: false, detail: `stopped: ${p.why}` };
      case 'closed':
        return { ready: false, detail: p.why };
    }
  }

  private async loop(generation: number, after?: string): Promise<void> {
    let delay = this.backoff.initialMs;
    for (let attempt = 1; ; attempt++) {
      if (generation !== this.generation) return;
      this.phase = after ? { kind: 'connecting', after } : { kind: 'connecting' };
      try {
        await this.o.connect();
        if (generation !== this.generation) return;
        this.phase = { kind: 'up' };
        if (attempt > 1 || after) this.o.log.info(`${this.o.tag}: connected to ${this.o.platform} (attempt ${attempt})`);
        return;
      } catch (e) {
        if (generation !== this.generation) return;
        if (e instanceof ConfigError) {
          this.giveUp(e);
          return;
        }
        // A little jitter, so that instances started together do not retry in step.
        const wait = Math.round(Math.min(delay, this.backoff.maxMs) * (1 + Math.random() * 0.1));
        const nextAt = this.now() + wait;
        const why = `cannot reach ${this.o.platform} (${describe(e)})`;
        this.o.log.warn(`${this.o.tag}: ${why}; next attempt at ${at(nextAt)} (in ${Math.ceil(wait / 1000)} s)`);
        this.phase = { kind: 'waiting', why, nextAt };
        await this.sleep(wait);
        delay = Math.min(delay * this.backoff.factor, this.backoff.maxMs);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}

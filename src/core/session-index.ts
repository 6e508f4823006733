import type { Session } from '../wts/session.js';
import type { Clock } from './clock.js';
import { decode, encode } from './codec.js';
import type { FanOut } from './fanout.js';
import type { Logger } from './logger.js';
import type { StateStore } from './ports/state-store.js';

const NS = 'index';

export interface IndexedServer {
  sessions: Session[];
  /** When the sessions were read. */
  at: number;
}

/**
 * The live session index (off unless RWINSTA_INDEX_SECONDS is set): a background sweep keeps the
 * sessions of every known server, so that a search answers at once, marked with the age of what it
 * shows. Kept in the state store: per instance in memory, shared by every instance with Redis. An
 * entry older than three sweeps is not used. Acting never uses it: sessions are read live first.
 */
export class SessionIndex {
  private sweeping = false;

  constructor(
    private readonly store: StateStore,
    private readonly fanout: FanOut,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.intervalMs > 0;
  }

  /** Reads every server once and stores what answered; a sweep already running makes this a no-op. */
  async sweep(servers: readonly string[]): Promise<number> {
    if (!this.enabled || this.sweeping) return 0;
    this.sweeping = true;
    let stored = 0;
    try {
      await this.fanout.read(servers, (r) => {
        if (!('sessions' in r)) return;
        stored++;
        this.store.put(NS, r.server, encode({ sessions: r.sessions, at: r.at } satisfies IndexedServer), r.at + 3 * this.intervalMs, 0).catch((e: unknown) => {
          this.log.warn(`session index: could not store ${r.server} (${e instanceof Error ? e.message : String(e)})`);
        });
      });
    } finally {
      this.sweeping = false;
    }
    return stored;
  }

  /** The indexed sessions of each server that has a fresh enough entry. */
  async lookup(servers: readonly string[]): Promise<Map<string, IndexedServer>> {
    const out = new Map<string, IndexedServer>();
    if (!this.enabled) return out;
    const texts = await Promise.all(servers.map((s) => this.store.get(NS, s)));
    texts.forEach((text, i) => {
      if (text === undefined) return;
      const entry = decode<IndexedServer>(text, (v, sessions) => sessions(v.sessions));
      if (this.clock.now() - entry.at <= 3 * this.intervalMs) out.set(servers[i] as string, entry);
    });
    return out;
  }
}

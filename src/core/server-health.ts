import type { SessionBackend } from '../wts/backend.js';
import { WIN32 } from '../wts/errors.js';
import type { Clock } from './clock.js';
import { decode, encode } from './codec.js';
import type { Logger } from './logger.js';
import type { StateStore } from './ports/state-store.js';
import { formatClock } from './render/format.js';
import type { ServerFailure } from './results.js';
import { toFailure } from './usecases/context.js';

const NS = 'down';
/** Failures that mean "the server is not there": searches stop waiting for it for a while. */
const DOWN_CODES: ReadonlySet<number> = new Set([WIN32.RPC_SERVER_UNAVAILABLE, WIN32.TIMEOUT]);

export interface DownMark {
  since: number;
  code: number;
}

/**
 * Servers known to be down. A server whose call failed with 1722 or timed out (1460) is remembered
 * for `downMs` (in the state store, so every instance knows): searches skip it at once and say so,
 * and one background probe at a time tries it again. A command that names the server alone still
 * calls it, and what that call finds updates the mark.
 */
export class ServerHealth {
  private probing = false;

  constructor(
    private readonly store: StateStore,
    private readonly backend: SessionBackend,
    private readonly clock: Clock,
    private readonly downMs: number,
    private readonly log: Logger,
    private readonly timeZone?: string,
  ) {}

  get enabled(): boolean {
    return this.downMs > 0;
  }

  async downOf(server: string): Promise<DownMark | undefined> {
    if (!this.enabled) return undefined;
    const text = await this.store.get(NS, server);
    return text === undefined ? undefined : decode<DownMark>(text, () => undefined);
  }

  /** What a call to the server found: a 1722 or a timeout marks it down (keeping when it first went), anything else clears it. */
  async noteResult(server: string, failure?: Pick<ServerFailure, 'code'>): Promise<void> {
    if (!this.enabled) return;
    if (!failure || !DOWN_CODES.has(failure.code)) {
      // It answered (even with a refusal): it is up.
      await this.store.take(NS, server);
      return;
    }
    const now = this.clock.now();
    const since = (await this.downOf(server))?.since ?? now;
    await this.store.put(NS, server, encode({ since, code: failure.code } satisfies DownMark), now + this.downMs, 0);
  }

  /** The line a search shows for a server it skipped. */
  describe(server: string, mark: DownMark): ServerFailure {
    return { server, code: mark.code, message: `${server}: down since ${formatClock(new Date(mark.since), this.timeZone)} (not retried; it failed with ${mark.code})` };
  }

  /** Tries one of the skipped servers again in the background, unless a probe is already running. */
  probe(servers: readonly string[]): void {
    const server = servers[0];
    if (this.probing || server === undefined) return;
    this.probing = true;
    this.backend
      .listSessions(server)
      .then(
        () => this.noteResult(server),
        (e: unknown) => this.noteResult(server, toFailure(e, server)),
      )
      .catch((e: unknown) => this.log.warn(`probe of ${server}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.probing = false;
      });
  }
}

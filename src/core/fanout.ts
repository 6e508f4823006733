import type { Session } from '../wts/session.js';
import type { Clock } from './clock.js';
import { mapConcurrent } from './concurrency.js';
import type { ServerFailure } from './results.js';
import type { ServerHealth } from './server-health.js';
import { toFailure, type UseCaseContext } from './usecases/context.js';

/** One server's answer to a search: its sessions (with when they were read), or why there are none. */
export type ServerRead = { server: string; sessions: Session[]; at: number } | { server: string; failure: ServerFailure; skipped?: boolean };

/**
 * Reads the sessions of many servers at once, within the fan-out concurrency, telling each answer as
 * it arrives. Servers known to be down are skipped at once (and one of them probed in the
 * background); every answer updates what is known about its server.
 */
export class FanOut {
  constructor(
    private readonly ctx: UseCaseContext,
    private readonly health: ServerHealth,
    private readonly clock: Clock,
  ) {}

  async read(servers: readonly string[], onRead: (r: ServerRead) => void = () => undefined): Promise<ServerRead[]> {
    const down: string[] = [];
    const skipped: ServerRead[] = [];
    const live: string[] = [];
    for (const server of servers) {
      const mark = await this.health.downOf(server);
      if (mark) {
        down.push(server);
        skipped.push({ server, failure: this.health.describe(server, mark), skipped: true });
      } else {
        live.push(server);
      }
    }
    skipped.forEach(onRead);
    this.health.probe(down);
    const answers = await mapConcurrent(live, this.ctx.settings.fanoutConcurrency, async (server): Promise<ServerRead> => {
      let r: ServerRead;
      try {
        // It was not marked down a moment ago, so an answer has nothing to clear.
        r = { server, sessions: await this.ctx.backend.listSessions(server), at: this.clock.now() };
      } catch (e) {
        const failure = toFailure(e, server);
        r = { server, failure };
        await this.health.noteResult(server, failure);
      }
      onRead(r);
      return r;
    });
    return [...skipped, ...answers];
  }
}

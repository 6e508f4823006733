import type { MessageOptions, MessageResponse, SessionBackend } from '../backend.js';
import { WtsError, type BackendOperation } from '../errors.js';
import type { Session } from '../session.js';
import { PoolFailure, type PoolStats, type WtsWorkerPool } from './pool.js';
import type { WtsValue } from './protocol.js';

/** The real backend: every call runs on the dedicated WTS pool and fails as a WtsError with its Win32 code. */
export class WtsBackend implements SessionBackend {
  readonly kind = 'wts' as const;
  private stuck = 0;

  constructor(private readonly pool: WtsWorkerPool) {}

  knownServers(): readonly string[] {
    return [];
  }

  async listSessions(server: string): Promise<Session[]> {
    return (await this.call(server, 'list', this.pool.run({ op: 'list', server }))) as Session[];
  }

  async querySession(server: string, id: number): Promise<Session> {
    return (await this.call(server, 'query', this.pool.run({ op: 'query', server, session: id }))) as Session;
  }

  async logoff(server: string, id: number): Promise<void> {
    await this.call(server, 'logoff', this.pool.run({ op: 'logoff', server, session: id }));
  }

  async disconnect(server: string, id: number): Promise<void> {
    await this.call(server, 'disconnect', this.pool.run({ op: 'disconnect', server, session: id }));
  }

  async sendMessage(server: string, id: number, message: MessageOptions): Promise<MessageResponse> {
    return (await this.call(server, 'message', this.pool.run({ op: 'message', server, session: id, message }))) as MessageResponse;
  }

  /** Resolves when every thread of the pool has loaded wtsapi32 (or failed to). */
  warmUp(threads: number): Promise<void> {
    return this.pool.warm(threads);
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  async close(): Promise<void> {
    this.stuck = await this.pool.close();
  }

  /** Threads still blocked in a hung call after close(): the process must then exit hard. */
  stuckThreads(): number {
    return this.stuck;
  }

  private async call(server: string, op: BackendOperation, p: Promise<WtsValue>): Promise<WtsValue> {
    try {
      return await p;
    } catch (e) {
      if (e instanceof PoolFailure) {
        if (e.code === 0) throw new WtsError(0, server, op, `${server}: ${e.detail ?? 'internal error'}`);
        throw new WtsError(e.code, server, op, e.detail);
      }
      throw e;
    }
  }
}

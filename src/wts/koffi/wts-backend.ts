import type { MessageOptions, MessageResponse, SessionBackend } from '../backend.js';
import { WIN32, WtsError, type BackendOperation } from '../errors.js';
import { isSessionId, type ProcessInfo } from '../process.js';
import type { Session } from '../session.js';
import { PoolFailure, type PoolStats, type WtsWorkerPool } from './pool.js';
import type { WtsValue } from './protocol.js';

/**
 * How long a waited message (`msg /w`) without `/time` stays up: Windows is told to close it then, so
 * the call ends and its thread is free again, instead of waiting for a click that may never come.
 */
export const MAX_MESSAGE_WAIT_SECONDS = 600;

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

  async listProcesses(server: string, sessionId?: number): Promise<ProcessInfo[]> {
    if (sessionId !== undefined && !isSessionId(sessionId)) throw new WtsError(WIN32.INVALID_PARAMETER, server, 'processes', `${server}: ${sessionId} is not a session ID`);
    const req = sessionId === undefined ? { op: 'processes' as const, server } : { op: 'processes' as const, server, session: sessionId };
    return (await this.call(server, 'processes', this.pool.run(req))) as ProcessInfo[];
  }

  async logoff(server: string, id: number): Promise<void> {
    await this.call(server, 'logoff', this.pool.run({ op: 'logoff', server, session: id }));
  }

  async disconnect(server: string, id: number): Promise<void> {
    await this.call(server, 'disconnect', this.pool.run({ op: 'disconnect', server, session: id }));
  }

  /** A waited message may take as long as it is shown, on top of the usual deadline. */
  async sendMessage(server: string, id: number, message: MessageOptions): Promise<MessageResponse> {
    const shown = message.wait ? message.timeoutSeconds || MAX_MESSAGE_WAIT_SECONDS : 0;
    const m = message.wait ? { ...message, timeoutSeconds: shown } : message;
    const budgetMs = this.pool.timeoutMs + shown * 1000;
    return (await this.call(server, 'message', this.pool.run({ op: 'message', server, session: id, message: m }, budgetMs))) as MessageResponse;
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
        if (e.detail === undefined) throw new WtsError(e.code, server, op);
        throw new WtsError(e.code, server, op, e.detail.startsWith(`${server}: `) ? e.detail : `${server}: ${e.detail}`);
      }
      throw e;
    }
  }
}

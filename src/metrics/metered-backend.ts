import { performance } from 'node:perf_hooks';
import type { MessageOptions, MessageResponse, SessionBackend } from '../wts/backend.js';
import { isWtsError, type BackendOperation } from '../wts/errors.js';
import type { ProcessInfo } from '../wts/process.js';
import type { Session } from '../wts/session.js';
import type { BotMetrics } from './bot-metrics.js';

/** Times every call to the session backend, labelled with its operation and Win32 result. */
export class MeteredBackend implements SessionBackend {
  readonly kind: SessionBackend['kind'];

  constructor(
    private readonly inner: SessionBackend,
    private readonly metrics: Pick<BotMetrics, 'backendCall'>,
  ) {
    this.kind = inner.kind;
  }

  knownServers(): readonly string[] {
    return this.inner.knownServers();
  }

  listSessions(server: string): Promise<Session[]> {
    return this.timed('list', () => this.inner.listSessions(server));
  }

  querySession(server: string, id: number): Promise<Session> {
    return this.timed('query', () => this.inner.querySession(server, id));
  }

  logoff(server: string, id: number): Promise<void> {
    return this.timed('logoff', () => this.inner.logoff(server, id));
  }

  disconnect(server: string, id: number): Promise<void> {
    return this.timed('disconnect', () => this.inner.disconnect(server, id));
  }

  sendMessage(server: string, id: number, message: MessageOptions): Promise<MessageResponse> {
    return this.timed('message', () => this.inner.sendMessage(server, id, message));
  }

  listProcesses(server: string, sessionId?: number): Promise<ProcessInfo[]> {
    return this.timed('processes', () => this.inner.listProcesses(server, sessionId));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  stuckThreads(): number {
    return this.inner.stuckThreads?.() ?? 0;
  }

  private async timed<T>(operation: BackendOperation, call: () => Promise<T>): Promise<T> {
    const start = performance.now();
    let result = 'ok';
    try {
      return await call();
    } catch (e) {
      result = isWtsError(e) ? String(e.code) : 'error';
      throw e;
    } finally {
      this.metrics.backendCall(operation, result, (performance.now() - start) / 1000);
    }
  }
}

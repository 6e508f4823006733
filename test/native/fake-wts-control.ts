import koffi from 'koffi';

export type OpName = 'enum' | 'enumex' | 'query' | 'logoff' | 'disconnect' | 'message';

export interface FakeSession {
  id: number;
  state: number;
  station?: string;
  user?: string;
  domain?: string;
  client?: string;
  address?: string;
  /** Minutes ago; -1 for unknown. */
  logonMinutesAgo?: number;
  idleMinutes?: number;
}

/**
 * Drives the fake wtsapi32 from the test's own thread. dlopen returns the same library to the
 * binding's worker threads, so this is the very state they see.
 */
export class FakeWtsControl {
  private readonly f: Record<string, (...args: unknown[]) => unknown>;

  constructor(path: string) {
    const lib = koffi.load(path);
    this.f = {
      reset: lib.func('void FakeWts_Reset()'),
      setServer: lib.func('int FakeWts_SetServer(const char *name, int latency, int failure, int hang)'),
      setOpFailure: lib.func('int FakeWts_SetOpFailure(const char *server, const char *op, int code)'),
      addSession: lib.func('int FakeWts_AddSession(const char *server, uint32_t id, int state, const char *station, const char *user, const char *domain, const char *client, const char *address, int logon, int idle)'),
      removeSession: lib.func('int FakeWts_RemoveSession(const char *server, uint32_t id)'),
      releaseHangs: lib.func('void FakeWts_ReleaseHangs()'),
      setHangResult: lib.func('int FakeWts_SetHangResult(const char *server, int code)'),
      outstanding: lib.func('int64_t FakeWts_Outstanding()'),
      badFrees: lib.func('int64_t FakeWts_BadFrees()'),
      openHandles: lib.func('int64_t FakeWts_OpenHandles()'),
      calls: lib.func('int64_t FakeWts_Calls(const char *op)'),
      maxConcurrent: lib.func('int64_t FakeWts_MaxConcurrent()'),
      lastTitle: lib.func('const char16_t *FakeWts_LastMessageTitle()'),
      lastText: lib.func('const char16_t *FakeWts_LastMessageText()'),
      lastField: lib.func('int64_t FakeWts_LastMessageField(const char *field)'),
    };
  }

  reset(): void {
    this.f.reset?.();
  }
  /** A hung server's calls block until releaseHangs(), then fail with 1722, or with `hangResult` (0: answer normally). */
  server(name: string, o: { latencyMs?: number; failure?: number; hang?: boolean; hangResult?: number } = {}): void {
    this.f.setServer?.(name, o.latencyMs ?? 0, o.failure ?? 0, o.hang ? 1 : 0);
    if (o.hangResult !== undefined) this.f.setHangResult?.(name, o.hangResult);
  }
  opFailure(server: string, op: OpName, code: number): void {
    this.f.setOpFailure?.(server, op, code);
  }
  session(server: string, s: FakeSession): void {
    const ok = this.f.addSession?.(server, s.id, s.state, s.station ?? null, s.user ?? null, s.domain ?? null, s.client ?? null, s.address ?? null, s.logonMinutesAgo ?? -1, s.idleMinutes ?? -1);
    if (!ok) throw new Error(`cannot add session ${s.id} to ${server}`);
  }
  removeSession(server: string, id: number): void {
    this.f.removeSession?.(server, id);
  }
  releaseHangs(): void {
    this.f.releaseHangs?.();
  }
  outstanding(): number {
    return Number(this.f.outstanding?.());
  }
  badFrees(): number {
    return Number(this.f.badFrees?.());
  }
  openHandles(): number {
    return Number(this.f.openHandles?.());
  }
  calls(op: OpName): number {
    return Number(this.f.calls?.(op));
  }
  /** The most calls that were waiting on servers at the same time since the last reset(). */
  maxConcurrent(): number {
    return Number(this.f.maxConcurrent?.());
  }
  /** The last message WTSSendMessageW showed, read exactly as its byte lengths delimit it. */
  lastMessage(): { title: string; text: string; style: number; timeoutSeconds: number; wait: boolean; count: number } {
    const field = (name: string): number => Number(this.f.lastField?.(name));
    return {
      title: String(this.f.lastTitle?.()),
      text: String(this.f.lastText?.()),
      style: field('style'),
      timeoutSeconds: field('timeout'),
      wait: field('wait') !== 0,
      count: field('count'),
    };
  }

  /** A typical RDS host: services, console, a listener, two users (one disconnected). */
  standardServer(name: string, o: { latencyMs?: number } = {}): void {
    this.server(name, o);
    this.session(name, { id: 0, state: 4, station: 'services' });
    this.session(name, { id: 1, state: 1, station: 'console' });
    this.session(name, { id: 65536, state: 6, station: 'rdp-tcp' });
    this.session(name, { id: 3, state: 0, station: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', client: 'WS-JDOE-01', address: '10.20.1.31', logonMinutesAgo: 95, idleMinutes: 17 });
    this.session(name, { id: 5, state: 4, user: 'bwayne', domain: 'CORP', logonMinutesAgo: 1500, idleMinutes: 130 });
  }
}

import koffi from 'koffi';

export type OpName = 'enum' | 'enumex' | 'query' | 'logoff' | 'disconnect' | 'message' | 'enumproc' | 'enumprocex' | 'lookup';

/** WTS_INFO_CLASS values the binding reads. */
export const INFO = { UserName: 5, DomainName: 7, ClientName: 10, ClientAddress: 14, SessionInfo: 24 } as const;

export interface FakeProcess {
  session: number;
  pid: number;
  image: string;
  /** `S-1-5-…`; absent for a NULL pUserSid. */
  sid?: string;
  workingSetBytes?: number;
}

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

export const STANDARD_DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';
export const JDOE_SID = `${STANDARD_DOMAIN_SID}-1601`;
export const BWAYNE_SID = `${STANDARD_DOMAIN_SID}-1602`;

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
      setFailureFor: lib.func('int FakeWts_SetFailureFor(const char *server, const char *op, int cls, int64_t session, int code)'),
      addProcess: lib.func('int FakeWts_AddProcess(const char *server, uint32_t session, uint32_t pid, const char *image, const char *sid, uint32_t ws)'),
      clearProcesses: lib.func('int FakeWts_ClearProcesses(const char *server)'),
      setProcessLevel: lib.func('int FakeWts_SetProcessLevel(const char *server, uint32_t level)'),
      addAccount: lib.func('int FakeWts_AddAccount(const char *server, const char *sid, const char *name, const char *domain)'),
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
  /**
   * A failure of `op` narrowed to one WTS_INFO_CLASS (WTSQuerySessionInformationW) and/or one session
   * (the query's session, or the process enumeration's filter); code 0 removes it.
   */
  failureFor(server: string, op: OpName, target: { infoClass?: number; session?: number }, code: number): void {
    if (!this.f.setFailureFor?.(server, op, target.infoClass ?? -1, target.session ?? -1, code)) throw new Error(`cannot script ${op} on ${server}`);
  }
  process(server: string, p: FakeProcess): void {
    if (!this.f.addProcess?.(server, p.session, p.pid, p.image, p.sid ?? null, p.workingSetBytes ?? 0)) throw new Error(`cannot add process ${p.pid} to ${server}`);
  }
  clearProcesses(server: string): void {
    this.f.clearProcesses?.(server);
  }
  /** The level WTSEnumerateProcessesExW answers at when asked for 1 (some servers answer 0). */
  processLevel(server: string, level: 0 | 1): void {
    this.f.setProcessLevel?.(server, level);
  }
  /** An account LookupAccountSidW names when asked on `server` ('*': any server). */
  account(server: string, sid: string, name: string, domain: string): void {
    if (!this.f.addAccount?.(server, sid, name, domain)) throw new Error('cannot add the account');
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

  /**
   * Processes of the standard server: session 0's services (the idle process has no SID), jdoe's
   * session 3 with well-known, user and unmapped SIDs, bwayne's session 5. jdoe's SID maps on this
   * server only (a local account); S-1-5-21-…-4711 maps nowhere (a deleted account: 1332).
   */
  standardProcesses(name: string): void {
    const procs: FakeProcess[] = [
      { session: 0, pid: 0, image: 'System Idle Process', workingSetBytes: 8192 },
      { session: 0, pid: 4, image: 'System', sid: 'S-1-5-18', workingSetBytes: 155_648 },
      { session: 0, pid: 700, image: 'lsass.exe', sid: 'S-1-5-18', workingSetBytes: 23_068_672 },
      { session: 0, pid: 1020, image: 'svchost.exe', sid: 'S-1-5-20', workingSetBytes: 18_874_368 },
      { session: 0, pid: 1400, image: 'UpdateAgent.exe', sid: `${STANDARD_DOMAIN_SID}-4711`, workingSetBytes: 31_457_280 },
      { session: 3, pid: 5120, image: 'csrss.exe', sid: 'S-1-5-18', workingSetBytes: 5_242_880 },
      { session: 3, pid: 5200, image: 'dwm.exe', sid: 'S-1-5-90-0-3', workingSetBytes: 62_914_560 },
      { session: 3, pid: 6012, image: 'explorer.exe', sid: JDOE_SID, workingSetBytes: 99_614_720 },
      { session: 3, pid: 6480, image: 'rdpclip.exe', sid: JDOE_SID, workingSetBytes: 10_485_760 },
      { session: 3, pid: 7332, image: 'WINWORD.EXE', sid: JDOE_SID, workingSetBytes: 146_800_640 },
      { session: 5, pid: 8100, image: 'explorer.exe', sid: BWAYNE_SID, workingSetBytes: 88_080_384 },
      { session: 5, pid: 8224, image: 'EXCEL.EXE', sid: BWAYNE_SID, workingSetBytes: 125_829_120 },
    ];
    for (const p of procs) this.process(name, p);
    this.account(name, JDOE_SID, 'jdoe', 'CORP');
    this.account('*', BWAYNE_SID, 'bwayne', 'CORP');
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

import koffi from 'koffi';
import type { MessageOptions, MessageResponse } from '../backend.js';
import { detailFailure } from '../detail-failures.js';
import { WIN32, type BackendOperation } from '../errors.js';
import { WTS_ANY_SESSION, type ProcessInfo } from '../process.js';
import { stateFromCode, type Session } from '../session.js';
import { sidToString } from '../sid.js';
import { AccountNames } from './account-names.js';
import type { WtsApi } from './library.js';
import { decodeRows, EX_NOT_AVAILABLE, NativeFailure, type Ptr } from './native.js';
import { enumerateProcesses } from './processes.js';
import {
  INFO_CLASS,
  WTS_CLIENT_ADDRESS,
  WTS_SESSION_INFO_1W,
  WTS_SESSION_INFOW,
  WTS_TYPE,
  WTSINFOW,
  formatClientAddress,
  fromFileTime,
  type ClientAddress,
  type SessionInfo,
  type SessionInfo1,
  type WtsInfo,
} from './structs.js';

export { NativeFailure } from './native.js';

const MB_OK_ICONINFORMATION = 0x40;
const RESPONSES: Record<number, MessageResponse> = { 1: 'ok', 32000: 'timeout', 32001: 'async' };

/** Synchronous wtsapi32 operations. Every buffer is freed and every handle closed on every path. */
export class WtsCalls {
  private readonly accounts: AccountNames;

  constructor(private readonly api: WtsApi) {
    this.accounts = new AccountNames(api);
  }

  private fail(op: BackendOperation): never {
    throw new NativeFailure(this.api.GetLastError() || WIN32.INVALID_FUNCTION, op);
  }

  private withServer<T>(server: string, fn: (h: Ptr) => T): T {
    const h = this.api.WTSOpenServerW(server);
    if (!h) this.fail('open');
    try {
      return fn(h);
    } finally {
      this.api.WTSCloseServer(h);
    }
  }

  /** WTSQuerySessionInformationW into a decoded value; the buffer is freed before returning. */
  private query<T>(h: Ptr, id: number, cls: number, decode: (p: bigint, bytes: number) => T, op: BackendOperation): T {
    const out: [Ptr] = [null];
    const bytes: [number] = [0];
    if (!this.api.WTSQuerySessionInformationW(h, id, cls, out, bytes)) this.fail(op);
    const p = out[0];
    try {
      if (!p) return decode(0n, 0);
      return decode(p, bytes[0]);
    } finally {
      this.api.WTSFreeMemory(p);
    }
  }

  private queryString(h: Ptr, id: number, cls: number, op: BackendOperation): string {
    // decode.string16 reads up to the NUL; koffi.decode(p, 'char16_t', n) would build (and keep) a type per call.
    return this.query(h, id, cls, (p, n) => (p && n >= 2 ? koffi.decode.string16(p) : ''), op);
  }

  /**
   * One detail the server may refuse for one session: undefined (a blank column) when it does, while
   * a server that is gone, or a session that ended (7022), still fails (see detail-failures.ts).
   */
  private optional<T>(read: () => T): T | undefined {
    try {
      return read();
    } catch (e) {
      if (e instanceof NativeFailure && detailFailure(e.code) === 'blank') return undefined;
      throw e;
    }
  }

  private readInfo(h: Ptr, id: number): WtsInfo {
    return this.query(h, id, INFO_CLASS.SessionInfo, (p) => koffi.decode(p, WTSINFOW) as WtsInfo, 'query');
  }

  /**
   * A session with its times (WTSINFOW) and its client. From a listing (`base` given), the times and
   * the client are optional details. Alone (querySession, the re-check before acting), the times are
   * required: they carry the user and the logon time that tell whether the ID still belongs to the
   * session the operator chose, and acting without them would act blind. The client is optional in both.
   */
  private details(h: Ptr, server: string, id: number, base?: Session): Session {
    const info = base ? this.optional(() => this.readInfo(h, id)) : this.readInfo(h, id);
    const s: Session = base
      ? { ...base }
      : { server, id, name: info?.WinStationName ?? '', user: info?.UserName ?? '', domain: info?.Domain ?? '', state: stateFromCode(info?.State ?? 0) };
    if (info) this.addTimes(s, info);
    if (s.user) {
      const client = this.optional(() => this.queryString(h, id, INFO_CLASS.ClientName, 'query'));
      if (client) s.clientName = client;
      const address = this.optional(() =>
        this.query(h, id, INFO_CLASS.ClientAddress, (p) => (p ? formatClientAddress(koffi.decode(p, WTS_CLIENT_ADDRESS) as ClientAddress) : undefined), 'query'),
      );
      if (address) s.clientAddress = address;
    }
    return s;
  }

  private addTimes(s: Session, info: WtsInfo): void {
    const logon = fromFileTime(info.LogonTime);
    const disconnect = fromFileTime(info.DisconnectTime);
    const input = fromFileTime(info.LastInputTime);
    const now = fromFileTime(info.CurrentTime);
    if (logon) s.logonTime = logon;
    if (disconnect) s.disconnectTime = disconnect;
    s.counters = { bytesIn: info.IncomingBytes, bytesOut: info.OutgoingBytes, framesIn: info.IncomingFrames, framesOut: info.OutgoingFrames };
    if (input) s.lastInputTime = input;
    // Windows' own idle: since last input, or since the disconnection for a disconnected session.
    const from = s.state === 'Disconnected' ? (disconnect ?? input) : input;
    if (from && now) s.idleMs = Math.max(0, now.getTime() - from.getTime());
  }

  private enumerateEx(h: Ptr, server: string): Session[] | undefined {
    const enumEx = this.api.WTSEnumerateSessionsExW;
    const freeEx = this.api.WTSFreeMemoryExW;
    if (!enumEx || !freeEx) return undefined;
    const out: [Ptr] = [null];
    const count: [number] = [0];
    if (!enumEx(h, [1], 0, out, count)) {
      const code = this.api.GetLastError();
      if (EX_NOT_AVAILABLE.has(code)) return undefined;
      throw new NativeFailure(code || WIN32.INVALID_FUNCTION, 'list');
    }
    let rows: SessionInfo1[];
    try {
      rows = decodeRows<SessionInfo1>(out[0], count[0], WTS_SESSION_INFO_1W);
    } finally {
      freeEx(WTS_TYPE.SessionInfoLevel1, out[0], count[0]);
    }
    return rows.map((r) => ({
      server,
      id: r.SessionId,
      name: r.pSessionName ?? '',
      user: r.pUserName ?? '',
      domain: r.pDomainName ?? '',
      state: stateFromCode(r.State),
    }));
  }

  /**
   * The older enumeration, then the user and domain of each session. These are who the session is,
   * not a detail: a refusal fails the listing (a blank user would pass the session off as a system
   * one), except 7022, a session that ended meanwhile, which is left out.
   */
  private enumerateClassic(h: Ptr, server: string): Session[] {
    const out: [Ptr] = [null];
    const count: [number] = [0];
    if (!this.api.WTSEnumerateSessionsW(h, 0, 1, out, count)) this.fail('list');
    let rows: SessionInfo[];
    try {
      rows = decodeRows<SessionInfo>(out[0], count[0], WTS_SESSION_INFOW);
    } finally {
      this.api.WTSFreeMemory(out[0]);
    }
    const sessions: Session[] = [];
    for (const r of rows) {
      try {
        const user = this.queryString(h, r.SessionId, INFO_CLASS.UserName, 'list');
        const domain = user ? this.queryString(h, r.SessionId, INFO_CLASS.DomainName, 'list') : '';
        sessions.push({ server, id: r.SessionId, name: r.pWinStationName ?? '', state: stateFromCode(r.State), user, domain });
      } catch (e) {
        if (!(e instanceof NativeFailure && detailFailure(e.code) === 'session-ended')) throw e;
      }
    }
    return sessions;
  }

  listSessions(server: string): Session[] {
    return this.withServer(server, (h) => {
      const sessions = this.enumerateEx(h, server) ?? this.enumerateClassic(h, server);
      return sessions.map((s) => {
        if (!s.user) return s;
        try {
          return this.details(h, server, s.id, s);
        } catch (e) {
          // The session ended between the enumeration and the query: report what was enumerated.
          if (e instanceof NativeFailure && detailFailure(e.code) === 'session-ended') return s;
          throw e;
        }
      });
    });
  }

  querySession(server: string, id: number): Session {
    return this.withServer(server, (h) => this.details(h, server, id));
  }

  /** The processes of one session (or all), with the account each runs as, named by the server. */
  listProcesses(server: string, session = WTS_ANY_SESSION): ProcessInfo[] {
    return this.withServer(server, (h) => {
      const raw = enumerateProcesses(this.api, h, session);
      const names = this.accounts.resolve(server, raw.flatMap((p) => (p.sid ? [p.sid] : [])));
      return raw.map((p) => {
        const sid = p.sid ? sidToString(p.sid) : undefined;
        const name = sid ? names.get(sid) : undefined;
        const info: ProcessInfo = { server, sessionId: p.sessionId, pid: p.pid, image: p.image, user: name?.user ?? '', domain: name?.domain ?? '' };
        if (sid) info.sid = sid;
        if (p.workingSetBytes !== undefined) info.workingSetBytes = p.workingSetBytes;
        return info;
      });
    });
  }

  logoff(server: string, id: number): void {
    this.withServer(server, (h) => {
      if (!this.api.WTSLogoffSession(h, id, 0)) this.fail('logoff');
    });
  }

  disconnect(server: string, id: number): void {
    this.withServer(server, (h) => {
      if (!this.api.WTSDisconnectSession(h, id, 0)) this.fail('disconnect');
    });
  }

  sendMessage(server: string, id: number, m: MessageOptions): MessageResponse {
    return this.withServer(server, (h) => {
      const response: [number] = [0];
      // Lengths are in bytes, without the terminating NUL.
      const ok = this.api.WTSSendMessageW(h, id, m.title, m.title.length * 2, m.text, m.text.length * 2, MB_OK_ICONINFORMATION, m.timeoutSeconds, response, m.wait ? 1 : 0);
      if (!ok) this.fail('message');
      return RESPONSES[response[0]] ?? 'other';
    });
  }
}

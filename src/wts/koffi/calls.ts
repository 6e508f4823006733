import koffi, { type TypeObject } from 'koffi';
import type { MessageOptions, MessageResponse } from '../backend.js';
import type { BackendOperation } from '../errors.js';
import { stateFromCode, type Session } from '../session.js';
import type { WtsApi } from './library.js';
import {
  INFO_CLASS,
  WTS_CLIENT_ADDRESS,
  WTS_SESSION_INFO_1W,
  WTS_SESSION_INFOW,
  WTS_TYPE_SESSION_INFO_LEVEL1,
  WTSINFOW,
  formatClientAddress,
  fromFileTime,
  type ClientAddress,
  type SessionInfo,
  type SessionInfo1,
  type WtsInfo,
} from './structs.js';

/** A failed wtsapi32 call: the Win32 code, read with GetLastError on the thread that failed. */
export class NativeFailure {
  constructor(
    readonly code: number,
    readonly op: BackendOperation,
  ) {}
}

type Ptr = bigint | null;
const ERROR_NOT_SUPPORTED = 50;
const ERROR_INVALID_PARAMETER = 87;
const ERROR_INVALID_FUNCTION = 1;
const ERROR_CALL_NOT_IMPLEMENTED = 120;
const RPC_S_PROCNUM_OUT_OF_RANGE = 1745;
/** WTSEnumerateSessionsExW failing with these means "not here": the server predates it, so enumerate the old way. */
const EX_NOT_AVAILABLE = new Set([ERROR_INVALID_FUNCTION, ERROR_NOT_SUPPORTED, ERROR_INVALID_PARAMETER, ERROR_CALL_NOT_IMPLEMENTED, RPC_S_PROCNUM_OUT_OF_RANGE]);
const MB_OK_ICONINFORMATION = 0x40;
const RESPONSES: Record<number, MessageResponse> = { 1: 'ok', 32000: 'timeout', 32001: 'async' };

/**
 * Decodes `count` structs one by one at their offsets: koffi.array() would create (and keep) a new
 * type for every distinct count, which grows memory over a long-running bot's life.
 */
function decodeRows<T>(p: Ptr, count: number, type: TypeObject): T[] {
  if (!p || count === 0) return [];
  const rows: T[] = [];
  for (let i = 0; i < count; i++) rows.push(koffi.decode(p, i * type.size, type) as T);
  return rows;
}

/** Synchronous wtsapi32 operations. Every buffer is freed and every handle closed on every path. */
export class WtsCalls {
  constructor(private readonly api: WtsApi) {}

  private fail(op: BackendOperation): never {
    throw new NativeFailure(this.api.GetLastError() || ERROR_INVALID_FUNCTION, op);
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

  private details(h: Ptr, server: string, id: number, base?: Partial<Session>): Session {
    const info = this.query(h, id, INFO_CLASS.SessionInfo, (p) => koffi.decode(p, WTSINFOW) as WtsInfo, 'query');
    const s: Session = {
      server,
      id,
      name: base?.name ?? info.WinStationName,
      user: base?.user ?? info.UserName,
      domain: base?.domain ?? info.Domain,
      state: base?.state ?? stateFromCode(info.State),
    };
    const logon = fromFileTime(info.LogonTime);
    const disconnect = fromFileTime(info.DisconnectTime);
    const input = fromFileTime(info.LastInputTime);
    const now = fromFileTime(info.CurrentTime);
    if (logon) s.logonTime = logon;
    if (disconnect) s.disconnectTime = disconnect;
    if (input) s.lastInputTime = input;
    // Windows' own idle: since last input, or since the disconnection for a disconnected session.
    const from = s.state === 'Disconnected' ? (disconnect ?? input) : input;
    if (from && now) s.idleMs = Math.max(0, now.getTime() - from.getTime());
    if (s.user) {
      const client = this.queryString(h, id, INFO_CLASS.ClientName, 'query');
      if (client) s.clientName = client;
      const address = this.query(h, id, INFO_CLASS.ClientAddress, (p) => (p ? formatClientAddress(koffi.decode(p, WTS_CLIENT_ADDRESS) as ClientAddress) : undefined), 'query');
      if (address) s.clientAddress = address;
    }
    return s;
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
      throw new NativeFailure(code || ERROR_INVALID_FUNCTION, 'list');
    }
    let rows: SessionInfo1[];
    try {
      rows = decodeRows<SessionInfo1>(out[0], count[0], WTS_SESSION_INFO_1W);
    } finally {
      freeEx(WTS_TYPE_SESSION_INFO_LEVEL1, out[0], count[0]);
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
    return rows.map((r) => {
      const base = { server, id: r.SessionId, name: r.pWinStationName ?? '', state: stateFromCode(r.State) };
      const user = this.queryString(h, r.SessionId, INFO_CLASS.UserName, 'list');
      const domain = user ? this.queryString(h, r.SessionId, INFO_CLASS.DomainName, 'list') : '';
      return { ...base, user, domain };
    });
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
          if (e instanceof NativeFailure && e.code === 7022) return s;
          throw e;
        }
      });
    });
  }

  querySession(server: string, id: number): Session {
    return this.withServer(server, (h) => this.details(h, server, id));
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

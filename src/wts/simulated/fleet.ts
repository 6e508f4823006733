import type { MessageOptions, MessageResponse, SessionBackend } from '../backend.js';
import { detailFailure } from '../detail-failures.js';
import { WIN32, WtsError, type BackendOperation } from '../errors.js';
import { isSessionId, type ProcessInfo } from '../process.js';
import type { Session, SessionCounters, SessionState } from '../session.js';
import { DEFAULT_FLEET, type SimServerSpec } from './default-fleet.js';
import { fromSpec, generateProcesses, pidCounter, type SimProcess, type SimProcessSpec } from './sim-processes.js';

/** The details a listing reads per session after enumerating (WTSINFOW's times, the client's name and address). */
export type SessionDetail = 'sessionInfo' | 'clientName' | 'clientAddress';

export interface SimulatedFleetOptions {
  servers?: SimServerSpec[];
  /** Per-call latency: a fixed number of ms, or [min, max] for a uniform spread. */
  latencyMs?: number | [number, number];
  /** How long a logged-off session stays in state Down before it disappears. */
  logoffDelayMs?: number;
  now?: () => number;
}

/**
 * Traffic as Windows counts it for a session: roughly what an office user's RDP session moves per
 * minute logged on (keyboard and mouse in, screen updates out), as DWORDs that wrap as Windows' do.
 */
function simCounters(s: SimSession, now: number): SessionCounters {
  // A disconnected session's counters stopped at its disconnection.
  const until = s.state === 'Disconnected' && s.disconnectTime !== undefined ? s.disconnectTime : now;
  const minutes = s.user && s.logonTime !== undefined ? Math.max(0, (until - s.logonTime) / 60_000) : 0;
  const dword = (x: number): number => Math.round(x) % 2 ** 32;
  return {
    bytesIn: dword(minutes * (38_000 + s.id * 1_300)),
    bytesOut: dword(minutes * (410_000 + s.id * 9_700)),
    framesIn: dword(minutes * (410 + s.id * 7)),
    framesOut: dword(minutes * (1_250 + s.id * 31)),
  };
}

interface SimSession {
  id: number;
  name: string;
  user: string;
  domain: string;
  state: SessionState;
  logonTime?: number;
  disconnectTime?: number;
  lastInputTime?: number;
  clientName?: string;
  clientAddress?: string;
  goneAt?: number;
  processes: SimProcess[];
}

interface SimServer {
  name: string;
  failure?: number;
  hang?: boolean;
  sessions: Map<number, SimSession>;
  nextPid: () => number;
  /** Fails only the process listing (5: the account is no local administrator there). */
  processFailure?: number;
  processDelayMs?: number;
  detailFailures: { detail: SessionDetail; session?: number; code: number }[];
}

export interface SentMessage {
  server: string;
  id: number;
  user: string;
  title: string;
  text: string;
}

const MINUTE = 60_000;

class SessionEnded extends Error {}

/** A Remote Desktop fleet in memory, for the demo and the tests: realistic sessions, states and errors. */
export class SimulatedFleet implements SessionBackend {
  readonly kind = 'simulated' as const;
  readonly messages: SentMessage[] = [];
  private readonly servers = new Map<string, SimServer>();
  private readonly now: () => number;
  private readonly latency: number | [number, number];
  private readonly logoffDelayMs: number;
  private readonly hangs = new Set<() => void>();

  constructor(opts: SimulatedFleetOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.latency = opts.latencyMs ?? 0;
    this.logoffDelayMs = opts.logoffDelayMs ?? 600;
    const start = this.now();
    for (const spec of opts.servers ?? DEFAULT_FLEET) {
      const server: SimServer = { name: spec.name, sessions: new Map(), nextPid: pidCounter(spec.name), detailFailures: [] };
      if (spec.failure !== undefined) server.failure = spec.failure;
      for (const s of spec.sessions) {
        const sim = this.newSession(server, s.id, s.name, s.user ?? '', s.domain ?? '', s.state);
        if (s.logonMinutesAgo !== undefined) sim.logonTime = start - s.logonMinutesAgo * MINUTE;
        if (s.idleMinutes !== undefined) {
          if (s.state === 'Disconnected') sim.disconnectTime = start - s.idleMinutes * MINUTE;
          sim.lastInputTime = start - s.idleMinutes * MINUTE;
        }
        if (s.client !== undefined) sim.clientName = s.client;
        if (s.address !== undefined) sim.clientAddress = s.address;
        server.sessions.set(s.id, sim);
      }
      this.servers.set(spec.name.toLowerCase(), server);
    }
  }

  knownServers(): readonly string[] {
    return [...this.servers.keys()];
  }

  async listSessions(server: string): Promise<Session[]> {
    const srv = await this.reach(server, 'list');
    return [...srv.sessions.values()].map((s) => this.view(server, srv, s, 'list'));
  }

  async querySession(server: string, id: number): Promise<Session> {
    const srv = await this.reach(server, 'query');
    return this.view(server, srv, this.session(srv, server, id, 'query'), 'query');
  }

  async listProcesses(server: string, sessionId?: number): Promise<ProcessInfo[]> {
    if (sessionId !== undefined && !isSessionId(sessionId)) throw new WtsError(WIN32.INVALID_PARAMETER, server, 'processes', `${server}: ${sessionId} is not a session ID`);
    const srv = await this.reach(server, 'processes');
    if (srv.processDelayMs) await new Promise((resolve) => setTimeout(resolve, srv.processDelayMs));
    if (srv.processFailure !== undefined) throw new WtsError(srv.processFailure, server, 'processes');
    const out: ProcessInfo[] = [];
    for (const s of srv.sessions.values()) {
      if (sessionId !== undefined && s.id !== sessionId) continue;
      for (const p of this.running(s)) {
        const info: ProcessInfo = { server, sessionId: s.id, pid: p.pid, image: p.image, user: p.user, domain: p.domain };
        if (p.sid !== undefined) info.sid = p.sid;
        if (p.workingSetBytes !== undefined) info.workingSetBytes = p.workingSetBytes;
        out.push(info);
      }
    }
    return out;
  }

  async logoff(server: string, id: number): Promise<void> {
    const srv = await this.reach(server, 'logoff');
    const s = this.session(srv, server, id, 'logoff');
    if (s.state === 'Down') throw new WtsError(WIN32.CTX_CLOSE_PENDING, server, 'logoff');
    if (id === 0 || s.state === 'Listen') throw new WtsError(WIN32.ACCESS_DENIED, server, 'logoff');
    s.state = 'Down';
    s.goneAt = this.now() + this.logoffDelayMs;
  }

  async disconnect(server: string, id: number): Promise<void> {
    const srv = await this.reach(server, 'disconnect');
    const s = this.session(srv, server, id, 'disconnect');
    if (s.name === 'console') throw new WtsError(WIN32.CTX_CONSOLE_DISCONNECT, server, 'disconnect');
    if (s.state === 'Down') throw new WtsError(WIN32.CTX_CLOSE_PENDING, server, 'disconnect');
    if (s.state === 'Disconnected') return;
    s.state = 'Disconnected';
    s.disconnectTime = this.now();
    s.name = '';
    delete s.clientName;
    delete s.clientAddress;
    // The clipboard helper belongs to the connection; the user's programs keep running.
    s.processes = s.processes.filter((p) => p.image !== 'rdpclip.exe');
  }

  async sendMessage(server: string, id: number, m: MessageOptions): Promise<MessageResponse> {
    const srv = await this.reach(server, 'message');
    const s = this.session(srv, server, id, 'message');
    if (s.state === 'Down') throw new WtsError(WIN32.CTX_CLOSE_PENDING, server, 'message');
    this.messages.push({ server, id, user: s.user, title: m.title, text: m.text });
    return m.wait ? 'ok' : 'async';
  }

  async close(): Promise<void> {
    for (const release of this.hangs) release();
    this.hangs.clear();
  }

  // ---- scripting, for tests and demos ----

  /** Logs a user on, taking the lowest free ID from 2 (as Windows reuses IDs). */
  logon(server: string, user: string, opts: { domain?: string; state?: SessionState; client?: string } = {}): number {
    const srv = this.server(server);
    let id = 2;
    while (srv.sessions.has(id)) id++;
    const now = this.now();
    const s = this.newSession(srv, id, `RDP-Tcp#${id + 40}`, user, opts.domain ?? 'CORP', opts.state ?? 'Active');
    s.logonTime = now;
    s.lastInputTime = now;
    if (opts.client) s.clientName = opts.client;
    srv.sessions.set(id, s);
    return id;
  }

  /** Replaces whoever holds `id` (the ID was reused by a new logon). */
  replaceSession(server: string, id: number, user: string, state: SessionState = 'Active'): void {
    const srv = this.server(server);
    const now = this.now();
    const s = this.newSession(srv, id, `RDP-Tcp#${id + 80}`, user, 'CORP', state);
    s.logonTime = now;
    s.lastInputTime = now;
    srv.sessions.set(id, s);
  }

  setState(server: string, id: number, state: SessionState): void {
    const s = this.server(server).sessions.get(id);
    if (!s) throw new Error(`no session ${id} on ${server}`);
    s.state = state;
    if (state === 'Disconnected') s.disconnectTime = this.now();
  }

  /** The user is back: input now, so idle starts again (a disconnected session reconnects first). */
  userInput(server: string, id: number): void {
    const s = this.server(server).sessions.get(id);
    if (!s) throw new Error(`no session ${id} on ${server}`);
    if (s.state === 'Disconnected') {
      s.state = 'Active';
      s.name = `RDP-Tcp#${id + 120}`;
    }
    s.lastInputTime = this.now();
  }

  removeSession(server: string, id: number): void {
    this.server(server).sessions.delete(id);
  }

  setFailure(server: string, code: number | undefined): void {
    const srv = this.server(server);
    if (code === undefined) delete srv.failure;
    else srv.failure = code;
  }

  /** Replaces the processes of one session (a PID left out is assigned; an account left out is blank). */
  setProcesses(server: string, id: number, processes: SimProcessSpec[]): void {
    const srv = this.server(server);
    const s = srv.sessions.get(id);
    if (!s) throw new Error(`no session ${id} on ${server}`);
    s.processes = processes.map((p) => fromSpec(p, srv.nextPid));
  }

  /** Fails the process listing alone with `code` (5: the account is no local administrator there); undefined clears it. */
  setProcessFailure(server: string, code: number | undefined): void {
    const srv = this.server(server);
    if (code === undefined) delete srv.processFailure;
    else srv.processFailure = code;
  }

  /** Makes the process listing alone take `ms` longer (a host with thousands of processes). */
  setProcessDelay(server: string, ms: number): void {
    this.server(server).processDelayMs = ms;
  }

  /**
   * Makes reading one detail fail with `code`, for one session or (no `sessionId`) all of them, as
   * WTSQuerySessionInformationW would; undefined clears it. A listing blanks what the server will not
   * give and fails only when the code means the server is gone (detail-failures.ts).
   */
  setDetailFailure(server: string, detail: SessionDetail, code: number | undefined, sessionId?: number): void {
    const srv = this.server(server);
    srv.detailFailures = srv.detailFailures.filter((f) => !(f.detail === detail && f.session === sessionId));
    if (code !== undefined) srv.detailFailures.push(sessionId === undefined ? { detail, code } : { detail, session: sessionId, code });
  }

  /** Makes every call on the server hang until close() (a server that never answers). */
  setHang(server: string, hang: boolean): void {
    this.server(server).hang = hang;
  }

  private server(name: string): SimServer {
    const srv = this.servers.get(name.toLowerCase());
    if (!srv) throw new Error(`the simulated fleet has no server ${name}`);
    return srv;
  }

  private async reach(server: string, op: BackendOperation): Promise<SimServer> {
    await this.delay();
    const srv = this.servers.get(server.toLowerCase());
    // Like WTSOpenServerW: an unknown name only fails on the first real call, with 1722.
    if (!srv) throw new WtsError(WIN32.RPC_SERVER_UNAVAILABLE, server, op);
    if (srv.hang) await new Promise<void>((resolve) => this.hangs.add(resolve));
    if (srv.failure !== undefined) throw new WtsError(srv.failure, server, op);
    this.reap(srv);
    return srv;
  }

  private session(srv: SimServer, server: string, id: number, op: BackendOperation): SimSession {
    const s = srv.sessions.get(id);
    if (!s) throw new WtsError(WIN32.CTX_WINSTATION_NOT_FOUND, server, op);
    return s;
  }

  private reap(srv: SimServer): void {
    const now = this.now();
    for (const [id, s] of srv.sessions) if (s.goneAt !== undefined && now >= s.goneAt) srv.sessions.delete(id);
  }

  private async delay(): Promise<void> {
    const ms = Array.isArray(this.latency) ? this.latency[0] + Math.random() * (this.latency[1] - this.latency[0]) : this.latency;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private newSession(srv: SimServer, id: number, name: string, user: string, domain: string, state: SessionState): SimSession {
    const processes = generateProcesses({ server: srv.name, id, user, domain, state, nextPid: srv.nextPid });
    return { id, name, user, domain, state, processes };
  }

  /** What runs in a session now: a session logging off (Down) is down to its system processes. */
  private running(s: SimSession): SimProcess[] {
    if (s.state !== 'Down') return s.processes;
    return s.processes.filter((p) => p.image === 'csrss.exe' || p.image === 'winlogon.exe');
  }

  /**
   * A session as the binding reports it. A listing blanks a detail the server will not give; a query
   * (the re-check before acting) needs the times and fails without them. The client is optional in
   * both (calls.ts does the same).
   */
  private view(server: string, srv: SimServer, s: SimSession, mode: 'list' | 'query'): Session {
    const now = this.now();
    const out: Session = { server, id: s.id, name: s.name, user: s.user, domain: s.domain, state: s.state };
    // A listing queries the details of user sessions only: a failure scripted for another is never met.
    const queried = mode === 'query' || s.user !== '';
    const failing = (detail: SessionDetail): number | undefined =>
      queried ? srv.detailFailures.find((f) => f.detail === detail && (f.session === undefined || f.session === s.id))?.code : undefined;
    const op = mode === 'list' ? 'list' : 'query';
    /** Whether the detail can be shown; throws where the binding's call would fail. */
    const readable = (detail: SessionDetail): boolean => {
      const code = failing(detail);
      if (code === undefined) return true;
      const effect = detailFailure(code);
      if (effect === 'server-gone' || (mode === 'query' && (detail === 'sessionInfo' || effect === 'session-ended'))) throw new WtsError(code, server, op);
      if (effect === 'session-ended') throw new SessionEnded();
      return false;
    };
    try {
      const times = readable('sessionInfo');
      // A new literal, not a spread of `out` with fields added after it: V8 makes that one slow.
      const details: Session = { server, id: s.id, name: s.name, user: s.user, domain: s.domain, state: s.state };
      if (times) {
        if (s.logonTime !== undefined) details.logonTime = new Date(s.logonTime);
        if (s.disconnectTime !== undefined) details.disconnectTime = new Date(s.disconnectTime);
        if (s.lastInputTime !== undefined) details.lastInputTime = new Date(s.lastInputTime);
        const idleFrom = s.state === 'Disconnected' ? s.disconnectTime : s.lastInputTime;
        if (s.user && idleFrom !== undefined) details.idleMs = Math.max(0, now - idleFrom);
        details.counters = simCounters(s, now);
      }
      if (s.user && s.clientName !== undefined && readable('clientName')) details.clientName = s.clientName;
      if (s.user && s.clientAddress !== undefined && readable('clientAddress')) details.clientAddress = s.clientAddress;
      return details;
    } catch (e) {
      // 7022 in a listing: the session ended between the enumeration and the query; show what was enumerated.
      if (e instanceof SessionEnded) return out;
      throw e;
    }
  }
}

import type { MessageOptions, MessageResponse, SessionBackend } from '../backend.js';
import { WIN32, WtsError, type BackendOperation } from '../errors.js';
import type { Session, SessionState } from '../session.js';
import { DEFAULT_FLEET, type SimServerSpec } from './default-fleet.js';

export interface SimulatedFleetOptions {
  servers?: SimServerSpec[];
  /** Per-call latency: a fixed number of ms, or [min, max] for a uniform spread. */
  latencyMs?: number | [number, number];
  /** How long a logged-off session stays in state Down before it disappears. */
  logoffDelayMs?: number;
  now?: () => number;
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
}

interface SimServer {
  failure?: number;
  hang?: boolean;
  sessions: Map<number, SimSession>;
}

export interface SentMessage {
  server: string;
  id: number;
  user: string;
  title: string;
  text: string;
}

const MINUTE = 60_000;

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
      const server: SimServer = { sessions: new Map() };
      if (spec.failure !== undefined) server.failure = spec.failure;
      for (const s of spec.sessions) {
        const sim: SimSession = { id: s.id, name: s.name, user: s.user ?? '', domain: s.domain ?? '', state: s.state };
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
    return [...srv.sessions.values()].map((s) => this.view(server, s));
  }

  async querySession(server: string, id: number): Promise<Session> {
    const srv = await this.reach(server, 'query');
    return this.view(server, this.session(srv, server, id, 'query'));
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
    const s: SimSession = { id, name: `RDP-Tcp#${id + 40}`, user, domain: opts.domain ?? 'CORP', state: opts.state ?? 'Active', logonTime: now, lastInputTime: now };
    if (opts.client) s.clientName = opts.client;
    srv.sessions.set(id, s);
    return id;
  }

  /** Replaces whoever holds `id` (the ID was reused by a new logon). */
  replaceSession(server: string, id: number, user: string, state: SessionState = 'Active'): void {
    const srv = this.server(server);
    const now = this.now();
    srv.sessions.set(id, { id, name: `RDP-Tcp#${id + 80}`, user, domain: 'CORP', state, logonTime: now, lastInputTime: now });
  }

  setState(server: string, id: number, state: SessionState): void {
    const s = this.server(server).sessions.get(id);
    if (!s) throw new Error(`no session ${id} on ${server}`);
    s.state = state;
    if (state === 'Disconnected') s.disconnectTime = this.now();
  }

  removeSession(server: string, id: number): void {
    this.server(server).sessions.delete(id);
  }

  setFailure(server: string, code: number | undefined): void {
    const srv = this.server(server);
    if (code === undefined) delete srv.failure;
    else srv.failure = code;
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

  private view(server: string, s: SimSession): Session {
    const now = this.now();
    const out: Session = { server, id: s.id, name: s.name, user: s.user, domain: s.domain, state: s.state };
    if (s.logonTime !== undefined) out.logonTime = new Date(s.logonTime);
    if (s.disconnectTime !== undefined) out.disconnectTime = new Date(s.disconnectTime);
    if (s.lastInputTime !== undefined) out.lastInputTime = new Date(s.lastInputTime);
    const idleFrom = s.state === 'Disconnected' ? s.disconnectTime : s.lastInputTime;
    if (s.user && idleFrom !== undefined) out.idleMs = Math.max(0, now - idleFrom);
    if (s.clientName !== undefined) out.clientName = s.clientName;
    if (s.clientAddress !== undefined) out.clientAddress = s.clientAddress;
    return out;
  }
}

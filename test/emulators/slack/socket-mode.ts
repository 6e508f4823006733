import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { APP_ID } from './payloads.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Ack {
  envelopeId: string;
  type: EnvelopeType;
  /** From sending the envelope to receiving its ack, in milliseconds. */
  latencyMs: number;
  payload?: unknown;
}

interface Pending {
  type: EnvelopeType;
  sentAt: number;
  resolve: (a: Ack) => void;
}

const PATH = '/socket-mode';

/**
 * Slack's Socket Mode server side: a URL per apps.connections.open (one use each), `hello` on
 * connect, envelopes out, acks in (timed), pings, `disconnect` (refresh_requested), and drops.
 * Like Slack, it keeps every connection the app opens (several instances of a bot) and gives each
 * envelope to one of them at random, unless a test names the connection.
 */
export class SocketModeServer {
  readonly acks: Ack[] = [];
  /** Connections greeted so far, reconnections included. */
  connections = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  /** Open connections, by their number (1 for the first connection ever made, 2 for the next…). */
  private readonly open = new Map<number, WebSocket>();
  private waiters: (() => void)[] = [];
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly base: () => string) {
    // Slack pings every few seconds; the client drops a connection that goes quiet for 30 s.
    this.pinger = setInterval(() => {
      for (const ws of this.open.values()) ws.ping('emulator');
    }, 5000);
  }

  /** What apps.connections.open returns: a fresh single-use URL. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.base().replace(/^http/, 'ws')}${PATH}?ticket=${ticket}`;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== PATH || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
  }

  /** Resolves once a client is connected and greeted, `count` times in all. */
  async connected(count = 1): Promise<void> {
    while (this.connections < count || this.open.size === 0) await new Promise<void>((r) => this.waiters.push(r));
  }

  get isConnected(): boolean {
    return this.open.size > 0;
  }

  /** The numbers of the connections open now. */
  openConnections(): number[] {
    return [...this.open.keys()];
  }

  /** Envelopes sent and not acknowledged. */
  unacked(): string[] {
    return [...this.pending.keys()];
  }

  /** Sends an envelope on connection `to`, or on one of the open connections at random. */
  send(type: EnvelopeType, payload: object, acceptsResponsePayload: boolean, envelopeId = randomUUID(), to?: number): Promise<Ack> {
    const socket = this.pick(to);
    if (!socket) return Promise.reject(new Error(to === undefined ? 'no Socket Mode client is connected' : `Socket Mode connection ${to} is not open`));
    return new Promise<Ack>((resolve) => {
      this.pending.set(envelopeId, { type, sentAt: performance.now(), resolve });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponsePayload, retry_attempt: 0, retry_reason: '' }));
    });
  }

  /** Sends any text as it is: a malformed or unexpected frame, to prove the client survives it. */
  sendRaw(text: string): void {
    const socket = this.pick();
    if (!socket) throw new Error('no Socket Mode client is connected');
    socket.send(text);
  }

  /** Drops connection `to` (every connection when not given) without a close frame, as a network failure would. */
  drop(to?: number): void {
    for (const [n, ws] of this.open) {
      if (to !== undefined && n !== to) continue;
      ws.terminate();
      this.open.delete(n);
    }
  }

  /** Asks the clients to reconnect, as Slack does before it recycles a server. */
  askToRefresh(): void {
    for (const ws of this.open.values()) ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'emulator' } }));
  }

  private pick(to?: number): WebSocket | undefined {
    if (to !== undefined) return this.open.get(to);
    const all = [...this.open.values()];
    return all[Math.floor(Math.random() * all.length)];
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private onSocket(ws: WebSocket): void {
    const n = ++this.connections;
    this.open.set(n, ws);
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', () => {
      if (this.open.get(n) === ws) this.open.delete(n);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.open.size, debug_info: { host: 'emulator', approximate_connection_time: 3600 }, connection_info: { app_id: APP_ID } }));
    for (const w of this.waiters.splice(0)) w();
  }

  private onMessage(text: string): void {
    let msg: { envelope_id?: string; payload?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    const id = msg.envelope_id;
    const p = id ? this.pending.get(id) : undefined;
    if (!id || !p) return;
    this.pending.delete(id);
    const ack: Ack = { envelopeId: id, type: p.type, latencyMs: performance.now() - p.sentAt, payload: msg.payload };
    this.acks.push(ack);
    p.resolve(ack);
  }
}

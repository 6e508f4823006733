import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface Ack {
  envelopeId: string;
  latencyMs: number;
  payload?: unknown;
}

export interface SlashCommand {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  channel_id?: string;
}

export interface ButtonPress {
  user_id: string;
  user_name?: string;
  action_id: string;
  value: string;
  channel_id?: string;
}

interface Pending {
  sentAt: number;
  resolve: (a: Ack) => void;
}

const BOT_TOKEN = 'xoxb-emulator';
const APP_TOKEN = 'xapp-emulator';
export const EMULATOR_TOKENS = { bot: BOT_TOKEN, app: APP_TOKEN } as const;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function parseArgs(req: IncomingMessage, body: string): Record<string, unknown> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    try {
      out[k] = k === 'blocks' || k === 'attachments' ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/**
 * A local Slack: the Web API methods the bot uses, response_url endpoints, and a Socket Mode
 * websocket that delivers envelopes and times their acks. It speaks the wire protocol Bolt expects
 * (hello, envelopes, acks, disconnect/refresh, pings) on 127.0.0.1 only.
 */
export class SlackEmulator {
  readonly calls: ApiCall[] = [];
  /** Every body POSTed to a response_url, by response id. */
  readonly responses = new Map<number, Record<string, unknown>[]>();
  readonly acks: Ack[] = [];
  /** usergroups.users.list answers. */
  readonly userGroups = new Map<string, string[]>();
  connections = 0;
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private readonly pending = new Map<string, Pending>();
  private responseSeq = 0;
  private pinger: NodeJS.Timeout | undefined;
  private waiters: (() => void)[] = [];

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/socket-mode')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.pinger = setInterval(() => this.socket?.ping('emulator'), 5000);
  }

  async stop(): Promise<void> {
    clearInterval(this.pinger);
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Resolves once a Socket Mode client has connected and been greeted, `count` times in all. */
  async connected(count = 1): Promise<void> {
    while (this.connections < count || !this.socket) await new Promise<void>((r) => this.waiters.push(r));
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  newResponseUrl(): { id: number; url: string } {
    const id = ++this.responseSeq;
    this.responses.set(id, []);
    return { id, url: `http://127.0.0.1:${this.port}/response/${id}` };
  }

  async waitForResponses(id: number, count = 1, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.responses.get(id) ?? [];
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`response_url ${id}: ${got.length} of ${count} posts after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Delivers a slash command envelope and resolves when the app acks it. */
  sendSlashCommand(c: SlashCommand): { responseId: number; ack: Promise<Ack> } {
    const { id, url } = this.newResponseUrl();
    const payload = {
      token: 'verification-token-unused',
      team_id: 'T0EMU',
      team_domain: 'emulator',
      channel_id: c.channel_id ?? 'C0HELPDESK',
      channel_name: 'helpdesk',
      user_id: c.user_id,
      user_name: c.user_name ?? c.user_id.toLowerCase(),
      command: c.command,
      text: c.text,
      api_app_id: 'A0RWINSTA',
      is_enterprise_install: 'false',
      response_url: url,
      trigger_id: `${Date.now()}.trigger`,
    };
    return { responseId: id, ack: this.sendEnvelope('slash_commands', payload, true) };
  }

  /** Delivers a button press (block_actions) on the message a response_url belongs to. */
  sendButton(p: ButtonPress): { responseId: number; ack: Promise<Ack> } {
    const { id, url } = this.newResponseUrl();
    const payload = {
      type: 'block_actions',
      user: { id: p.user_id, username: p.user_name ?? p.user_id.toLowerCase(), name: p.user_name ?? p.user_id.toLowerCase(), team_id: 'T0EMU' },
      api_app_id: 'A0RWINSTA',
      token: 'verification-token-unused',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: p.channel_id ?? 'C0HELPDESK', is_ephemeral: false },
      trigger_id: `${Date.now()}.trigger`,
      team: { id: 'T0EMU', domain: 'emulator' },
      channel: { id: p.channel_id ?? 'C0HELPDESK', name: 'helpdesk' },
      message: { type: 'message', ts: '1700000000.000100', text: 'prompt' },
      response_url: url,
      actions: [{ action_id: p.action_id, block_id: 'rwinsta_confirmation', value: p.value, type: 'button', text: { type: 'plain_text', text: 'Confirm' }, action_ts: `${Date.now() / 1000}` }],
    };
    return { responseId: id, ack: this.sendEnvelope('interactive', payload, false) };
  }

  /** Sends raw text on the socket (malformed or replayed payloads, for the fault tests). */
  sendRaw(text: string): void {
    this.socket?.send(text);
  }

  sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: object, acceptsResponse: boolean, envelopeId = randomUUID()): Promise<Ack> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('no Socket Mode client is connected'));
    return new Promise<Ack>((resolve) => {
      this.pending.set(envelopeId, { sentAt: performance.now(), resolve });
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: acceptsResponse, retry_attempt: 0, retry_reason: '' }));
    });
  }

  /** Drops the socket without a close frame, as a network failure would. */
  dropSocket(): void {
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** Asks the client to reconnect, as Slack does before rotating its servers. */
  askToRefresh(): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'emulator' } }));
  }

  /** Signs a request body as Slack does in HTTP mode. */
  static sign(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
    const sig = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
    return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${sig}` };
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    this.connections++;
    ws.on('message', (data) => {
      let msg: { envelope_id?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      const p = msg.envelope_id ? this.pending.get(msg.envelope_id) : undefined;
      if (!p || !msg.envelope_id) return;
      this.pending.delete(msg.envelope_id);
      const ack: Ack = { envelopeId: msg.envelope_id, latencyMs: performance.now() - p.sentAt, payload: msg.payload };
      this.acks.push(ack);
      p.resolve(ack);
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined;
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'emulator', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0RWINSTA' } }));
    for (const w of this.waiters.splice(0)) w();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, data: object): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const response = /^\/response\/(\d+)$/.exec(url.pathname);
    if (response) {
      const list = this.responses.get(Number(response[1]));
      if (!list) return json(404, { ok: false, error: 'expired_url' });
      if (list.length >= 5) return json(404, { ok: false, error: 'used_url' });
      list.push(JSON.parse(body || '{}') as Record<string, unknown>);
      return json(200, { ok: true });
    }
    const api = /^\/api\/([\w.]+)$/.exec(url.pathname);
    if (!api) return json(404, { ok: false, error: 'unknown_path' });
    const method = api[1] as string;
    const args = parseArgs(req, body);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    this.calls.push({ method, token, args });
    switch (method) {
      case 'auth.test':
        if (token !== BOT_TOKEN) return json(200, { ok: false, error: 'invalid_auth' });
        return json(200, { ok: true, url: 'https://emulator.slack.test/', team: 'Emulator', user: 'rwinsta-bot', team_id: 'T0EMU', user_id: 'U0BOT', bot_id: 'B0BOT', is_enterprise_install: false });
      case 'apps.connections.open':
        if (token !== APP_TOKEN) return json(200, { ok: false, error: 'invalid_auth' });
        return json(200, { ok: true, url: `ws://127.0.0.1:${this.port}/socket-mode?ticket=${randomUUID()}` });
      case 'chat.postMessage':
      case 'chat.update':
        if (token !== BOT_TOKEN) return json(200, { ok: false, error: 'invalid_auth' });
        return json(200, { ok: true, channel: args.channel, ts: `${Date.now() / 1000}`, message: { text: args.text } });
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(args.usergroup));
        if (!users) return json(200, { ok: false, error: 'no_such_subteam' });
        return json(200, { ok: true, users });
      }
      default:
        return json(200, { ok: false, error: 'unknown_method' });
    }
  }
}

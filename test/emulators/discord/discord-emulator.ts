import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { readBody } from '../read-body.js';

export interface RestRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | unknown[] | undefined;
  authorization: string | undefined;
}

export interface Callback {
  type: number;
  data?: Record<string, unknown>;
  latencyMs: number;
}

export interface Member {
  id: string;
  username?: string;
  roles?: string[];
}

export interface CommandOption {
  name: string;
  type: number;
  value: string | number | boolean;
  focused?: boolean;
}

/** A message the bot posted in a channel (REST), with every version of it. */
export interface ChannelMessage {
  channel: string;
  id: string;
  body: Record<string, unknown>;
  /** What was posted, then each edit (PATCH), oldest first. */
  versions: Record<string, unknown>[];
}

export interface SentInteraction {
  id: string;
  token: string;
  /** The first callback (defer, reply, update, autocomplete result) for this interaction. */
  callback: Promise<Callback>;
}

interface GatewayFrame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

let snowflakeSeq = 0n;
/** Unique, increasing snowflakes. */
export function snowflake(): string {
  snowflakeSeq += 1n;
  return String((BigInt(Date.now() - 1420070400000) << 22n) + snowflakeSeq);
}

/**
 * A local Discord: the REST routes the bot uses (gateway info, command registration, interaction
 * callbacks, webhook edits and follow-ups, channel messages) and a gateway websocket speaking v10
 * JSON (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, dispatches with sequence numbers, RESUME).
 */
export class DiscordEmulator {
  readonly applicationId = snowflake();
  readonly guildId = snowflake();
  readonly channelId = snowflake();
  readonly token = 'MTAwMDAwMDAwMDAwMDAwMDAx.emulator.rwinsta-bot-token';
  readonly requests: RestRequest[] = [];
  /** Callbacks per interaction ID. */
  readonly callbacks = new Map<string, Callback[]>();
  /** Edits of the original reply and follow-ups, per interaction token. */
  readonly edits = new Map<string, Record<string, unknown>[]>();
  readonly followUps = new Map<string, Record<string, unknown>[]>();
  readonly deletions = new Set<string>();
  readonly channelMessages: ChannelMessage[] = [];
  /** The guild's text channels by ID, with their names (sent in GUILD_CREATE, and answered by GET /channels/:id). */
  readonly channels = new Map<string, string>([[this.channelId, 'helpdesk']]);
  registered: unknown[] = [];
  /** Channels where the bot may not post (403 Missing Access). */
  readonly forbiddenChannels = new Set<string>();
  /** Role IDs the guild has (besides @everyone), sent in GUILD_CREATE: members can only hold these. */
  readonly guildRoles: string[] = [];
  identifies = 0;
  resumes = 0;
  heartbeats = 0;
  heartbeatIntervalMs = 41_250;
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({ noServer: true });
  private socket: WebSocket | undefined;
  private sessionId = '';
  private seq = 0;
  private readonly history: GatewayFrame[] = [];
  private readonly pendingCallbacks = new Map<string, { sentAt: number; resolve: (c: Callback) => void }>();
  private readonly tokenToInteraction = new Map<string, string>();
  private readyWaiters: (() => void)[] = [];

  get port(): number {
    return (this.server?.address() as AddressInfo).port;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.route(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/gateway')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onSocket(ws));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Resolves when `count` sessions have been identified or resumed in all. */
  async sessions(count: number): Promise<void> {
    while (this.identifies + this.resumes < count) await new Promise<void>((r) => this.readyWaiters.push(r));
  }

  // ---- interactions ----

  command(name: string, options: CommandOption[], who: Member, opts: { dm?: boolean; channelId?: string } = {}): SentInteraction {
    return this.interaction(2, { id: snowflake(), name, type: 1, options, ...(opts.dm ? {} : { guild_id: this.guildId }) }, who, opts.dm === true, undefined, opts.channelId);
  }

  autocomplete(name: string, options: CommandOption[], who: Member): SentInteraction {
    return this.interaction(4, { id: snowflake(), name, type: 1, options, guild_id: this.guildId }, who, false);
  }

  button(customId: string, who: Member, message: Record<string, unknown>): SentInteraction {
    return this.interaction(3, { custom_id: customId, component_type: 2 }, who, false, message, message.channel_id as string | undefined);
  }

  /** A modal the bot showed (callback type 9) submitted, with what was typed in its text inputs, from the message it was opened on. */
  modalSubmit(customId: string, values: Record<string, string>, who: Member, message: Record<string, unknown>): SentInteraction {
    const components = Object.entries(values).map(([id, value]) => ({ type: 1, components: [{ type: 4, custom_id: id, value }] }));
    return this.interaction(5, { custom_id: customId, components }, who, false, message, message.channel_id as string | undefined);
  }

  /** The payload of the last dispatch of this type, to replay it. */
  lastDispatch(t: string): unknown {
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i]?.t === t) return this.history[i]?.d;
    return undefined;
  }

  /** Dispatches raw (malformed or replayed) frames, for the fault tests. */
  dispatchRaw(t: string, d: unknown): void {
    this.dispatch(t, d);
  }

  async waitForEdits(token: string, count = 1, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    return this.waitList(this.edits, token, count, timeoutMs, 'edits');
  }

  async waitForFollowUps(token: string, count = 1, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    return this.waitList(this.followUps, token, count, timeoutMs, 'follow-ups');
  }

  /** Closes the gateway socket with a resumable code; discord.js reconnects and resumes. */
  closeForResume(code = 4000): void {
    this.socket?.close(code, 'emulator: resume please');
    this.socket = undefined;
  }

  /** Asks the client to reconnect and resume (opcode 7). */
  askToReconnect(): void {
    this.socket?.send(JSON.stringify({ op: 7, d: null }));
  }

  /** A message as Discord returns it, for the button a test presses. */
  messageFor(body: Record<string, unknown>, channel = this.channelId, id = snowflake()): Record<string, unknown> {
    return {
      id,
      channel_id: channel,
      guild_id: this.guildId,
      author: { id: this.applicationId, username: 'rwinsta-bot', discriminator: '0', global_name: null, avatar: null, bot: true },
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      pinned: false,
      type: 20,
      flags: body.flags ?? 0,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
    };
  }

  private interaction(type: number, data: Record<string, unknown>, who: Member, dm: boolean, message?: Record<string, unknown>, channelId = this.channelId): SentInteraction {
    const id = snowflake();
    const token = `itoken-${randomUUID()}`;
    const user = { id: who.id, username: who.username ?? `user${who.id.slice(-4)}`, discriminator: '0', global_name: null, avatar: null };
    const d: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      data,
      token,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: dm ? { '1': who.id } : { '0': this.guildId },
      context: dm ? 1 : 0,
    };
    if (dm) {
      d.user = user;
      d.channel = { id: snowflake(), type: 1, recipients: [user] };
      d.channel_id = (d.channel as { id: string }).id;
    } else {
      d.guild_id = this.guildId;
      d.guild_locale = 'en-US';
      d.channel_id = channelId;
      d.channel = { id: channelId, type: 0, guild_id: this.guildId, name: this.channels.get(channelId) ?? 'unknown', position: 0, permission_overwrites: [], nsfw: false, parent_id: null };
      d.member = { user, roles: who.roles ?? [], permissions: '0', joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, pending: false, nick: null, avatar: null, premium_since: null, communication_disabled_until: null };
    }
    if (message) d.message = message;
    this.callbacks.set(id, []);
    this.tokenToInteraction.set(token, id);
    const callback = new Promise<Callback>((resolve) => this.pendingCallbacks.set(id, { sentAt: performance.now(), resolve }));
    this.dispatch('INTERACTION_CREATE', d);
    return { id, token, callback };
  }

  private async waitList(map: Map<string, Record<string, unknown>[]>, token: string, count: number, timeoutMs: number, what: string): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = map.get(token) ?? [];
      if (got.length >= count) return got;
      if (Date.now() > deadline) throw new Error(`${got.length} of ${count} ${what} for ${token} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  // ---- gateway ----

  private dispatch(t: string, d: unknown): void {
    const frame: GatewayFrame = { op: 0, t, s: ++this.seq, d };
    this.history.push(frame);
    this.socket?.send(JSON.stringify(frame));
  }

  private onSocket(ws: WebSocket): void {
    this.socket = ws;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ['emulator'] } }));
    ws.on('message', (raw) => {
      let frame: GatewayFrame;
      try {
        frame = JSON.parse(String(raw)) as GatewayFrame;
      } catch {
        ws.close(4002, 'Error while decoding payload');
        return;
      }
      if (frame.op === 1) {
        this.heartbeats++;
        ws.send(JSON.stringify({ op: 11 }));
      } else if (frame.op === 2) this.identify(ws, frame.d as { token?: string });
      else if (frame.op === 6) this.resume(ws, frame.d as { token?: string; session_id?: string; seq?: number });
    });
    ws.on('close', () => {
      if (this.socket === ws) this.socket = undefined;
    });
  }

  private identify(ws: WebSocket, d: { token?: string }): void {
    if (d.token !== this.token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    this.identifies++;
    this.sessionId = randomUUID();
    this.history.length = 0;
    this.seq = 0;
    this.dispatch('READY', {
      v: 10,
      user: { id: this.applicationId, username: 'rwinsta-bot', discriminator: '0', global_name: null, avatar: null, bot: true, verified: true, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.sessionId,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      user_settings: {},
    });
    this.dispatch('GUILD_CREATE', {
      id: this.guildId,
      name: 'Helpdesk',
      icon: null,
      owner_id: snowflake(),
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 3,
      features: [],
      roles: [this.guildId, ...this.guildRoles].map((id, position) => ({ id, name: position === 0 ? '@everyone' : `role-${position}`, color: 0, hoist: false, position, permissions: '0', managed: false, mentionable: false, flags: 0 })),
      emojis: [],
      stickers: [],
      channels: [...this.channels].map(([id, name], position) => ({ id, type: 0, name, position, permission_overwrites: [], nsfw: false, parent_id: null })),
      threads: [],
      members: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      premium_tier: 0,
      preferred_locale: 'en-US',
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      system_channel_flags: 0,
    });
    for (const w of this.readyWaiters.splice(0)) w();
  }

  private resume(ws: WebSocket, d: { token?: string; session_id?: string; seq?: number }): void {
    if (d.token !== this.token || d.session_id !== this.sessionId) {
      ws.send(JSON.stringify({ op: 9, d: false }));
      return;
    }
    this.resumes++;
    for (const frame of this.history) if ((frame.s ?? 0) > (d.seq ?? 0)) ws.send(JSON.stringify(frame));
    this.dispatch('RESUMED', null);
    for (const w of this.readyWaiters.splice(0)) w();
  }

  // ---- REST ----

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname).replace(/^\/api(\/v\d+)?/, '');
    const body = raw ? (JSON.parse(raw) as Record<string, unknown> | unknown[]) : undefined;
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, body, authorization: req.headers.authorization });
    const json = (status: number, data?: unknown): void => {
      if (data === undefined) {
        res.writeHead(status);
        res.end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    const authorized = req.headers.authorization === `Bot ${this.token}`;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path))) {
      const [, id, token] = m as unknown as [string, string, string];
      if (this.tokenToInteraction.get(token) !== id) return json(404, { message: 'Unknown interaction', code: 10062 });
      const cb = body as { type: number; data?: Record<string, unknown> };
      const list = this.callbacks.get(id) ?? [];
      if (list.length > 0) return json(400, { message: 'Interaction has already been acknowledged.', code: 40060 });
      const pending = this.pendingCallbacks.get(id);
      const entry: Callback = { type: cb.type, latencyMs: pending ? performance.now() - pending.sentAt : -1 };
      if (cb.data) entry.data = cb.data;
      list.push(entry);
      this.callbacks.set(id, list);
      pending?.resolve(entry);
      this.pendingCallbacks.delete(id);
      if (cb.type === 4) (this.edits.get(token) ?? this.edits.set(token, []).get(token))?.push(cb.data ?? {});
      return url.searchParams.get('with_response') === 'true' ? json(200, { interaction: { id, type: 2 } }) : json(204);
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path))) {
      const token = m[2] as string;
      if (!this.tokenToInteraction.has(token)) return json(404, { message: 'Unknown Webhook', code: 10015 });
      const b = (body ?? {}) as Record<string, unknown>;
      if (m[3] && method === 'PATCH') {
        (this.edits.get(token) ?? this.edits.set(token, []).get(token))?.push(b);
        return json(200, this.messageFor(b));
      }
      if (m[3] && method === 'DELETE') {
        this.deletions.add(token);
        return json(204);
      }
      if (!m[3] && method === 'POST') {
        (this.followUps.get(token) ?? this.followUps.set(token, []).get(token))?.push(b);
        return json(200, this.messageFor(b));
      }
    }
    if (!authorized) return json(401, { message: '401: Unauthorized', code: 0 });
    if (method === 'GET' && path === '/gateway/bot') {
      return json(200, { url: `ws://127.0.0.1:${this.port}/gateway`, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } });
    }
    if (method === 'GET' && path === '/applications/@me') return json(200, { id: this.applicationId, name: 'rwinsta-bot', flags: 0 });
    if (method === 'GET' && path === '/users/@me') return json(200, { id: this.applicationId, username: 'rwinsta-bot', discriminator: '0', bot: true });
    if (method === 'PUT' && (m = /^\/applications\/(\d+)(\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (m[1] !== this.applicationId) return json(404, { message: 'Unknown Application', code: 10002 });
      this.registered = ((body ?? []) as Record<string, unknown>[]).map((c) => ({ ...c, id: snowflake(), application_id: this.applicationId, version: snowflake(), guild_id: m?.[3] }));
      return json(200, this.registered);
    }
    if (method === 'POST' && (m = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const channel = m[1] as string;
      const b = (body ?? {}) as Record<string, unknown>;
      if (this.forbiddenChannels.has(channel)) return json(403, { message: 'Missing Access', code: 50001 });
      const message = this.messageFor(b, channel);
      this.channelMessages.push({ channel, id: message.id as string, body: b, versions: [b] });
      return json(200, message);
    }
    if (method === 'PATCH' && (m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const posted = this.channelMessages.find((x) => x.channel === m?.[1] && x.id === m[2]);
      if (!posted) return json(404, { message: 'Unknown Message', code: 10008 });
      const b = (body ?? {}) as Record<string, unknown>;
      posted.versions.push(b);
      posted.body = { ...posted.body, ...b };
      return json(200, this.messageFor(posted.body, posted.channel, posted.id));
    }
    if (method === 'GET' && (m = /^\/channels\/(\d+)$/.exec(path))) {
      const name = this.channels.get(m[1] as string);
      if (name === undefined) return json(404, { message: 'Unknown Channel', code: 10003 });
      return json(200, { id: m[1], type: 0, guild_id: this.guildId, name, position: 0, permission_overwrites: [], nsfw: false, parent_id: null });
    }
    return json(404, { message: '404: Not Found', code: 0 });
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HELPDESK_CHANNEL, TEAM } from './payloads.js';

export const EMULATOR_TOKENS = { bot: 'xoxb-emulator', app: 'xapp-emulator' } as const;
export const BOT = { userId: 'U0BOT', botId: 'B0BOT' } as const;

export interface ApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[];
  /** Every version, oldest first: what chat.postMessage posted, then each chat.update. */
  versions: { text: string; blocks: unknown[] }[];
}

type Reply = { status: number; body: Record<string, unknown> };

const ok = (data: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: true, ...data } });
// The Web API answers errors with HTTP 200 and ok: false.
const fail = (error: string, extra: Record<string, unknown> = {}): Reply => ({ status: 200, body: { ok: false, error, ...extra } });

/** A person as users.info describes them. */
export interface EmulatedUser {
  email?: string;
  deleted?: boolean;
  isBot?: boolean;
}

/** What the emulated app was granted; users.info needs users:read, and shows emails only with users:read.email. */
export const DEFAULT_SCOPES = ['commands', 'chat:write', 'usergroups:read', 'users:read', 'users:read.email', 'channels:read', 'groups:read'] as const;

/** A modal opened with views.open, as the emulator keeps it. */
export interface OpenedView {
  id: string;
  triggerId: string;
  view: Record<string, unknown>;
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
 * The Web API methods the bot uses, with Slack's rules that matter to it: tokens by kind, the bot
 * posts only where it is a member, chat.update needs a message the bot posted, a response_url
 * takes at most 5 posts. Everything is recorded for the tests to inspect.
 */
export class SlackWebApi {
  readonly calls: ApiCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  /** Channels the bot is a member of. */
  readonly botChannels = new Set<string>([HELPDESK_CHANNEL, 'C0AUDIT']);
  /** usergroups.users.list answers, by user-group ID. */
  readonly userGroups = new Map<string, string[]>();
  /** users.info answers, by user ID (set per test). */
  readonly users = new Map<string, EmulatedUser>();
  /** conversations.info answers: channel names by ID. */
  readonly channelNames = new Map<string, string>([[HELPDESK_CHANNEL, 'helpdesk']]);
  /** Modals opened with views.open, oldest first. */
  readonly views: OpenedView[] = [];
  /** The bot token's scopes (remove one to see the app without it). */
  readonly scopes = new Set<string>(DEFAULT_SCOPES);
  /** Every body POSTed to a response_url, by response id. */
  readonly responses = new Map<number, Record<string, unknown>[]>();
  private readonly failures = new Map<string, string[]>();
  private responseSeq = 0;
  private tsSeq = 0;

  constructor(private readonly openSocket: () => string) {}

  /** The next call to `method` answers `{ok: false, error}`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Messages the bot posted in a channel, oldest first. */
  messagesIn(channel: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  newResponseUrl(base: string): { id: number; url: string } {
    const id = ++this.responseSeq;
    this.responses.set(id, []);
    return { id, url: `${base}/response/${id}` };
  }

  async handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const r = this.route(req, url.pathname, body);
    res.writeHead(r.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.body));
  }

  private route(req: IncomingMessage, path: string, body: string): Reply {
    const response = /^\/response\/(\d+)$/.exec(path);
    if (response) return this.responseUrl(Number(response[1]), body);
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (!api) return { status: 404, body: { ok: false, error: 'unknown_path' } };
    const method = api[1] as string;
    const args = parseArgs(req, body);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (args.token as string | undefined);
    this.calls.push({ method, token, args });
    const injected = this.failures.get(method)?.shift();
    if (injected) return fail(injected);
    if (!token) return fail('not_authed');
    if (method === 'apps.connections.open') return token === EMULATOR_TOKENS.app ? ok({ url: this.openSocket() }) : fail('invalid_auth');
    if (token !== EMULATOR_TOKENS.bot) return fail(token.startsWith('xapp-') ? 'not_allowed_token_type' : 'invalid_auth');
    switch (method) {
      case 'auth.test':
        return ok({ url: `https://${TEAM.domain}.slack.test/`, team: 'Emulator', user: 'rwinsta-bot', team_id: TEAM.id, user_id: BOT.userId, bot_id: BOT.botId, is_enterprise_install: false });
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.update':
        return this.update(args);
      case 'usergroups.users.list': {
        const users = this.userGroups.get(String(args.usergroup));
        return users ? ok({ users }) : fail('no_such_subteam');
      }
      case 'users.info':
        return this.usersInfo(String(args.user ?? ''));
      case 'conversations.info':
        return this.conversationsInfo(String(args.channel ?? ''));
      case 'views.open':
        return this.openView(args);
      default:
        return fail('unknown_method');
    }
  }

  private usersInfo(id: string): Reply {
    if (!this.scopes.has('users:read')) return fail('missing_scope', { needed: 'users:read', provided: [...this.scopes].join(',') });
    const u = this.users.get(id);
    if (!u) return fail('user_not_found');
    const profile = { real_name: id, display_name: id, ...(u.email && this.scopes.has('users:read.email') ? { email: u.email } : {}) };
    return ok({ user: { id, team_id: TEAM.id, name: id.toLowerCase(), deleted: u.deleted ?? false, is_bot: u.isBot ?? false, profile } });
  }

  private conversationsInfo(id: string): Reply {
    const scope = id.startsWith('G') ? 'groups:read' : 'channels:read';
    if (!this.scopes.has(scope)) return fail('missing_scope', { needed: scope, provided: [...this.scopes].join(',') });
    const name = this.channelNames.get(id);
    return name ? ok({ channel: { id, name, is_channel: true } }) : fail('channel_not_found');
  }

  /** views.open needs a trigger_id (valid 3 s in Slack) and a view; the modal is kept for the test to submit. */
  private openView(args: Record<string, unknown>): Reply {
    const triggerId = String(args.trigger_id ?? '');
    if (!triggerId) return fail('invalid_arguments');
    const view = (typeof args.view === 'string' ? JSON.parse(args.view) : args.view) as Record<string, unknown> | undefined;
    if (!view || view.type !== 'modal') return fail('invalid_arguments');
    const opened: OpenedView = { id: `V${String(this.views.length + 1).padStart(8, '0')}`, triggerId, view };
    this.views.push(opened);
    return ok({ view: { ...view, id: opened.id } });
  }

  private postMessage(args: Record<string, unknown>): Reply {
    const channel = String(args.channel ?? '');
    if (!channel) return fail('channel_not_found');
    if (!this.botChannels.has(channel)) return fail('not_in_channel');
    if (!args.text && !args.blocks) return fail('no_text');
    const ts = `1700000${String(++this.tsSeq).padStart(3, '0')}.000100`;
    const version = { text: String(args.text ?? ''), blocks: (args.blocks as unknown[]) ?? [] };
    this.messages.set(`${channel}/${ts}`, { channel, ts, ...version, versions: [version] });
    return ok({ channel, ts, message: { type: 'message', text: version.text, user: BOT.userId, bot_id: BOT.botId, ts } });
  }

  private update(args: Record<string, unknown>): Reply {
    const m = this.messages.get(`${String(args.channel)}/${String(args.ts)}`);
    if (!m) return fail('message_not_found');
    const version = { text: String(args.text ?? m.text), blocks: (args.blocks as unknown[]) ?? m.blocks };
    Object.assign(m, version);
    m.versions.push(version);
    return ok({ channel: m.channel, ts: m.ts, text: m.text });
  }

  private responseUrl(id: number, body: string): Reply {
    const list = this.responses.get(id);
    if (!list) return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (list.length >= 5) return { status: 404, body: { ok: false, error: 'used_url' } };
    list.push(JSON.parse(body || '{}') as Record<string, unknown>);
    return ok();
  }
}

import { readDiscordConfig } from '../../adapters/discord/config.js';
import { readSlackConfig } from '../../adapters/slack/config.js';
import type { Env } from '../config/env-readers.js';

const ONLINE_TIMEOUT_MS = 10_000;

export interface OnlineCheck {
  lines: string[];
  problems: string[];
}

async function call(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> } | { error: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(ONLINE_TIMEOUT_MS) });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    return { status: res.status, body };
  } catch (e) {
    // fetch says "fetch failed"; what failed is in its cause (ECONNREFUSED, ENOTFOUND, a certificate).
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    if (e instanceof Error && e.name === 'TimeoutError') return { error: `no answer within ${ONLINE_TIMEOUT_MS / 1000} s` };
    return { error: cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e)) };
  }
}

async function slackMethod(apiUrl: string, method: string, token: string): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; why: string; unreachable: boolean }> {
  const r = await call(`${apiUrl}${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  if ('error' in r) return { ok: false, why: `cannot reach ${apiUrl}${method} (${r.error})`, unreachable: true };
  if (r.body.ok === true) return { ok: true, body: r.body };
  return { ok: false, why: `Slack answered ${method} with ${typeof r.body.error === 'string' ? r.body.error : `HTTP ${r.status}`}`, unreachable: false };
}

/** Slack: auth.test with the bot token, and in Socket Mode apps.connections.open with the app token. */
export async function checkSlackOnline(env: Env): Promise<OnlineCheck> {
  const c = readSlackConfig(env);
  const out: OnlineCheck = { lines: [], problems: [] };
  const auth = await slackMethod(c.apiUrl, 'auth.test', c.botToken);
  if (auth.ok) out.lines.push(`bot token works: "${String(auth.body.user)}" in workspace "${String(auth.body.team)}"`);
  else if (auth.unreachable) out.problems.push(`SLACK_API_URL: ${auth.why}; check the network, a proxy, or the URL`);
  else out.problems.push(`SLACK_BOT_TOKEN: ${auth.why}; copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions`);
  if (c.mode === 'socket' && c.appToken && !(!auth.ok && auth.unreachable)) {
    const socket = await slackMethod(c.apiUrl, 'apps.connections.open', c.appToken);
    if (socket.ok) out.lines.push('app token works: Socket Mode can connect');
    else out.problems.push(`SLACK_APP_TOKEN: ${socket.why}; generate an app-level token with connections:write (Basic Information → App-Level Tokens)`);
  }
  return out;
}

/** Discord: GET /users/@me with the bot token. */
export async function checkDiscordOnline(env: Env): Promise<OnlineCheck> {
  const c = readDiscordConfig(env);
  const url = `${c.apiUrl}/v10/users/@me`;
  const r = await call(url, { headers: { authorization: `Bot ${c.token}` } });
  if ('error' in r) return { lines: [], problems: [`DISCORD_API_URL: cannot reach ${url} (${r.error}); check the network, a proxy, or the URL`] };
  if (r.status === 200) return { lines: [`bot token works: signed in as "${String(r.body.username)}" (${String(r.body.id)})`], problems: [] };
  const why = r.status === 401 ? 'Discord refused it (401 Unauthorized)' : `Discord answered HTTP ${r.status}${typeof r.body.message === 'string' ? ` (${r.body.message})` : ''}`;
  return { lines: [], problems: [`DISCORD_TOKEN: ${why}; reset the token (Developer Portal → your application → Bot → Reset Token) and set it again`] };
}

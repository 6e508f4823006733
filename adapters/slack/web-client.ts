import { webApi } from '@slack/bolt';
import type { Logger } from '../../src/core/index.js';
import { ConfigError } from '../../src/config/config-error.js';
import { boltLogger } from './bolt-logger.js';

export type WebClient = webApi.WebClient;

export interface BotIdentity {
  botId: string;
  botUserId: string;
  team: string;
}

// Answers that mean the token itself is wrong, not that Slack is briefly unreachable.
const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/**
 * The bot's own Web API client. Timeouts and a few quick retries, not the library's default of
 * retrying for half an hour: a reply, a lookup or an audit line is worth little that late.
 */
export function createWebClient(token: string, apiUrl: string, log: Logger): WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    logger: boltLogger(log),
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 4_000 },
  });
}

export function platformError(e: unknown): string | undefined {
  return e instanceof webApi.WebAPIPlatformError ? e.data.error : undefined;
}

export function describeError(e: unknown): string {
  const platform = platformError(e);
  if (platform) return platform;
  if (!(e instanceof Error)) return String(e);
  // A request that never reached Slack: "fetch failed" says little, the socket's error code says why.
  const code = causeCode(e);
  return code && !e.message.includes(code) ? `${e.message}: ${code}` : e.message;
}

function causeCode(e: unknown, depth = 0): string | undefined {
  if (typeof e !== 'object' || e === null || depth > 4) return undefined;
  const o = e as { code?: unknown; cause?: unknown; original?: unknown };
  if (typeof o.code === 'string' && /^E[A-Z_]+$/.test(o.code)) return o.code;
  return causeCode(o.original, depth + 1) ?? causeCode(o.cause, depth + 1);
}

/** auth.test: who the bot is, checked once at start so a bad token fails there, by name. */
export async function identify(client: WebClient, apiUrl: string): Promise<BotIdentity> {
  try {
    const r = await client.auth.test();
    return { botId: r.bot_id ?? '', botUserId: r.user_id ?? '', team: r.team ?? r.team_id ?? '' };
  } catch (e) {
    const code = platformError(e);
    if (code && TOKEN_ERRORS.has(code)) throw new ConfigError('SLACK_BOT_TOKEN', `Slack rejected it (${code}); copy the Bot User OAuth Token (xoxb-…) again from OAuth & Permissions`);
    throw new Error(`auth.test at ${apiUrl} failed (${describeError(e)}); is SLACK_API_URL right and Slack reachable from this host?`);
  }
}

import { CHAT_VERBS, type ChatVerb } from '../shared/chat-verbs.js';
import { ConfigError } from '../../src/config/config-error.js';
import { readBool, readEnum, readInt, readString, readUrl, type Env } from '../../src/config/env-readers.js';

export type SlackVerb = ChatVerb;

export interface SlackConfig {
  botToken: string;
  mode: 'socket' | 'http';
  /** Socket Mode: the app-level token (xapp-…) that opens the websocket. */
  appToken?: string;
  /** HTTP mode: verifies every request's signature. */
  signingSecret?: string;
  port: number;
  /** Web API base, e.g. https://slack.com/api/ or https://slack-gov.com/api/ (government instance). */
  apiUrl: string;
  /** Slash command name for each chat verb, with its leading slash. */
  commands: Record<SlackVerb, string>;
  /** Results of actions and lists in the channel (true) or only to the caller (false). */
  resultsInChannel: boolean;
  auditChannel?: string;
  /** Where approval requests are posted (RWINSTA_APPROVAL_CHANNEL_SLACK); the request's own channel when unset. */
  approvalChannel?: string;
  userGroupCacheMs: number;
}

// Slack reserves its built-in commands (/msg among them) and will not let an app register them.
export const DEFAULT_COMMANDS = Object.fromEntries(CHAT_VERBS.map((s) => [s.verb, s.chat.slackSlash ?? s.chat.slash])) as Readonly<Record<SlackVerb, string>>;

const COMMAND = /^\/[a-z0-9_-]{1,31}$/;
const RESERVED = new Set(['/msg', '/dm', '/invite', '/remind', '/status', '/away', '/leave', '/join', '/topic', '/me', '/shrug', '/who', '/search', '/feed', '/apps', '/mute', '/collapse', '/expand', '/open', '/archive', '/kick', '/remove', '/rename', '/shortcuts', '/active', '/dnd', '/prefs', '/call', '/giphy']);

export function isSlackConfigured(env: Env): boolean {
  return readString(env, 'SLACK_BOT_TOKEN') !== undefined;
}

/** The slash command names, from SLACK_COMMAND_<VERB> or the defaults. */
export function readSlackCommands(env: Env): Record<SlackVerb, string> {
  const commands = { ...DEFAULT_COMMANDS };
  for (const verb of Object.keys(commands) as SlackVerb[]) {
    const key = `SLACK_COMMAND_${verb.toUpperCase()}`;
    const raw = readString(env, key);
    if (raw === undefined) continue;
    const name = raw.startsWith('/') ? raw.toLowerCase() : `/${raw.toLowerCase()}`;
    if (!COMMAND.test(name)) throw new ConfigError(key, `"${raw}" is not a slash command name (letters, digits, - and _, up to 32 characters)`);
    if (RESERVED.has(name)) throw new ConfigError(key, `${name} is a Slack built-in command; apps cannot use it (try /rd${name.slice(1)})`);
    commands[verb] = name;
  }
  for (const verb of Object.keys(commands) as SlackVerb[]) {
    const other = (Object.keys(commands) as SlackVerb[]).find((v) => v !== verb && commands[v] === commands[verb]);
    if (other) throw new ConfigError(`SLACK_COMMAND_${verb.toUpperCase()}`, `${commands[verb]} is already the ${other} command; give each command its own name`);
  }
  return commands;
}

export function readSlackConfig(env: Env): SlackConfig {
  const botToken = readString(env, 'SLACK_BOT_TOKEN');
  if (!botToken) throw new ConfigError('SLACK_BOT_TOKEN', 'is not set (the bot token, xoxb-…, from OAuth & Permissions)');
  if (!botToken.startsWith('xoxb-')) throw new ConfigError('SLACK_BOT_TOKEN', 'must be a bot token starting with xoxb- (OAuth & Permissions → Bot User OAuth Token)');
  const mode = readEnum(env, 'SLACK_MODE', ['socket', 'http'] as const, 'socket');
  const commands = readSlackCommands(env);
  const config: SlackConfig = {
    botToken,
    mode,
    port: readInt(env, 'SLACK_PORT', 3000, 1, 65535),
    apiUrl: readUrl(env, 'SLACK_API_URL', 'https://slack.com/api/'),
    commands,
    resultsInChannel: readBool(env, 'SLACK_RESULTS_IN_CHANNEL', true),
    userGroupCacheMs: readInt(env, 'SLACK_USERGROUP_CACHE_SECONDS', 300, 0, 86_400) * 1000,
  };
  if (!config.apiUrl.endsWith('/')) config.apiUrl += '/';
  const audit = readString(env, 'SLACK_AUDIT_CHANNEL');
  if (audit) {
    if (!/^[CG][A-Z0-9]{2,}$/.test(audit)) throw new ConfigError('SLACK_AUDIT_CHANNEL', `"${audit}" is not a channel ID (C… or G…; in Slack: channel details → Copy channel ID)`);
    config.auditChannel = audit;
  }
  const approvals = readString(env, 'RWINSTA_APPROVAL_CHANNEL_SLACK');
  if (approvals) {
    if (!/^[CG][A-Z0-9]{2,}$/.test(approvals)) throw new ConfigError('RWINSTA_APPROVAL_CHANNEL_SLACK', `"${approvals}" is not a channel ID (C… or G…; in Slack: channel details → Copy channel ID)`);
    config.approvalChannel = approvals;
  }
  if (mode === 'socket') {
    const appToken = readString(env, 'SLACK_APP_TOKEN');
    if (!appToken) throw new ConfigError('SLACK_APP_TOKEN', 'is not set; Socket Mode needs an app-level token (xapp-…) with connections:write, or set SLACK_MODE=http');
    if (!appToken.startsWith('xapp-')) throw new ConfigError('SLACK_APP_TOKEN', 'must be an app-level token starting with xapp- (Basic Information → App-Level Tokens)');
    config.appToken = appToken;
  } else {
    const secret = readString(env, 'SLACK_SIGNING_SECRET');
    if (!secret) throw new ConfigError('SLACK_SIGNING_SECRET', 'is not set; HTTP mode verifies every request with it (Basic Information → Signing Secret)');
    config.signingSecret = secret;
  }
  return config;
}

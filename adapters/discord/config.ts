import { ConfigError } from '../../src/config/config-error.js';
import { readBool, readString, readUrl, type Env } from '../../src/config/env-readers.js';

export interface DiscordConfig {
  token: string;
  applicationId?: string;
  /** Register commands in this guild (instant) rather than globally (up to an hour). */
  guildId?: string;
  /** REST base, e.g. https://discord.com/api or a proxy. */
  apiUrl: string;
  allowDms: boolean;
  /** Results of actions and lists in the channel (true) or only to the caller (false). */
  resultsInChannel: boolean;
  auditChannel?: string;
  /** Who sees the commands by default: a permission bitfield, e.g. 0 (administrators only) or 8192 (Manage Messages). */
  defaultMemberPermissions?: string;
  /** Where approval requests are posted (RWINSTA_APPROVAL_CHANNEL_DISCORD); the request's own channel when unset. */
  approvalChannel?: string;
}

const SNOWFLAKE = /^\d{15,21}$/;

export function isDiscordConfigured(env: Env): boolean {
  return readString(env, 'DISCORD_TOKEN') !== undefined;
}

function snowflake(env: Env, key: string, what: string): string | undefined {
  const v = readString(env, key);
  if (v !== undefined && !SNOWFLAKE.test(v)) throw new ConfigError(key, `"${v}" is not ${what} (a 17–20 digit snowflake; Developer Mode → Copy ID)`);
  return v;
}

export function readDiscordConfig(env: Env): DiscordConfig {
  const token = readString(env, 'DISCORD_TOKEN');
  if (!token) throw new ConfigError('DISCORD_TOKEN', 'is not set (Developer Portal → your application → Bot → Reset Token)');
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new ConfigError('DISCORD_TOKEN', 'does not look like a bot token (three dot-separated parts); paste it without "Bot "');
  const config: DiscordConfig = {
    token,
    apiUrl: readUrl(env, 'DISCORD_API_URL', 'https://discord.com/api').replace(/\/+$/, ''),
    allowDms: readBool(env, 'DISCORD_ALLOW_DMS', false),
    resultsInChannel: readBool(env, 'DISCORD_RESULTS_IN_CHANNEL', true),
  };
  const app = snowflake(env, 'DISCORD_APPLICATION_ID', 'an application ID');
  if (app) config.applicationId = app;
  const guild = snowflake(env, 'DISCORD_GUILD_ID', 'a server (guild) ID');
  if (guild) config.guildId = guild;
  const perms = readString(env, 'DISCORD_DEFAULT_MEMBER_PERMISSIONS');
  if (perms !== undefined) {
    if (!/^\d{1,20}$/.test(perms) || BigInt(perms) >= 1n << 64n) {
      throw new ConfigError('DISCORD_DEFAULT_MEMBER_PERMISSIONS', `"${perms}" is not a permission bitfield: a whole number such as 0 (administrators only) or 8192 (Manage Messages); leave it unset for everyone`);
    }
    config.defaultMemberPermissions = perms;
  }
  const audit = snowflake(env, 'DISCORD_AUDIT_CHANNEL', 'a channel ID');
  if (audit) config.auditChannel = audit;
  const approvals = snowflake(env, 'RWINSTA_APPROVAL_CHANNEL_DISCORD', 'a channel ID');
  if (approvals) config.approvalChannel = approvals;
  return config;
}

import type { AccessModel } from '../../src/core/index.js';
import type { AdapterFactory, AdapterSubcommand } from '../shared/adapter.js';
import { resolve } from 'node:path';
import { loadAccessFileContents } from '../../src/config/access-file.js';
import { readEnum, readString, type Env } from '../../src/config/env-readers.js';
import { identityNeedsEmail } from '../../src/identity/index.js';
import { isSlackConfigured, readSlackCommands, readSlackConfig } from './config.js';
import { slackManifest } from './manifest.js';
import { HTTP_PATH, SlackAdapter } from './slack-adapter.js';

/** The Slack user groups some role names: the only ones whose members are looked up. */
export function slackUserGroupsOf(access: AccessModel): string[] {
  const groups = new Set<string>();
  for (const role of access.roles.values()) for (const g of role.members.slackUserGroups) groups.add(g);
  return [...groups].sort();
}

const manifestCommand: AdapterSubcommand = {
  description: 'print the Slack app manifest (HTTP mode: --request-url https://…/slack/events; --channel-names for channel-limited grants)',
  async run(env, args, out) {
    const i = args.indexOf('--request-url');
    const url = i >= 0 ? args[i + 1] : undefined;
    const mode = readEnum(env, 'SLACK_MODE', ['socket', 'http'] as const, 'socket');
    if ((i >= 0 || mode === 'http') && !url?.startsWith('https://')) {
      process.stderr.write(`rwinsta-bot slack manifest: HTTP mode needs --request-url https://<your host>${HTTP_PATH} (Slack only calls https URLs)\n`);
      return 2;
    }
    // Self-service that finds people by email needs users:read.email: only then is it asked for.
    const accessFile = readString(env, 'RWINSTA_ACCESS_FILE');
    const emailLookup = accessFile ? identityNeedsEmail((await loadAccessFileContents(resolve(accessFile))).identity) : false;
    out.write(`${JSON.stringify(slackManifest(readSlackCommands(env), url, { emailLookup, channelNames: args.includes('--channel-names') }), null, 2)}\n`);
    return 0;
  },
};

export const slackAdapterFactory: AdapterFactory = {
  name: 'slack',
  isConfigured: isSlackConfigured,
  checkConfig(env: Env): string[] {
    const c = readSlackConfig(env);
    const lines = [
      `${c.mode === 'socket' ? 'Socket Mode (outbound only)' : `HTTP mode on port ${c.port}, Request URL path ${HTTP_PATH}`}; Web API ${c.apiUrl}`,
      `commands ${Object.values(c.commands).join(' ')}; results ${c.resultsInChannel ? 'in the channel' : 'only to the caller'}`,
      `user groups cached ${c.userGroupCacheMs / 1000} s; audit channel ${c.auditChannel ?? '(none)'}; approval requests in ${c.approvalChannel ?? 'the channel they are made in'}`,
    ];
    return lines;
  },
  async start(deps) {
    const config = readSlackConfig(deps.env);
    return SlackAdapter.start({ bot: deps.bot, config, log: deps.log, userGroups: slackUserGroupsOf(deps.access), audit: deps.audit, ackObserver: deps.ackObserver });
  },
  subcommands: { manifest: manifestCommand },
};

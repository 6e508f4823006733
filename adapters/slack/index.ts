import type { AdapterFactory } from '../../src/adapter.js';
import type { Env } from '../../src/config/env-readers.js';
import { isSlackConfigured, readSlackCommands, readSlackConfig } from './config.js';
import { slackManifest } from './manifest.js';
import { SlackAdapter } from './slack-adapter.js';

function userGroupsOf(access: Parameters<AdapterFactory['start']>[0]['access']): string[] {
  const groups = new Set<string>();
  for (const role of access.roles.values()) for (const g of role.members.slackUserGroups) groups.add(g);
  return [...groups];
}

export const slackAdapterFactory: AdapterFactory = {
  name: 'slack',
  isConfigured: isSlackConfigured,
  checkConfig(env: Env): string[] {
    const c = readSlackConfig(env);
    const lines = [
      `${c.mode === 'socket' ? 'Socket Mode (outbound only)' : `HTTP mode on port ${c.port}, path /slack/events`}; Web API ${c.apiUrl}`,
      `commands ${Object.values(c.commands).join(' ')}; results ${c.resultsInChannel ? 'in the channel' : 'only to the caller'}`,
    ];
    if (c.auditChannel) lines.push(`audit channel ${c.auditChannel}`);
    return lines;
  },
  async start(deps) {
    const config = readSlackConfig(deps.env);
    return SlackAdapter.start({ bot: deps.bot, config, log: deps.log, userGroups: userGroupsOf(deps.access), audit: deps.audit });
  },
  subcommands: {
    manifest: {
      description: 'print a Slack app manifest ([--request-url URL] for HTTP mode)',
      async run(env, args, out) {
        const i = args.indexOf('--request-url');
        const url = i >= 0 ? args[i + 1] : undefined;
        if (i >= 0 && (!url || !/^https:\/\//.test(url))) {
          process.stderr.write('rwinsta-bot slack manifest: --request-url needs an https:// URL ending in /slack/events\n');
          return 2;
        }
        out.write(`${JSON.stringify(slackManifest(readSlackCommands(env), url), null, 2)}\n`);
        return 0;
      },
    },
  },
};

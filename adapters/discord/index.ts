import type { AdapterFactory } from '../shared/adapter.js';
import type { Env } from '../../src/config/env-readers.js';
import { isDiscordConfigured, readDiscordConfig } from './config.js';
import { DiscordAdapter } from './discord-adapter.js';
import { inviteUrl, registerCommands } from './register.js';

export const discordAdapterFactory: AdapterFactory = {
  name: 'discord',
  isConfigured: isDiscordConfigured,
  checkConfig(env: Env): string[] {
    const c = readDiscordConfig(env);
    const lines = [`gateway (outbound only); REST ${c.apiUrl}; results ${c.resultsInChannel ? 'in the channel' : 'only to the caller'}; DMs ${c.allowDms ? 'allowed' : 'refused'}`];
    if (c.applicationId) lines.push(`invite URL ${inviteUrl(c.applicationId)}`);
    if (c.auditChannel) lines.push(`audit channel ${c.auditChannel}`);
    lines.push(`approval requests in ${c.approvalChannel ?? 'the channel they are made in'}`);
    return lines;
  },
  async start(deps) {
    return DiscordAdapter.start({ bot: deps.bot, config: readDiscordConfig(deps.env), log: deps.log, audit: deps.audit, ackObserver: deps.ackObserver });
  },
  subcommands: {
    register: {
      description: 'register the slash commands (in DISCORD_GUILD_ID if set, else globally)',
      async run(env, _args, out) {
        const r = await registerCommands(readDiscordConfig(env));
        out.write(`Registered ${r.names.map((n) => `/${n}`).join(' ')} (${r.scope}) for application ${r.applicationId}.\nInvite the bot with: ${inviteUrl(r.applicationId)}\n`);
        return 0;
      },
    },
  },
};

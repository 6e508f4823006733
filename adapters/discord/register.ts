import { REST, Routes } from 'discord.js';
import { discordCommands } from './commands.js';
import type { DiscordConfig } from './config.js';

/** View Channel + Send Messages: only the audit channel needs them; interactions need none. */
export const BOT_PERMISSIONS = 1024 + 2048;

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${BOT_PERMISSIONS}`;
}

export interface Registration {
  applicationId: string;
  scope: string;
  names: string[];
}

/** Registers (overwrites) the slash commands: in one guild (instant) or globally. */
export async function registerCommands(c: DiscordConfig): Promise<Registration> {
  const rest = new REST({ api: c.apiUrl }).setToken(c.token);
  const applicationId = c.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const route = c.guildId ? Routes.applicationGuildCommands(applicationId, c.guildId) : Routes.applicationCommands(applicationId);
  const body = discordCommands({ allowDms: c.allowDms, ...(c.defaultMemberPermissions !== undefined ? { defaultMemberPermissions: c.defaultMemberPermissions } : {}) });
  const saved = (await rest.put(route, { body })) as { name: string }[];
  return { applicationId, scope: c.guildId ? `guild ${c.guildId}` : 'global (may take up to an hour to appear)', names: saved.map((s) => s.name) };
}

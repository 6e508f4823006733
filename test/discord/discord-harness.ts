import { silentLogger } from '../../src/core/logger.js';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import { DiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { FULL_ACCESS, makeHarness, type Harness, type HarnessOptions } from '../support/core-harness.js';

export const ADMIN_ROLE = '111111111111111111';
export const HELPDESK_USER = '222222222222222222';
export const admin = { id: '333333333333333333', username: 'alice', roles: [ADMIN_ROLE] };
export const helpdesk = { id: HELPDESK_USER, username: 'bob', roles: [] };
export const stranger = { id: '444444444444444444', username: 'mallory', roles: [] };

export interface DiscordRig {
  emu: DiscordEmulator;
  adapter: DiscordAdapter;
  h: Harness;
  stop(): Promise<void>;
}

export function discordConfig(emu: DiscordEmulator, extra: Partial<DiscordConfig> = {}): DiscordConfig {
  return { token: emu.token, applicationId: emu.applicationId, guildId: emu.guildId, apiUrl: emu.apiUrl, allowDms: false, resultsInChannel: true, ...extra };
}

/** The real discord.js client against a fresh local Discord, ready (READY and GUILD_CREATE seen). */
export async function startDiscordRig(
  o: { config?: Partial<DiscordConfig>; harness?: HarnessOptions; heartbeatMs?: number; emulator?: (emu: DiscordEmulator) => void } = {},
): Promise<DiscordRig> {
  const emu = new DiscordEmulator();
  if (o.heartbeatMs) emu.heartbeatIntervalMs = o.heartbeatMs;
  emu.guildRoles.push(ADMIN_ROLE);
  o.emulator?.(emu);
  await emu.start();
  const h = makeHarness({ access: FULL_ACCESS, ...o.harness });
  const adapter = await DiscordAdapter.start({ bot: h.bot, config: discordConfig(emu, o.config), log: silentLogger, audit: h.mirror, autocompleteDeadlineMs: 500, readyTimeoutMs: 15_000 });
  return {
    emu,
    adapter,
    h,
    stop: async () => {
      await h.fleet.close();
      await adapter.stop();
      await emu.stop();
    },
  };
}

/** All the text of a message body as Discord shows it: content (markdown escapes removed) and embeds. */
export function bodyText(b: Record<string, unknown> | undefined): string {
  const embeds = (b?.embeds ?? []) as { description?: string }[];
  const shown = (s: string): string => s.replace(/\\([\\*_~`|>#()[\]-])/g, '$1');
  return [shown(String(b?.content ?? '')), ...embeds.map((e) => e.description ?? '')].join('\n');
}

export function customIds(b: Record<string, unknown> | undefined): string[] {
  const rows = (b?.components ?? []) as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((r) => (r.components ?? []).map((c) => c.custom_id ?? ''));
}

export const opt = {
  s: (name: string, value: string, focused = false) => ({ name, type: 3, value, ...(focused ? { focused } : {}) }),
  b: (name: string, value: boolean) => ({ name, type: 5, value }),
  i: (name: string, value: number) => ({ name, type: 4, value }),
};

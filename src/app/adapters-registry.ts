import { isDiscordConfigured } from '../../adapters/discord/config.js';
import type { AdapterFactory } from '../../adapters/shared/adapter.js';
import { isSlackConfigured } from '../../adapters/slack/config.js';
import type { Env } from '../config/env-readers.js';

/**
 * A chat adapter main can start when its tokens are set. Its code (Bolt, discord.js: over a second
 * of start-up together) is loaded only when it is used, so the console opens without it.
 */
export interface AdapterEntry {
  readonly name: string;
  /** The factory's own isConfigured, reachable without loading the adapter. */
  isConfigured(env: Env): boolean;
  load(): Promise<AdapterFactory>;
}

export const ADAPTERS: readonly AdapterEntry[] = [
  { name: 'slack', isConfigured: isSlackConfigured, load: async () => (await import('../../adapters/slack/index.js')).slackAdapterFactory },
  { name: 'discord', isConfigured: isDiscordConfigured, load: async () => (await import('../../adapters/discord/index.js')).discordAdapterFactory },
];

/** Every adapter's factory, loaded: for the usage text, check-config and the adapters' subcommands. */
export function loadAdapters(): Promise<AdapterFactory[]> {
  return Promise.all(ADAPTERS.map((a) => a.load()));
}

/** The factories of the adapters whose tokens are set; nothing is loaded when none is. */
export function loadConfiguredAdapters(env: Env): Promise<AdapterFactory[]> {
  return Promise.all(ADAPTERS.filter((a) => a.isConfigured(env)).map((a) => a.load()));
}

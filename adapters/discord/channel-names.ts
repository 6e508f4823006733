import { Routes, type REST } from 'discord.js';
import type { ChannelNames, Logger } from '../../src/core/index.js';
import { NameCache } from '../shared/name-cache.js';

/**
 * Discord channel names, for denials that say where a grant applies: fetched with the bot token
 * (REST, so a standby instance without the gateway can too), and cached.
 */
export class DiscordChannelNames implements ChannelNames {
  private readonly cache: NameCache;

  constructor(
    private readonly rest: REST,
    private readonly log: Logger,
    ttlMs?: number,
    now?: () => number,
  ) {
    this.cache = new NameCache(ttlMs, now);
  }

  nameOf(channelId: string): Promise<string | undefined> {
    return this.cache.get(channelId, async () => {
      try {
        const c = (await this.rest.get(Routes.channel(channelId))) as { name?: unknown };
        return typeof c.name === 'string' ? c.name : undefined;
      } catch (e) {
        this.log.info(`discord: channel ${channelId} could not be looked up (${e instanceof Error ? e.message : String(e)}); the denial shows its ID`);
        return undefined;
      }
    });
  }
}

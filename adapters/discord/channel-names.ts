import type { Client } from 'discord.js';
import type { ChannelNames, Logger } from '../../src/core/index.js';

interface Entry {
  name: string | undefined;
  expiresAt: number;
}

/**
 * Discord channel names, for denials that say where a grant applies: from the gateway's cache (the
 * Guilds intent brings every channel of the bot's servers), else fetched once and kept for `ttlMs`.
 */
export class DiscordChannelNames implements ChannelNames {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async nameOf(channelId: string): Promise<string | undefined> {
    const known = this.client.channels.cache.get(channelId);
    if (known && 'name' in known && typeof known.name === 'string') return known.name;
    const hit = this.cache.get(channelId);
    if (hit && hit.expiresAt > this.now()) return hit.name;
    let name: string | undefined;
    try {
      const c = await this.client.channels.fetch(channelId);
      name = c && 'name' in c && typeof c.name === 'string' ? c.name : undefined;
    } catch (e) {
      this.log.info(`discord: channel ${channelId} could not be looked up (${e instanceof Error ? e.message : String(e)}); the denial shows its ID`);
    }
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(channelId, { name, expiresAt: this.now() + (name ? this.ttlMs : 60_000) });
    return name;
  }
}

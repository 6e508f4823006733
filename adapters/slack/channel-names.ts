import type { ChannelNames, Logger } from '../../src/core/index.js';
import { describeError, platformError, type WebClient } from './web-client.js';

/** The scopes conversations.info needs for public and private channels; the manifest asks for them on request. */
export const CHANNEL_SCOPES = ['channels:read', 'groups:read'] as const;

interface Entry {
  name: string | undefined;
  expiresAt: number;
}

/**
 * Slack channel names from conversations.info, for denials that say where a grant applies. Names are
 * kept for `ttlMs`, a failed lookup for a minute (the denial then shows the channel ID); each kind of
 * failure is logged once, naming what to fix.
 */
export class SlackChannelNames implements ChannelNames {
  private readonly cache = new Map<string, Entry>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async nameOf(channelId: string): Promise<string | undefined> {
    const hit = this.cache.get(channelId);
    if (hit && hit.expiresAt > this.now()) return hit.name;
    let name: string | undefined;
    let keepMs = this.ttlMs;
    try {
      name = (await this.client.conversations.info({ channel: channelId })).channel?.name ?? undefined;
    } catch (e) {
      keepMs = 60_000;
      const code = platformError(e) ?? 'error';
      if (!this.reported.has(code)) {
        this.reported.add(code);
        const fix = code === 'missing_scope' ? `: the Slack app needs the ${CHANNEL_SCOPES.join(' and ')} scopes (rwinsta-bot slack manifest --channel-names), then a reinstall` : '';
        this.log.warn(`slack: conversations.info for ${channelId} failed (${describeError(e)})${fix}; denials show channel IDs instead of names`);
      }
    }
    if (this.cache.size >= 1000) this.cache.clear();
    this.cache.set(channelId, { name, expiresAt: this.now() + keepMs });
    return name;
  }
}

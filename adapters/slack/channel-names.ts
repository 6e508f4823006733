import type { ChannelNames, Logger } from '../../src/core/index.js';
import { NameCache } from '../shared/name-cache.js';
import { describeError, platformError, type WebClient } from './web-client.js';

/** The scopes conversations.info needs for public and private channels; the manifest asks for them on request. */
export const CHANNEL_SCOPES = ['channels:read', 'groups:read'] as const;

/**
 * Slack channel names from conversations.info, for denials that say where a grant applies (cached;
 * a failed lookup shows the channel ID). Each kind of failure is logged once, naming what to fix.
 */
export class SlackChannelNames implements ChannelNames {
  private readonly cache: NameCache;
  private readonly reported = new Set<string>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    ttlMs?: number,
    now?: () => number,
  ) {
    this.cache = new NameCache(ttlMs, now);
  }

  nameOf(channelId: string): Promise<string | undefined> {
    return this.cache.get(channelId, async () => {
      try {
        return (await this.client.conversations.info({ channel: channelId })).channel?.name ?? undefined;
      } catch (e) {
        const code = platformError(e) ?? 'error';
        if (!this.reported.has(code)) {
          this.reported.add(code);
          const fix = code === 'missing_scope' ? `: the Slack app needs the ${CHANNEL_SCOPES.join(' and ')} scopes (rwinsta-bot slack manifest --channel-names), then a reinstall` : '';
          this.log.warn(`slack: conversations.info for ${channelId} failed (${describeError(e)})${fix}; denials show channel IDs instead of names`);
        }
        return undefined;
      }
    });
  }
}

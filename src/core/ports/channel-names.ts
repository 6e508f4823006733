/**
 * A chat platform's channel names, so that a denial can say where a grant applies
 * (`use it in #helpdesk-rds`). Each chat adapter implements it for its platform, with a cache.
 */
export interface ChannelNames {
  /** The channel's name without `#`, or undefined when the platform does not say (unknown, no access). */
  nameOf(channelId: string): Promise<string | undefined>;
}

import { Routes, type REST } from 'discord.js';
import type { DiscordMessage } from './render.js';

/**
 * Where a confirmation prompt was shown: the reply to a command interaction, reachable by its
 * application ID and token alone (no gateway, no bot token), from any instance, for as long as the
 * token lives.
 */
export interface DiscordPromptRef {
  app: string;
  token: string;
  channel: string | null;
  /** When the interaction was created (its token lives 15 minutes from then). */
  at: number;
  /** Shown only to the requester: an expiry past the token's life is not posted for all to see. */
  ephemeral: boolean;
}

/** An interaction token's life, and the margin kept before it, so an edit is not sent to a token about to die. */
export const INTERACTION_TOKEN_MS = 15 * 60_000;
const MARGIN_MS = 30_000;

/**
 * Shows `m` on the prompt: edits the original reply through the interaction's webhook while its token
 * lives (PATCH /webhooks/{app}/{token}/messages/@original); after that, posts it as a new message
 * in the channel with the bot token, unless the prompt was private.
 */
export async function showOnPrompt(rest: REST, ref: DiscordPromptRef, m: DiscordMessage, now = Date.now()): Promise<'edited' | 'posted' | 'dropped'> {
  if (now - ref.at < INTERACTION_TOKEN_MS - MARGIN_MS) {
    await rest.patch(Routes.webhookMessage(ref.app, ref.token, '@original'), { body: { ...m, components: [] }, auth: false });
    return 'edited';
  }
  if (ref.ephemeral || !ref.channel) return 'dropped';
  await rest.post(Routes.channelMessages(ref.channel), { body: { content: m.content, embeds: m.embeds, allowed_mentions: { parse: [] } } });
  return 'posted';
}

import { discordAdapterFactory } from '../../adapters/discord/index.js';
import { slackAdapterFactory } from '../../adapters/slack/index.js';
import type { AdapterFactory } from '../../adapters/shared/adapter.js';

/** The chat adapters main can start; each starts only when its tokens are set. */
export const ADAPTERS: readonly AdapterFactory[] = [slackAdapterFactory, discordAdapterFactory];

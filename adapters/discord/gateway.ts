import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction } from 'discord.js';
import type { Logger } from '../../src/core/index.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { DiscordConfig } from './config.js';

/** Discord's gateway close code for a token it does not accept. */
export const AUTHENTICATION_FAILED = 4004;

const REISSUE = 'copy the bot token again (Developer Portal → your application → Bot → Reset Token)';

export function refusedToken(how: string): ConfigError {
  return new ConfigError('DISCORD_TOKEN', `Discord refused it (${how}); ${REISSUE}`);
}

export interface GatewayHooks {
  onInteraction(i: Interaction): void;
  /** discord.js lost the connection and is restoring it by itself. */
  onRecovering(why: string): void;
  onRecovered(): void;
  /** The connection ended and discord.js will not restore it. */
  onLost(why: string): void;
  /** Discord refused the token on a connection that had been up (close 4004). */
  onRefused(e: ConfigError): void;
}

function errorCode(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'code' in e ? e.code : undefined;
}

/**
 * Logs in to the gateway and resolves once READY, with the client. A failed attempt destroys its
 * client and rejects: ConfigError when Discord refused the token (REST 401, or close 4004), which is
 * not worth retrying; any other error (Discord unreachable, no READY in time) is.
 */
export async function openGateway(config: DiscordConfig, log: Logger, readyTimeoutMs: number, hooks: GatewayHooks): Promise<Client> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: config.apiUrl }, allowedMentions: { parse: [] } });
  let live = false;
  let closedWith: number | undefined;
  client.on(Events.InteractionCreate, (i) => hooks.onInteraction(i));
  client.on(Events.Error, (e) => log.error(`discord: ${e.message}`));
  client.on(Events.ShardReconnecting, () => {
    if (live) hooks.onRecovering('the gateway connection dropped; reconnecting');
  });
  client.on(Events.ShardResume, () => live && hooks.onRecovered());
  client.on(Events.ShardReady, () => live && hooks.onRecovered());
  client.on(Events.ShardDisconnect, (event) => {
    closedWith = event.code;
    if (!live) return;
    if (event.code === AUTHENTICATION_FAILED) hooks.onRefused(refusedToken(`gateway close ${AUTHENTICATION_FAILED}: authentication failed`));
    else hooks.onLost(`the gateway closed the connection with code ${event.code}`);
  });
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(readyTimeoutMs) });
  ready.catch(() => undefined);
  try {
    await client.login(config.token);
    await ready;
  } catch (e) {
    await client.destroy().catch(() => undefined);
    if (errorCode(e) === 'TokenInvalid') throw refusedToken(`401 Unauthorized at ${config.apiUrl}`);
    if (closedWith === AUTHENTICATION_FAILED) throw refusedToken(`gateway close ${AUTHENTICATION_FAILED}: authentication failed`);
    if (e instanceof Error && e.name === 'AbortError') throw new Error(`no READY from the gateway within ${Math.round(readyTimeoutMs / 1000)} s`);
    throw new Error(`${config.apiUrl}: ${e instanceof Error ? e.message : String(e)}`);
  }
  live = true;
  return client;
}

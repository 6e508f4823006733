import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERACTION_TOKEN_MS, showOnPrompt, type DiscordPromptRef } from '../../adapters/discord/prompt-ref.js';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { admin, opt } from './discord-harness.js';

describe('showing an expiry on a Discord prompt from any instance', () => {
  const emu = new DiscordEmulator();
  let rest: REST;
  beforeAll(async () => {
    await emu.start();
    rest = new REST({ api: emu.apiUrl }).setToken(emu.token);
  });
  afterAll(async () => emu.stop());

  const message = { content: 'Expired: log off session 3 on rds01 was not confirmed within 120 s; nothing was done.', embeds: [], components: [] };
  /** A command interaction as another instance saw it: only its application ID, token, channel and time are kept. */
  const refOf = (at: number, ephemeral = false): DiscordPromptRef => {
    const i = emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], admin);
    return { app: emu.applicationId, token: i.token, channel: emu.channelId, at, ephemeral };
  };

  it('while the interaction token lives: edits the original reply through its webhook, without the bot token, buttons removed', async () => {
    const ref = refOf(Date.now());
    expect(await showOnPrompt(rest, ref, { ...message, components: [{ type: 1, components: [] }] })).toBe('edited');
    const edit = emu.requests.at(-1);
    expect(edit).toMatchObject({ method: 'PATCH', path: `/webhooks/${emu.applicationId}/${ref.token}/messages/@original`, authorization: undefined });
    expect(emu.edits.get(ref.token)?.at(-1)).toMatchObject({ content: message.content, components: [] });
  });

  it('past the token\'s 15 minutes: a new message in the channel, with the bot token and no mentions; a private prompt gets none', async () => {
    const old = refOf(Date.now() - INTERACTION_TOKEN_MS);
    expect(await showOnPrompt(rest, old, message)).toBe('posted');
    expect(emu.channelMessages.at(-1)).toMatchObject({ channel: emu.channelId, body: { content: message.content, embeds: [], allowed_mentions: { parse: [] } } });
    expect(emu.requests.at(-1)?.authorization).toBe(`Bot ${emu.token}`);
    expect(emu.edits.get(old.token)).toBeUndefined();
    const posted = emu.channelMessages.length;
    expect(await showOnPrompt(rest, refOf(Date.now() - INTERACTION_TOKEN_MS, true), message)).toBe('dropped');
    expect(emu.channelMessages).toHaveLength(posted);
  });
});

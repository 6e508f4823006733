import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
} from 'discord.js';
import { specOf, type Bot, type Caller, type Logger, type Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import type { ChatAdapter } from '../shared/adapter.js';
import { auditLine, isChannelWorthy } from '../shared/audit-line.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard } from '../shared/replay-guard.js';
import { Autocomplete } from './autocomplete.js';
import { DISCORD_VERBS, commandText, type DiscordVerb } from './commands.js';
import type { DiscordConfig } from './config.js';
import { CANCEL_PREFIX, CONFIRM_PREFIX, renderDiscord, type DiscordMessage } from './render.js';

export interface DiscordAdapterDeps {
  bot: Bot;
  config: DiscordConfig;
  log: Logger;
  audit?: MirroredAudit;
  /** Autocomplete answers within this, whatever the servers do (Discord allows 3 s). */
  autocompleteDeadlineMs?: number;
  readyTimeoutMs?: number;
  ackObserver?: AckObserver;
}

const EPHEMERAL = MessageFlags.Ephemeral;

function isVerb(name: string): name is DiscordVerb {
  return (DISCORD_VERBS as readonly string[]).includes(name);
}

/**
 * Discord slash commands, autocomplete and buttons in, core replies out. Commands are deferred at
 * once and edited with the result; a private result replaces the placeholder with an ephemeral one.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly name = 'discord';
  /** The command whose reply holds each pending confirmation's buttons (editable for 15 min). */
  private readonly prompts: PromptRegistry<ChatInputCommandInteraction>;
  private readonly complete: Autocomplete;
  /** Interaction IDs already handled (their tokens live 15 minutes): a replayed dispatch never acts twice. */
  private readonly seen: ReplayGuard;
  private readonly stopExpiry: () => void;

  private constructor(
    readonly client: Client,
    private readonly d: DiscordAdapterDeps,
  ) {
    this.complete = new Autocomplete(d.bot, d.autocompleteDeadlineMs ?? 1500);
    this.seen = new ReplayGuard(d.bot.state, 'discord', 15 * 60_000);
    d.bot.useCommandNames('discord', Object.fromEntries(DISCORD_VERBS.map((v) => [v, `/${v}`])));
    this.prompts = new PromptRegistry(promptLifetimeMs(d.bot.settings.confirmTtlMs));
    client.on(Events.InteractionCreate, (i) => {
      this.onInteraction(i).catch((e: unknown) => d.log.error(`discord: ${e instanceof Error ? e.message : String(e)}`));
    });
    client.on(Events.Error, (e) => d.log.error(`discord: ${e.message}`));
    this.stopExpiry = d.bot.onConfirmationExpired((e) => {
      const prompt = this.prompts.take(e.id);
      const [first] = renderDiscord(e.reply, d.bot.settings.timeZone);
      if (prompt && first) prompt.editReply({ ...first, components: [] }).catch((err: unknown) => d.log.warn(`discord: could not mark a confirmation expired: ${String(err)}`));
    });
    if (d.config.auditChannel && d.audit) {
      const channel = d.config.auditChannel;
      d.audit.addMirror(async (r) => {
        if (isChannelWorthy(r)) await client.rest.post(Routes.channelMessages(channel), { body: { content: auditLine(r).slice(0, 2000), allowed_mentions: { parse: [] } } });
      });
    }
  }

  static async start(d: DiscordAdapterDeps): Promise<DiscordAdapter> {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: d.config.apiUrl }, allowedMentions: { parse: [] } });
    const adapter = new DiscordAdapter(client, d);
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(d.readyTimeoutMs ?? 60_000) });
    await client.login(d.config.token);
    await ready;
    return adapter;
  }

  async stop(): Promise<void> {
    this.stopExpiry();
    await this.client.destroy();
  }

  private caller(i: Interaction): Caller {
    const m = i.member;
    const roles = !m ? [] : Array.isArray(m.roles) ? m.roles : [...m.roles.cache.keys()];
    const c: Caller = { platform: 'discord', userId: i.user.id, userName: i.user.username, groups: roles };
    if (i.channelId) c.channel = i.channelId;
    return c;
  }

  private async onInteraction(i: Interaction): Promise<void> {
    const acked = ackTimer(this.d.ackObserver, 'discord');
    if (!(await this.seen.firstTime(i.id))) {
      this.d.log.warn(`discord: interaction ${i.id} delivered again; ignored`);
      return;
    }
    try {
      if (i.isAutocomplete()) return await this.autocomplete(i);
      if (i.isChatInputCommand()) return await this.command(i, acked);
      if (i.isButton()) return await this.button(i, acked);
    } catch (e) {
      await this.failed(i, e);
    }
  }

  /**
   * Every interaction that was deferred ends in a reply: an error after the defer replaces the
   * "thinking…" placeholder with what happened and a request ID to find it in the log.
   */
  private async failed(i: Interaction, e: unknown): Promise<void> {
    const id = randomBytes(6).toString('hex');
    const stale = staleRegistration(e);
    this.d.log.error(`discord: request ${id} (${i.isCommand() ? `/${i.commandName}` : i.type}) failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    if (!i.isRepliable()) return;
    const content = stale
      ? `The registered commands are out of date (${stale}); nothing was done. An administrator re-registers them with: npx rwinsta-bot discord register`
      : `Internal error (request ${id}); nothing further was done. The bot's log has the details.`;
    try {
      if (i.deferred || i.replied) await i.editReply({ content, embeds: [], components: [] });
      else await i.reply({ content, flags: EPHEMERAL });
    } catch (err) {
      this.d.log.error(`discord: request ${id}: the error could not be shown either (${err instanceof Error ? err.message : String(err)})`);
    }
  }

  private dmRefused(i: Interaction): boolean {
    return !i.inGuild() && !this.d.config.allowDms;
  }

  private async command(i: ChatInputCommandInteraction, acked: () => void): Promise<void> {
    if (this.dmRefused(i)) {
      await i.reply({ content: 'Commands from direct messages are refused here: use them in a server channel where the bot is.', flags: EPHEMERAL });
      return;
    }
    const privateOnly = !this.d.config.resultsInChannel;
    await i.deferReply(privateOnly ? { flags: EPHEMERAL } : {});
    acked();
    if (!isVerb(i.commandName)) {
      await i.editReply({ content: `Unknown command /${i.commandName}: re-register the commands (rwinsta-bot discord register).` });
      return;
    }
    const o = i.options;
    const built = commandText(i.commandName, { string: (n) => o.getString(n), boolean: (n) => o.getBoolean(n), integer: (n) => o.getInteger(n) });
    if (!built.ok) {
      await this.deliver(i, { content: `Error: ${built.message}.`, embeds: [], components: [] }, true);
      return;
    }
    const reply = await this.d.bot.handle({ caller: this.caller(i), verb: i.commandName, text: built.text });
    if (reply.confirmation) this.prompts.remember(reply.confirmation.id, i);
    const [first, ...rest] = renderDiscord(reply, this.d.bot.settings.timeZone);
    if (first) await this.deliver(i, first, reply.private);
    for (const m of rest) await i.followUp(reply.private || privateOnly ? { ...m, flags: EPHEMERAL } : m);
  }

  /** Edits the deferred reply; a private result replaces a public placeholder with an ephemeral message. */
  private async deliver(i: ChatInputCommandInteraction, m: DiscordMessage, isPrivate: boolean): Promise<void> {
    if (isPrivate && !i.ephemeral) {
      await i.deleteReply();
      await i.followUp({ ...m, flags: EPHEMERAL });
      return;
    }
    await i.editReply(m);
  }

  private async button(i: ButtonInteraction, acked: () => void): Promise<void> {
    const confirm = i.customId.startsWith(CONFIRM_PREFIX);
    if (!confirm && !i.customId.startsWith(CANCEL_PREFIX)) return;
    const id = i.customId.slice(confirm ? CONFIRM_PREFIX.length : CANCEL_PREFIX.length);
    await i.deferUpdate();
    acked();
    const caller = this.caller(i);
    const reply: Reply = confirm ? await this.d.bot.confirm(id, caller) : await this.d.bot.cancel(id, caller);
    const [first, ...rest] = renderDiscord(reply, this.d.bot.settings.timeZone);
    if (!first) return;
    if (reply.private) {
      // Someone else, or a second press: tell only them, leave the message and its buttons alone.
      await i.followUp({ ...first, flags: EPHEMERAL });
      return;
    }
    this.prompts.take(id);
    await i.editReply({ ...first, components: [] });
    for (const m of rest) await i.followUp(m);
  }

  private async autocomplete(i: AutocompleteInteraction): Promise<void> {
    if (this.dmRefused(i) || !isVerb(i.commandName)) {
      await i.respond([]);
      return;
    }
    const focused = i.options.getFocused(true);
    const caller = this.caller(i);
    const choices =
      focused.name === 'server'
        ? this.complete.servers(caller, specOf(i.commandName).action, String(focused.value))
        : await this.complete.sessions(caller, i.options.getString('server'), String(focused.value));
    await i.respond(choices);
  }
}

/**
 * discord.js refuses an option that arrived with another type than it asks for: a command
 * registered by an older version (e.g. /msg's `time` sent as a string). Says which, or undefined.
 */
function staleRegistration(e: unknown): string | undefined {
  if (!(e instanceof Error) || !('code' in e) || e.code !== 'CommandInteractionOptionType') return undefined;
  const m = /Option "([^"]+)" is of type: (\d+); expected (\d+)/.exec(e.message);
  if (!m) return `an option arrived with another type than this version expects: ${e.message}`;
  const names: Record<string, string> = { '3': 'text', '4': 'a whole number', '5': 'true/false', '10': 'a number' };
  return `option "${m[1]}" arrived as ${names[m[2] ?? ''] ?? `type ${m[2]}`}, this version expects ${names[m[3] ?? ''] ?? `type ${m[3]}`}`;
}

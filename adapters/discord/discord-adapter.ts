import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  Client,
  ComponentType,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  TextInputStyle,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { MAX_REJECTION_NOTE, specOf, type ApprovalRequest, type Bot, type Caller, type Logger, type Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import type { ChatAdapter } from '../shared/adapter.js';
import { auditLine, isChannelWorthy, type LineStyle } from '../shared/audit-line.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard } from '../shared/replay-guard.js';
import { Autocomplete } from './autocomplete.js';
import { DISCORD_VERBS, commandText, type DiscordVerb } from './commands.js';
import { DiscordChannelNames } from './channel-names.js';
import type { DiscordConfig } from './config.js';
import { APPROVE_PREFIX, CANCEL_PREFIX, CONFIRM_PREFIX, discordPerson, discordTime, REJECT_PREFIX, renderDiscord, type DiscordMessage } from './render.js';

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
/** Nobody is pinged by what the bot posts, mentions of the people who took part included. */
const NO_PINGS = { parse: [] as [] };
const REJECT_NOTE_PREFIX = 'rwinsta:rejectnote:';
const NOTE_FIELD = 'note';

/** Text is posted as typed (allowed_mentions stops any ping); people are mentions. */
const DISCORD_LINE: LineStyle = { text: (s) => s, person: discordPerson, time: discordTime };

/**
 * Where an approval request was posted: a channel message the bot can edit at any time, or (where it
 * may not post) the interaction's own reply, editable for the token's 15 minutes.
 */
type RequestWhere = { kind: 'message'; channel: string; id: string } | { kind: 'interaction'; i: ChatInputCommandInteraction | ButtonInteraction };

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
  private readonly requests: PromptRegistry<RequestWhere>;
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
    this.requests = new PromptRegistry(promptLifetimeMs(d.bot.settings.approvalTtlMs));
    client.on(Events.InteractionCreate, (i) => {
      this.onInteraction(i).catch((e: unknown) => d.log.error(`discord: ${e instanceof Error ? e.message : String(e)}`));
    });
    client.on(Events.Error, (e) => d.log.error(`discord: ${e.message}`));
    const stops = [
      d.bot.onConfirmationExpired((e) => {
        const prompt = this.prompts.take(e.id);
        const [first] = renderDiscord(e.reply, d.bot.settings.timeZone);
        if (prompt && first) prompt.editReply({ ...first, components: [] }).catch((err: unknown) => d.log.warn(`discord: could not mark a confirmation expired: ${String(err)}`));
      }),
      d.bot.onApprovalExpired((e) => {
        const where = this.requests.take(e.id);
        const [first] = renderDiscord(e.reply, d.bot.settings.timeZone);
        if (where && first) this.editRequest(where, first).catch((err: unknown) => d.log.warn(`discord: could not mark approval request ${e.id} expired: ${String(err)}`));
      }),
      d.bot.useChannelNames('discord', new DiscordChannelNames(client, d.log)),
    ];
    this.stopExpiry = () => stops.forEach((stop) => stop());
    if (d.config.auditChannel && d.audit) {
      const channel = d.config.auditChannel;
      d.audit.addMirror(async (r) => {
        if (isChannelWorthy(r)) await client.rest.post(Routes.channelMessages(channel), { body: { content: auditLine(r, DISCORD_LINE).slice(0, 2000), allowed_mentions: NO_PINGS } });
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
      if (i.isModalSubmit()) return await this.modal(i);
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
    if (reply.approvalRequest && !(await this.seekApproval(reply.approvalRequest, i))) return;
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
    const prefix = [CONFIRM_PREFIX, CANCEL_PREFIX, APPROVE_PREFIX, REJECT_PREFIX].find((p) => i.customId.startsWith(p));
    if (!prefix) return;
    const id = i.customId.slice(prefix.length);
    // Reject asks for a reply to the requester first: a modal must be the press's first answer.
    if (prefix === REJECT_PREFIX) {
      await this.askRejectNote(i, id);
      acked();
      return;
    }
    await i.deferUpdate();
    acked();
    const caller = this.caller(i);
    let reply: Reply;
    if (prefix === CONFIRM_PREFIX) reply = await this.d.bot.confirm(id, caller);
    else if (prefix === CANCEL_PREFIX) reply = await this.d.bot.cancel(id, caller);
    else reply = await this.d.bot.approve(id, caller);
    const [first, ...rest] = renderDiscord(reply, this.d.bot.settings.timeZone);
    if (!first) return;
    if (reply.private) {
      // Someone else, or a second press: tell only them, leave the message and its buttons alone.
      await i.followUp({ ...first, flags: EPHEMERAL });
      return;
    }
    if (prefix === APPROVE_PREFIX) {
      // Still waiting for more approvals: the request stays, with its buttons and who approved so far.
      if (!reply.approval) this.requests.take(id);
      await i.editReply(first);
    } else {
      this.prompts.take(id);
      if (reply.approvalRequest && !(await this.seekApproval(reply.approvalRequest, i))) return;
      await i.editReply({ ...first, components: [] });
    }
    for (const m of rest) await i.followUp(m);
  }

  private async askRejectNote(i: ButtonInteraction, id: string): Promise<void> {
    await i.showModal({
      custom_id: `${REJECT_NOTE_PREFIX}${id}`,
      title: 'Reject request',
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.TextInput, custom_id: NOTE_FIELD, label: 'Reply to the requester (optional)', style: TextInputStyle.Paragraph, required: false, max_length: MAX_REJECTION_NOTE }],
        },
      ],
    });
  }

  /** The Reject modal was submitted: the request message it came from is updated (or the rejecter alone is told). */
  private async modal(i: ModalSubmitInteraction): Promise<void> {
    if (!i.customId.startsWith(REJECT_NOTE_PREFIX)) return;
    const id = i.customId.slice(REJECT_NOTE_PREFIX.length);
    const fromMessage = i.isFromMessage();
    if (fromMessage) await i.deferUpdate();
    else await i.deferReply({ flags: EPHEMERAL });
    const note = i.fields.fields.has(NOTE_FIELD) ? i.fields.getTextInputValue(NOTE_FIELD) : '';
    const reply = await this.d.bot.reject(id, this.caller(i), note || undefined);
    const [first] = renderDiscord(reply, this.d.bot.settings.timeZone);
    if (!first) return;
    if (reply.private || !fromMessage) {
      await i.followUp({ ...first, flags: EPHEMERAL });
      return;
    }
    this.requests.take(id);
    await i.editReply({ ...first, components: [] });
  }

  /**
   * The action now waits for approvers: the request goes to the approval channel (or the channel it
   * was asked in) as a message of the bot's own, which it can edit when the request expires, long
   * after the interaction's 15 minutes. False when the request became the interaction's own reply
   * instead (the bot may not post there): the caller then has nothing more to send.
   */
  private async seekApproval(req: ApprovalRequest, i: ChatInputCommandInteraction | ButtonInteraction): Promise<boolean> {
    const [first] = renderDiscord(req.request, this.d.bot.settings.timeZone);
    if (!first) return true;
    const targets = [...new Set([this.d.config.approvalChannel, i.channelId ?? undefined])].filter((t): t is string => t !== undefined);
    for (const channel of targets) {
      try {
        const posted = (await this.client.rest.post(Routes.channelMessages(channel), { body: { ...first, allowed_mentions: NO_PINGS } })) as { id: string };
        this.requests.remember(req.id, { kind: 'message', channel, id: posted.id });
        return true;
      } catch (e) {
        this.d.log.info(`discord: could not post the approval request in channel ${channel} (${e instanceof Error ? e.message : String(e)}); give the bot View Channel and Send Messages there`);
      }
    }
    await i.editReply(first);
    this.requests.remember(req.id, { kind: 'interaction', i });
    return false;
  }

  private async editRequest(where: RequestWhere, m: DiscordMessage): Promise<void> {
    if (where.kind === 'message') {
      await this.client.rest.patch(Routes.channelMessage(where.channel, where.id), { body: { ...m, components: [], allowed_mentions: NO_PINGS } });
      return;
    }
    await where.i.editReply({ ...m, components: [] });
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

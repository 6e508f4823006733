import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ComponentType,
  MessageFlags,
  REST,
  Routes,
  TextInputStyle,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type Interaction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { MAX_REJECTION_NOTE, specOf, type ApprovalRequest, type Bot, type Caller, type ExpiredApproval, type ExpiredConfirmation, type Logger, type Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import { Coalescer } from '../shared/coalescer.js';
import type { AdapterStatus, ChatAdapter } from '../shared/adapter.js';
import { auditLine, isChannelWorthy, type LineStyle } from '../shared/audit-line.js';
import { ConnectionKeeper, type Backoff } from '../shared/connection-keeper.js';
import { InFlight } from '../shared/in-flight.js';
import type { Leadership } from '../shared/leadership.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard, type DeliveryCheck } from '../shared/replay-guard.js';
import { refuseUnchecked, uncheckedMayProceed } from '../shared/unchecked-delivery.js';
import { Autocomplete } from './autocomplete.js';
import { DiscordChannelNames } from './channel-names.js';
import { DISCORD_VERBS, commandText, type DiscordVerb } from './commands.js';
import type { DiscordConfig } from './config.js';
import { openGateway } from './gateway.js';
import { showOnPrompt, type DiscordPromptRef } from './prompt-ref.js';
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
  /** With several instances: the gateway is connected only while this instance holds the lease. */
  leadership?: Leadership;
  /** Told when the adapter gives up for good (a token Discord refuses), with the sentence naming the variable. */
  onGaveUp?: (why: string) => void;
  backoff?: Backoff;
}

const EPHEMERAL = MessageFlags.Ephemeral;
/** Nobody is pinged by what the bot posts, mentions of the people who took part included. */
const NO_PINGS = { parse: [] as [] };
const REJECT_NOTE_PREFIX = 'rwinsta:rejectnote:';
const NOTE_FIELD = 'note';

/** Text is posted as typed (allowed_mentions stops any ping); people are mentions. */
const DISCORD_LINE: LineStyle = { text: (s) => s, person: discordPerson, time: discordTime };

/**
 * Where an approval request was posted: a channel message the bot can edit at any time, from any
 * instance; or (where it may not post) the interaction's own reply, editable while its token lives.
 */
type RequestWhere = { kind: 'message'; channel: string; id: string } | { kind: 'interaction'; ref: DiscordPromptRef };

function isVerb(name: string): name is DiscordVerb {
  return (DISCORD_VERBS as readonly string[]).includes(name);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Discord slash commands, autocomplete and buttons in, core replies out. Commands are deferred at
 * once and edited with the result; a private result replaces the placeholder with an ephemeral one.
 *
 * The gateway is kept by a ConnectionKeeper (Discord unreachable: tried again with backoff; a token
 * Discord refuses: stopped, naming DISCORD_TOKEN). With several instances it is connected only while
 * this instance holds the lease (Leadership): Discord would send every interaction to every
 * connection. What needs no gateway works on every instance: the audit channel, and the expiry of a
 * prompt, edited through its interaction's webhook whichever instance posted it.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly name = 'discord';
  private gateway: Client | undefined;
  /** The connection attempt whose client's events are handled. */
  private attempt: symbol | undefined;
  /** REST with the bot token, independent of the gateway. */
  private readonly rest: REST;
  /** Where each pending confirmation's buttons are (the command's reply, editable for 15 min). */
  private readonly prompts: PromptRegistry<DiscordPromptRef>;
  private readonly requests: PromptRegistry<RequestWhere>;
  private readonly complete: Autocomplete;
  /** Interaction IDs already handled (their tokens live 15 minutes): a replayed dispatch never acts twice. */
  private readonly seen: ReplayGuard;
  private readonly stopExpiry: () => void;
  private readonly keeper: ConnectionKeeper;
  private readonly work = new InFlight();
  private draining = false;
  private stopped = false;

  private constructor(private readonly d: DiscordAdapterDeps) {
    this.rest = new REST({ api: d.config.apiUrl }).setToken(d.config.token);
    this.complete = new Autocomplete(d.bot, d.autocompleteDeadlineMs ?? 1500);
    this.seen = new ReplayGuard(d.bot.state, 'discord', 15 * 60_000);
    d.bot.useCommandNames('discord', Object.fromEntries(DISCORD_VERBS.map((v) => [v, `/${v}`])));
    this.prompts = new PromptRegistry(d.bot.state, 'prompt:discord', promptLifetimeMs(d.bot.settings.confirmTtlMs), d.log);
    this.requests = new PromptRegistry(d.bot.state, 'request:discord', promptLifetimeMs(d.bot.settings.approvalTtlMs), d.log);
    this.keeper = new ConnectionKeeper({
      tag: 'discord',
      platform: 'Discord',
      log: d.log,
      connect: () => this.connect(),
      // A holder that gave up frees the lease: a standby tries its own token (if it is the same, it stops too).
      onGaveUp: (why) => {
        void d.leadership?.release();
        d.onGaveUp?.(why);
      },
      backoff: d.backoff,
    });
    const stops = [
      d.bot.onConfirmationExpired((e) => void this.onExpired(e)),
      d.bot.onApprovalExpired((e) => void this.onApprovalExpired(e)),
      d.bot.useChannelNames('discord', new DiscordChannelNames(this.rest, d.log)),
    ];
    this.stopExpiry = () => stops.forEach((stop) => stop());
    if (d.config.auditChannel && d.audit) {
      const channel = d.config.auditChannel;
      d.audit.addMirror(async (r) => {
        if (!this.stopped && isChannelWorthy(r)) await this.rest.post(Routes.channelMessages(channel), { body: { content: auditLine(r, DISCORD_LINE).slice(0, 2000), allowed_mentions: NO_PINGS } });
      });
    }
  }

  /** The adapter, connecting in the background (when it holds the lease, if there is one). */
  static create(d: DiscordAdapterDeps): DiscordAdapter {
    const adapter = new DiscordAdapter(d);
    if (d.leadership) d.leadership.start((leading) => (leading ? adapter.keeper.start() : void adapter.standBy()));
    else adapter.keeper.start();
    return adapter;
  }

  /** Connects once (no lease) and resolves when READY; rejects as that attempt did. */
  static async start(d: DiscordAdapterDeps): Promise<DiscordAdapter> {
    const adapter = new DiscordAdapter({ ...d, leadership: undefined });
    try {
      await adapter.keeper.connectNow();
    } catch (e) {
      await adapter.stop();
      throw e;
    }
    return adapter;
  }

  get busy(): number {
    return this.work.count;
  }

  status(): AdapterStatus {
    const l = this.d.leadership;
    if (l && !l.leading && !this.draining && !this.keeper.gaveUp) return { ready: true, detail: l.describe() };
    const s = this.keeper.status();
    return l && s.ready ? { ready: true, detail: l.describe() } : s;
  }

  idle(): Promise<void> {
    return this.work.idle();
  }

  /** No new interactions: the gateway closes, then the lease is freed so a standby takes over. */
  async quiesce(): Promise<void> {
    this.draining = true;
    this.keeper.close('stopping: no new work is taken');
    await this.dropGateway();
    await this.d.leadership?.release();
  }

  async stop(): Promise<void> {
    this.draining = true;
    this.stopped = true;
    this.keeper.close('stopped');
    this.stopExpiry();
    await this.dropGateway();
    await this.d.leadership?.release();
  }

  /** Another instance holds the lease now: this one lets go of the gateway. */
  private async standBy(): Promise<void> {
    this.keeper.close(this.d.leadership?.describe() ?? 'standby');
    await this.dropGateway();
  }

  private async dropGateway(): Promise<void> {
    const client = this.gateway;
    this.gateway = undefined;
    this.attempt = undefined;
    await client?.destroy().catch((e: unknown) => this.d.log.warn(`discord: ${message(e)}`));
  }

  private async connect(): Promise<void> {
    await this.dropGateway();
    // Events are taken from this attempt's client only, from its very first interaction on.
    const mine = Symbol('gateway attempt');
    this.attempt = mine;
    const current = (): boolean => this.attempt === mine;
    const client = await openGateway(this.d.config, this.d.log, this.d.readyTimeoutMs ?? 60_000, {
      onInteraction: (i) => {
        if (current()) this.onInteraction(i).catch((e: unknown) => this.d.log.error(`discord: ${message(e)}`));
      },
      onRecovering: (why) => current() && this.keeper.recovering(why),
      onRecovered: () => current() && this.keeper.recovered(),
      onLost: (why) => current() && this.keeper.lost(why),
      onRefused: (e) => {
        if (!current()) return;
        this.keeper.giveUp(e);
        void this.dropGateway();
      },
    });
    const l = this.d.leadership;
    if (!current() || this.stopped || this.draining || (l && !l.leading)) {
      await client.destroy();
      return;
    }
    this.gateway = client;
    this.d.log.info(`discord: connected to the gateway as ${client.user?.tag ?? 'the bot'}${l ? ` (${l.describe()})` : ''}`);
  }

  /** Runs on the instance whose sweep claimed the confirmation, wherever its prompt was posted. */
  private async onExpired(e: ExpiredConfirmation): Promise<void> {
    if (this.stopped) return;
    const ref = await this.prompts.take(e.id);
    const [first] = renderDiscord(e.reply, this.d.bot.settings.timeZone);
    if (!ref || !first) return;
    try {
      await showOnPrompt(this.rest, ref, first);
    } catch (err) {
      this.d.log.warn(`discord: could not mark confirmation ${e.id} expired on its prompt (${message(err)})`);
    }
  }

  /** Runs on the instance whose sweep claimed the expired request, wherever it was posted. */
  private async onApprovalExpired(e: ExpiredApproval): Promise<void> {
    if (this.stopped) return;
    const where = await this.requests.take(e.id);
    const [first] = renderDiscord(e.reply, this.d.bot.settings.timeZone);
    if (!where || !first) return;
    try {
      await this.editRequest(where, first);
    } catch (err) {
      this.d.log.warn(`discord: could not mark approval request ${e.id} expired (${message(err)})`);
    }
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
    const holdBack = this.d.leadership?.holdBackMs() ?? 0;
    if (holdBack > 0) await sleep(holdBack);
    // The gateway is closing: another instance, or this one restarted, takes the next interactions.
    if (this.draining) return;
    await this.work.track(async () => {
      const check = await this.seen.check(i.id);
      if (check.kind === 'repeat') {
        this.d.log.warn(`discord: interaction ${i.id} delivered again; ignored`);
        return;
      }
      try {
        if (i.isAutocomplete()) return await this.autocomplete(i);
        if (i.isChatInputCommand()) return await this.command(i, acked, check);
        // A press the store cannot check goes on: its claim needs the store, so the core refuses it meanwhile.
        if (i.isButton()) return await this.button(i, acked);
        if (i.isModalSubmit()) return await this.modal(i);
      } catch (e) {
        await this.failed(i, e);
      }
    });
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

  private async command(i: ChatInputCommandInteraction, acked: () => void, check: DeliveryCheck): Promise<void> {
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
    const caller = this.caller(i);
    const reply =
      check.kind === 'unchecked' && !uncheckedMayProceed('command', i.commandName)
        ? await refuseUnchecked({ bot: this.d.bot, audit: this.d.audit, log: this.d.log, caller, command: `/${i.commandName} ${built.text}`.trim(), error: check.error })
        : await this.searchShown(i, { caller, verb: i.commandName, text: built.text });
    if (reply.confirmation) await this.prompts.remember(reply.confirmation.id, this.refOf(i, privateOnly));
    if (reply.approvalRequest && !(await this.seekApproval(reply.approvalRequest, i))) return;
    const [first, ...rest] = renderDiscord(reply, this.d.bot.settings.timeZone);
    if (first) await this.deliver(i, first, reply.private);
    for (const m of rest) await i.followUp(reply.private || privateOnly ? { ...m, flags: EPHEMERAL } : m);
  }

  /** A search edits the placeholder with what it has found as servers answer, at most once a second. */
  private async searchShown(i: ChatInputCommandInteraction, req: { caller: Caller; verb: string; text: string }): Promise<Reply> {
    const live = new Coalescer<Reply>(
      async (partial) => {
        const [shown] = renderDiscord(partial, this.d.bot.settings.timeZone);
        if (shown) await i.editReply(shown);
      },
      (e) => this.d.log.info(`discord: a search's progress could not be shown (${message(e)})`),
    );
    const reply = await this.d.bot.handle({ ...req, onProgress: (r) => live.push(r) });
    await live.close();
    return reply;
  }

  /** Where an interaction's reply is, as data any instance can use (its webhook token lives 15 minutes). */
  private refOf(i: ChatInputCommandInteraction | ButtonInteraction, ephemeral: boolean): DiscordPromptRef {
    return { app: i.applicationId, token: i.token, channel: i.channelId, at: i.createdTimestamp, ephemeral };
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
      if (!reply.approval) void this.requests.take(id);
      await i.editReply(first);
    } else {
      void this.prompts.take(id);
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
    void this.requests.take(id);
    await i.editReply({ ...first, components: [] });
  }

  /**
   * The action now waits for approvers: the request goes to the approval channel (or the channel it
   * was asked in) as a message of the bot's own, which any instance can edit when the request
   * expires, long after the interaction's 15 minutes. False when the request became the
   * interaction's own reply instead (the bot may not post there): the caller then has nothing more to send.
   */
  private async seekApproval(req: ApprovalRequest, i: ChatInputCommandInteraction | ButtonInteraction): Promise<boolean> {
    const [first] = renderDiscord(req.request, this.d.bot.settings.timeZone);
    if (!first) return true;
    const targets = [...new Set([this.d.config.approvalChannel, i.channelId ?? undefined])].filter((t): t is string => t !== undefined);
    for (const channel of targets) {
      try {
        const posted = (await this.rest.post(Routes.channelMessages(channel), { body: { ...first, allowed_mentions: NO_PINGS } })) as { id: string };
        await this.requests.remember(req.id, { kind: 'message', channel, id: posted.id });
        return true;
      } catch (e) {
        this.d.log.info(`discord: could not post the approval request in channel ${channel} (${message(e)}); give the bot View Channel and Send Messages there`);
      }
    }
    await i.editReply(first);
    await this.requests.remember(req.id, { kind: 'interaction', ref: this.refOf(i, false) });
    return false;
  }

  private async editRequest(where: RequestWhere, m: DiscordMessage): Promise<void> {
    if (where.kind === 'message') {
      await this.rest.patch(Routes.channelMessage(where.channel, where.id), { body: { ...m, components: [], allowed_mentions: NO_PINGS } });
      return;
    }
    await showOnPrompt(this.rest, where.ref, m);
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

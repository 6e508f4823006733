import type { App, RespondFn, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ApprovalRequest, Bot, Caller, ExpiredApproval, ExpiredConfirmation, Logger, Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import type { AdapterStatus, ChatAdapter } from '../shared/adapter.js';
import { ConnectionKeeper, type Backoff } from '../shared/connection-keeper.js';
import { InFlight } from '../shared/in-flight.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard, type DeliveryCheck } from '../shared/replay-guard.js';
import { refuseUnchecked, uncheckedMayProceed } from '../shared/unchecked-delivery.js';
import { mirrorAuditToChannel } from './audit-channel.js';
import { APPROVE_ACTION, CANCEL_ACTION, CONFIRM_ACTION, REJECT_ACTION, renderSlack } from './blocks.js';
import { SlackChannelNames } from './channel-names.js';
import type { SlackConfig, SlackVerb } from './config.js';
import { Delivery, type Visibility } from './delivery.js';
import { SlackEmailLookup } from './email-lookup.js';
import { SlackLiveReply } from './live-reply.js';
import { payloadProblem } from './payload-check.js';
import type { PromptLocation } from './prompts.js';
import { openSlackConnection, type SlackConnection } from './slack-connection.js';
import { readRejectView, rejectView, REJECT_VIEW } from './reject-modal.js';
import { commandText, unescapeEntities } from './slack-text.js';
import { UserGroupDirectory } from './user-groups.js';
import { createWebClient, describeError, identify, type BotIdentity, type WebClient } from './web-client.js';

export { HTTP_PATH } from './slack-connection.js';

export interface SlackAdapterDeps {
  bot: Bot;
  config: SlackConfig;
  log: Logger;
  /** Slack user-group IDs the access file names: the only groups looked up. */
  userGroups: readonly string[];
  audit?: MirroredAudit;
  ackObserver?: AckObserver;
  /** Told when the adapter gives up for good (a token Slack refuses), with the sentence naming the variable. */
  onGaveUp?: (why: string) => void;
  backoff?: Backoff;
}

const STOPPING = 'rwinsta-bot is stopping on this host, so nothing was done: run the command again in a moment.';

/**
 * Slack slash commands and buttons in, core replies out. Every command and button is acknowledged
 * first, before anything can be slow (a user-group lookup, a hung server); the reply follows on
 * its response_url. A confirmation prompt is posted as the bot where it can be, so that chat.update
 * can show its expiry however late that comes, from whichever instance sweeps it.
 *
 * Every instance connects: Slack gives each Socket Mode payload to one of the app's connections (or
 * the load balancer each HTTP request to one instance), and the state store makes a press work on
 * any instance, once. The connection is kept by a ConnectionKeeper: Slack unreachable at start or
 * later is tried again with backoff; a token Slack refuses stops the adapter, naming the variable.
 */
export class SlackAdapter implements ChatAdapter {
  readonly name = 'slack';
  private readonly verbs: ReadonlyMap<string, SlackVerb>;
  private readonly prompts: PromptRegistry<PromptLocation>;
  /** Where each pending approval request was posted, so that its expiry can be shown on it (from any instance). */
  private readonly requests: PromptRegistry<PromptLocation>;
  /** Self-service asks who a person is by their email: looked up only when a resolver needs it. */
  private readonly emails: SlackEmailLookup;
  private readonly api: WebClient;
  private readonly delivery: Delivery;
  private readonly groups: UserGroupDirectory;
  private readonly keeper: ConnectionKeeper;
  private readonly work = new InFlight();
  private connection: SlackConnection | undefined;
  private me: BotIdentity | undefined;
  private draining = false;
  private stopped = false;
  /**
   * Trigger IDs already handled. A Socket Mode envelope can arrive again, and a signed HTTP request
   * can be replayed while its timestamp is within Slack's five minutes: neither may act twice.
   */
  private readonly seen: ReplayGuard;
  private readonly stopExpiry: () => void;

  private constructor(private readonly d: SlackAdapterDeps) {
    const c = d.config;
    this.api = createWebClient(c.botToken, c.apiUrl, d.log);
    this.delivery = new Delivery(this.api);
    this.groups = new UserGroupDirectory(this.api, d.userGroups, c.userGroupCacheMs, d.log);
    this.verbs = new Map((Object.entries(c.commands) as [SlackVerb, string][]).map(([verb, name]) => [name, verb]));
    this.prompts = new PromptRegistry(d.bot.state, 'prompt:slack', promptLifetimeMs(d.bot.settings.confirmTtlMs), d.log);
    this.requests = new PromptRegistry(d.bot.state, 'request:slack', promptLifetimeMs(d.bot.settings.approvalTtlMs), d.log);
    this.emails = new SlackEmailLookup(this.api, c.userGroupCacheMs, d.log);
    this.seen = new ReplayGuard(d.bot.state, 'slack', 10 * 60_000);
    d.bot.useCommandNames('slack', c.commands);
    this.keeper = new ConnectionKeeper({
      tag: 'slack',
      platform: 'Slack',
      log: d.log,
      connect: () => this.connect(),
      onGaveUp: d.onGaveUp,
      backoff: d.backoff,
    });
    if (c.auditChannel && d.audit) mirrorAuditToChannel(d.audit, this.api, c.auditChannel, () => !this.stopped);
    const stops = [
      d.bot.onConfirmationExpired((e) => void this.onExpired(e)),
      d.bot.onApprovalExpired((e) => void this.onApprovalExpired(e)),
      d.bot.useChannelNames('slack', new SlackChannelNames(this.api, d.log)),
    ];
    this.stopExpiry = () => stops.forEach((stop) => stop());
  }

  /** The adapter, connecting in the background until it is connected or Slack refuses a token. */
  static create(d: SlackAdapterDeps): SlackAdapter {
    const adapter = new SlackAdapter(d);
    adapter.keeper.start();
    return adapter;
  }

  /** Connects once and resolves when connected; rejects as that attempt did (a ConfigError names the setting). */
  static async start(d: SlackAdapterDeps): Promise<SlackAdapter> {
    const adapter = new SlackAdapter(d);
    try {
      await adapter.keeper.connectNow();
    } catch (e) {
      await adapter.stop();
      throw e;
    }
    return adapter;
  }

  /** HTTP mode: the port actually listened on (SLACK_PORT=0 picks a free one). */
  get httpPort(): number | undefined {
    return this.connection?.httpPort;
  }

  get busy(): number {
    return this.work.count;
  }

  status(): AdapterStatus {
    return this.keeper.status();
  }

  idle(): Promise<void> {
    return this.work.idle();
  }

  async quiesce(): Promise<void> {
    this.draining = true;
    this.keeper.close('stopping: no new work is taken');
    await this.connection?.stopIntake().catch((e: unknown) => this.d.log.warn(`slack: ${describeError(e)}`));
  }

  async stop(): Promise<void> {
    this.draining = true;
    this.stopped = true;
    this.keeper.close('stopped');
    this.stopExpiry();
    const c = this.connection;
    this.connection = undefined;
    await c?.close().catch((e: unknown) => this.d.log.warn(`slack: ${describeError(e)}`));
  }

  /** One attempt: who the bot is (once), then the app and its connection; after a loss, a fresh websocket. */
  private async connect(): Promise<void> {
    if (this.connection) {
      await this.connection.reopen();
      return;
    }
    const c = this.d.config;
    this.me ??= await identify(this.api, c.apiUrl);
    const me = this.me;
    this.connection = await openSlackConnection({
      config: c,
      me,
      log: this.d.log,
      wire: (app) => this.wire(app),
      onLost: (why) => this.keeper.lost(why),
    });
    if (this.stopped) {
      await this.connection.close();
      return;
    }
    this.d.log.info(`slack: connected to ${me.team || 'the workspace'} as ${me.botUserId} (${c.mode === 'socket' ? 'Socket Mode' : `HTTP on ${c.host}:${this.httpPort ?? c.port}`})`);
  }

  private wire(app: App): void {
    // A payload the bot cannot act on is acknowledged and dropped, with a log line, before any listener.
    app.use(async (args) => {
      const problem = payloadProblem(args.body);
      if (!problem) return args.next();
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      this.d.log.warn(`slack: ignored a malformed ${problem}`);
    });
    // Every command and every button is acknowledged, even ones this configuration does not know.
    app.command(/.*/, (args) => this.onCommand(args));
    app.action(/.*/, (args) => this.onAction(args));
    app.view({ callback_id: REJECT_VIEW, type: 'view_submission' }, (args) => this.onRejectSubmitted(args));
    app.error(async (e) => this.d.log.error(`slack: ${e.message}`));
  }

  private async onCommand({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> {
    const acked = ackTimer(this.d.ackObserver, 'slack');
    await ack();
    acked();
    if (this.draining) return this.tellStopping(respond);
    await this.work.track(async () => {
      const check = await this.deliveryCheck(command.trigger_id, `${command.command} from ${command.user_id}`);
      if (check.kind === 'repeat') return;
      // A command this configuration does not name goes to the core as typed: it says what exists.
      const verb = this.verbs.get(command.command.toLowerCase()) ?? command.command;
      const caller = await this.caller(command.user_id, command.user_name, command.channel_id);
      const text = commandText(command.text ?? '');
      // A search shows what it has found as servers answer, in the channel, when results go there.
      const live = this.d.config.resultsInChannel ? new SlackLiveReply(this.delivery, command.channel_id, this.timeZone, this.d.log) : undefined;
      const reply =
        check.kind === 'unchecked' && !uncheckedMayProceed('command', verb)
          ? await refuseUnchecked({ bot: this.d.bot, audit: this.d.audit, log: this.d.log, caller, command: `/${verb} ${text}`.trim(), error: check.error })
          : await this.d.bot.handle({ caller, verb, text, hints: this.emails.hintsFor(command.user_id), ...(live ? { onProgress: (r: Reply) => live.update(r) } : {}) });
      try {
        if (live && (await live.finish(reply))) return;
        if (reply.confirmation) await this.postPrompt(reply, reply.confirmation.id, command.channel_id, command.response_url, respond);
        else if (reply.approvalRequest) await this.seekApproval(reply, reply.approvalRequest, command.channel_id, { respond, url: command.response_url, replace: false });
        else await this.delivery.respond(respond, renderSlack(reply, this.timeZone), this.visibility(reply));
      } catch (e) {
        this.d.log.warn(`slack: the reply to ${command.command} from ${command.user_id} could not be posted (${describeError(e)})`);
      }
    });
  }

  private async onAction({ ack, body, action, respond }: SlackActionMiddlewareArgs): Promise<void> {
    const acked = ackTimer(this.d.ackObserver, 'slack');
    await ack();
    acked();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action) || !action.value) return;
    const kind = action.action_id;
    if (kind !== CONFIRM_ACTION && kind !== CANCEL_ACTION && kind !== APPROVE_ACTION && kind !== REJECT_ACTION) return;
    if (this.draining) return this.tellStopping(respond);
    await this.work.track(async () => {
      // A press the store cannot check goes on: its claim needs the store, so the core refuses it meanwhile.
      if ((await this.deliveryCheck(body.trigger_id, `a button press from ${body.user.id}`)).kind === 'repeat') return;
      const id = action.value as string;
      const channel = body.channel?.id ?? body.container?.channel_id;
      // The reply to the requester is asked for in a modal; the press is acknowledged already, and the trigger lives 3 s.
      if (kind === REJECT_ACTION && (await this.openRejectModal(id, body.trigger_id, channel, body.response_url, body.message))) return;
      const caller = await this.caller(body.user.id, body.user.username ?? body.user.name ?? body.user.id, channel);
      let reply: Reply;
      if (kind === CONFIRM_ACTION) reply = await this.d.bot.confirm(id, caller);
      else if (kind === CANCEL_ACTION) reply = await this.d.bot.cancel(id, caller);
      else if (kind === APPROVE_ACTION) reply = await this.d.bot.approve(id, caller);
      else reply = await this.d.bot.reject(id, caller);
      const messages = renderSlack(reply, this.timeZone);
      try {
        // A refusal (someone else's prompt, a second click) goes to whoever pressed; the message stays.
        if (reply.private) return await this.delivery.respond(respond, messages, 'ephemeral');
        if (kind === CONFIRM_ACTION || kind === CANCEL_ACTION) void this.prompts.take(id);
        // An approval that still waits for more keeps its message (and its buttons), updated.
        if ((kind === APPROVE_ACTION || kind === REJECT_ACTION) && !reply.approval) void this.requests.take(id);
        if (reply.approvalRequest) return await this.seekApproval(reply, reply.approvalRequest, channel, { respond, url: body.response_url, replace: true });
        await this.delivery.replacePressed(respond, messages, this.visibility(reply));
      } catch (e) {
        this.d.log.warn(`slack: the answer to a button press by ${body.user.id} could not be posted (${describeError(e)})`);
      }
    });
  }

  /**
   * Reject asks for an optional reply to the requester in a modal (views.open). False when the modal
   * cannot be opened: the rejection then goes ahead without a reply.
   */
  private async openRejectModal(id: string, triggerId: string, channel: string | undefined, responseUrl: string, message: { text?: string } | undefined): Promise<boolean> {
    try {
      const view = rejectView({ id, responseUrl, ...(channel ? { channel } : {}) }, unescapeEntities(message?.text ?? 'Reject this request?'));
      await this.api.views.open({ trigger_id: triggerId, view });
      return true;
    } catch (e) {
      this.d.log.warn(`slack: could not open the reject dialog (${describeError(e)}); rejecting without a reply`);
      return false;
    }
  }

  /** The Reject modal was submitted: acknowledged at once (it closes), then the request is answered. */
  private async onRejectSubmitted({ ack, body, view }: SlackViewMiddlewareArgs): Promise<void> {
    await ack();
    const submitted = readRejectView(view);
    if (!submitted || this.draining) return;
    await this.work.track(async () => {
      if ((await this.deliveryCheck((body as { trigger_id?: string }).trigger_id, `a reject dialog from ${body.user.id}`)).kind === 'repeat') return;
      const { ctx, note } = submitted;
      const caller = await this.caller(body.user.id, body.user.name ?? body.user.id, ctx.channel);
      const reply = await this.d.bot.reject(ctx.id, caller, note);
      const messages = renderSlack(reply, this.timeZone);
      try {
        if (reply.private) return await this.delivery.respondAt(ctx.responseUrl, messages, 'ephemeral');
        void this.requests.take(ctx.id);
        const [first] = messages;
        if (first) await this.delivery.replaceAt({ kind: 'response-url', url: ctx.responseUrl }, first);
      } catch (e) {
        this.d.log.warn(`slack: the answer to a rejection by ${body.user.id} could not be posted (${describeError(e)})`);
      }
    });
  }

  /**
   * The action now waits for approvers: the request is posted as the bot in the approval channel (or
   * where it was asked), so chat.update can show its expiry however late, from any instance; the
   * requester is told it waits. Where the bot may not post, the request itself goes to the
   * requester's channel through the response_url instead (always in the channel: approvers must see it).
   */
  private async seekApproval(waiting: Reply, req: ApprovalRequest, channel: string | undefined, via: { respond: RespondFn; url: string; replace: boolean }): Promise<void> {
    const messages = renderSlack(req.request, this.timeZone);
    const targets = [...new Set([this.d.config.approvalChannel, channel])].filter((t): t is string => t !== undefined);
    for (const target of targets) {
      let where: PromptLocation;
      try {
        where = await this.delivery.postToChannel(target, messages);
      } catch (e) {
        this.d.log.info(`slack: could not post the approval request in ${target} as the bot (${describeError(e)}); invite the bot there`);
        continue;
      }
      await this.requests.remember(req.id, where);
      const told = renderSlack(waiting, this.timeZone);
      if (via.replace) await this.delivery.replacePressed(via.respond, told, this.visibility(waiting));
      else await this.delivery.respond(via.respond, told, this.visibility(waiting));
      return;
    }
    if (via.replace) await this.delivery.replacePressed(via.respond, messages, 'in_channel');
    else await this.delivery.respond(via.respond, messages, 'in_channel');
    await this.requests.remember(req.id, { kind: 'response-url', url: via.url });
  }

  /** Runs on the instance whose sweep claimed the expired request, wherever it was posted. */
  private async onApprovalExpired(e: ExpiredApproval): Promise<void> {
    if (this.stopped) return;
    const where = await this.requests.take(e.id);
    const [message] = renderSlack(e.reply, this.timeZone);
    if (!where || !message || this.stopped) return;
    try {
      await this.delivery.replaceAt(where, message);
    } catch (err) {
      this.d.log.warn(`slack: the expiry of approval request ${e.id} could not be shown on it (${describeError(err)})`);
    }
  }

  /** A delivery that reached this instance as it stops: nothing is done, and the person is told so. */
  private async tellStopping(respond: RespondFn): Promise<void> {
    await respond({ response_type: 'ephemeral', replace_original: false, text: STOPPING }).catch((e: unknown) => this.d.log.warn(`slack: ${describeError(e)}`));
  }

  /** Runs on the instance whose sweep claimed the confirmation, wherever its prompt was posted. */
  private async onExpired(e: ExpiredConfirmation): Promise<void> {
    if (this.stopped) return;
    const where = await this.prompts.take(e.id);
    const [message] = renderSlack(e.reply, this.timeZone);
    if (!where || !message || this.stopped) return;
    try {
      await this.delivery.replaceAt(where, message);
    } catch (err) {
      this.d.log.warn(`slack: the expiry of confirmation ${e.id} could not be shown on its prompt (${describeError(err)})`);
    }
  }

  /**
   * A public prompt is posted as the bot, so chat.update can replace it when it expires. Where the
   * bot may not post (not in the channel, someone else's DM) it goes through the response_url.
   */
  private async postPrompt(reply: Reply, id: string, channel: string, responseUrl: string, respond: RespondFn): Promise<void> {
    const messages = renderSlack(reply, this.timeZone);
    const visibility = this.visibility(reply);
    let where: PromptLocation = { kind: 'response-url', url: responseUrl };
    if (visibility === 'in_channel') {
      try {
        where = await this.delivery.postToChannel(channel, messages);
      } catch (e) {
        this.d.log.info(`slack: could not post in ${channel} as the bot (${describeError(e)}); the prompt goes through the command's response_url (invite the bot to the channel to avoid this)`);
      }
    }
    if (where.kind === 'response-url') await this.delivery.respond(respond, messages, visibility);
    await this.prompts.remember(id, where);
  }

  /** Whether this delivery was handled already (logged), here or on another instance; one without a trigger ID is new. */
  private async deliveryCheck(triggerId: string | undefined, what: string): Promise<DeliveryCheck> {
    if (!triggerId) return { kind: 'first' };
    const check = await this.seen.check(triggerId);
    if (check.kind === 'repeat') this.d.log.warn(`slack: ${what} delivered again (trigger ${triggerId}); ignored`);
    return check;
  }

  private get timeZone(): string | undefined {
    return this.d.bot.settings.timeZone;
  }

  private visibility(reply: Reply): Visibility {
    return reply.private || !this.d.config.resultsInChannel ? 'ephemeral' : 'in_channel';
  }

  private async caller(userId: string, userName: string, channel: string | undefined): Promise<Caller> {
    const c: Caller = { platform: 'slack', userId, userName, groups: await this.groups.groupsOf(userId) };
    if (channel) c.channel = channel;
    return c;
  }
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type RespondFn, type SlackActionMiddlewareArgs, type SlackCommandMiddlewareArgs, type SlackViewMiddlewareArgs } from '@slack/bolt';
import type { ApprovalRequest, Bot, Caller, ExpiredApproval, ExpiredConfirmation, Logger, Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import type { ChatAdapter } from '../shared/adapter.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard } from '../shared/replay-guard.js';
import { mirrorAuditToChannel } from './audit-channel.js';
import { APPROVE_ACTION, CANCEL_ACTION, CONFIRM_ACTION, REJECT_ACTION, renderSlack } from './blocks.js';
import { SlackChannelNames } from './channel-names.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig, SlackVerb } from './config.js';
import { Delivery, type Visibility } from './delivery.js';
import { payloadProblem } from './payload-check.js';
import type { PromptLocation } from './prompts.js';
import { readRejectView, rejectView, REJECT_VIEW } from './reject-modal.js';
import { commandText, unescapeEntities } from './slack-text.js';
import { UserGroupDirectory } from './user-groups.js';
import { SlackEmailLookup } from './email-lookup.js';
import { createWebClient, describeError, identify, platformError, type WebClient } from './web-client.js';

export interface SlackAdapterDeps {
  bot: Bot;
  config: SlackConfig;
  log: Logger;
  /** Slack user-group IDs the access file names: the only groups looked up. */
  userGroups: readonly string[];
  audit?: MirroredAudit;
  ackObserver?: AckObserver;
}

/** The path of the Request URL in HTTP mode, for commands and buttons alike. */
export const HTTP_PATH = '/slack/events';

/** Why the app could not start, naming the setting to fix where one is at fault. */
function startError(e: unknown, c: SlackConfig): Error {
  const code = platformError(e) ?? (e as NodeJS.ErrnoException).code;
  if (c.mode === 'socket' && (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive')) {
    return new ConfigError('SLACK_APP_TOKEN', `Slack rejected it (${code}); create an app-level token with connections:write (Basic Information → App-Level Tokens)`);
  }
  if (c.mode === 'http' && (code === 'EADDRINUSE' || code === 'EACCES')) {
    return new ConfigError('SLACK_PORT', `cannot listen on port ${c.port} (${code})`);
  }
  return new Error(`slack: could not start (${describeError(e)})`);
}

/**
 * Slack slash commands and buttons in, core replies out. Every command and button is acknowledged
 * first, before anything can be slow (a user-group lookup, a hung server); the reply follows on
 * its response_url. A confirmation prompt is posted as the bot where it can be, so that chat.update
 * can show its expiry however late that comes.
 */
export class SlackAdapter implements ChatAdapter {
  readonly name = 'slack';
  private readonly verbs: ReadonlyMap<string, SlackVerb>;
  private readonly prompts: PromptRegistry<PromptLocation>;
  /** Where each pending approval request was posted, so that its expiry can be shown on it. */
  private readonly requests: PromptRegistry<PromptLocation>;
  private server: Server | undefined;
  private stopped = false;
  /**
   * Trigger IDs already handled. A Socket Mode envelope can arrive again, and a signed HTTP request
   * can be replayed while its timestamp is within Slack's five minutes: neither may act twice.
   */
  private readonly seen: ReplayGuard;
  private readonly stopExpiry: () => void;

  private constructor(
    private readonly app: App,
    private readonly d: SlackAdapterDeps,
    private readonly delivery: Delivery,
    private readonly groups: UserGroupDirectory,
    /** Self-service asks who a person is by their email: looked up only when a resolver needs it. */
    private readonly emails: SlackEmailLookup,
    private readonly api: WebClient,
  ) {
    this.verbs = new Map((Object.entries(d.config.commands) as [SlackVerb, string][]).map(([verb, name]) => [name, verb]));
    this.prompts = new PromptRegistry(promptLifetimeMs(d.bot.settings.confirmTtlMs));
    this.requests = new PromptRegistry(promptLifetimeMs(d.bot.settings.approvalTtlMs));
    this.seen = new ReplayGuard(d.bot.state, 'slack', 10 * 60_000);
    d.bot.useCommandNames('slack', d.config.commands);
    // A payload the bot cannot act on is acknowledged and dropped, with a log line, before any listener.
    app.use(async (args) => {
      const problem = payloadProblem(args.body);
      if (!problem) return args.next();
      if ('ack' in args && typeof args.ack === 'function') await args.ack();
      d.log.warn(`slack: ignored a malformed ${problem}`);
    });
    // Every command and every button is acknowledged, even ones this configuration does not know.
    app.command(/.*/, (args) => this.onCommand(args));
    app.action(/.*/, (args) => this.onAction(args));
    app.view({ callback_id: REJECT_VIEW, type: 'view_submission' }, (args) => this.onRejectSubmitted(args));
    app.error(async (e) => d.log.error(`slack: ${e.message}`));
    const stops = [
      d.bot.onConfirmationExpired((e) => void this.onExpired(e)),
      d.bot.onApprovalExpired((e) => void this.onApprovalExpired(e)),
      d.bot.useChannelNames('slack', new SlackChannelNames(api, d.log)),
    ];
    this.stopExpiry = () => stops.forEach((stop) => stop());
  }

  static async start(d: SlackAdapterDeps): Promise<SlackAdapter> {
    const c = d.config;
    const api = createWebClient(c.botToken, c.apiUrl, d.log);
    const me = await identify(api, c.apiUrl);
    const common = {
      token: c.botToken,
      // Known already, so Bolt does not call auth.test again (and cannot fail on it later).
      botId: me.botId,
      botUserId: me.botUserId,
      logger: boltLogger(d.log),
      clientOptions: { slackApiUrl: c.apiUrl },
      convoStore: false as const,
    };
    const app =
      c.mode === 'socket'
        ? new App({ ...common, appToken: c.appToken, socketMode: true })
        : new App({ ...common, signingSecret: c.signingSecret, endpoints: HTTP_PATH });
    const adapter = new SlackAdapter(app, d, new Delivery(api), new UserGroupDirectory(api, d.userGroups, c.userGroupCacheMs, d.log), new SlackEmailLookup(api, c.userGroupCacheMs, d.log), api);
    if (c.auditChannel && d.audit) mirrorAuditToChannel(d.audit, api, c.auditChannel, () => !adapter.stopped);
    try {
      const started: unknown = await app.start(c.port);
      if (c.mode === 'http') adapter.server = started as Server;
    } catch (e) {
      adapter.stopped = true;
      adapter.stopExpiry();
      throw startError(e, c);
    }
    d.log.info(`slack: connected to ${me.team || 'the workspace'} as ${me.botUserId} (${c.mode === 'socket' ? 'Socket Mode' : `HTTP on port ${adapter.httpPort ?? c.port}`})`);
    return adapter;
  }

  /** HTTP mode: the port actually listened on (SLACK_PORT=0 picks a free one). */
  get httpPort(): number | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a?.port;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopExpiry();
    await this.app.stop();
  }

  private async onCommand({ command, ack, respond }: SlackCommandMiddlewareArgs): Promise<void> {
    const acked = ackTimer(this.d.ackObserver, 'slack');
    await ack();
    acked();
    if (!(await this.firstDelivery(command.trigger_id, `${command.command} from ${command.user_id}`))) return;
    // A command this configuration does not name goes to the core as typed: it says what exists.
    const verb = this.verbs.get(command.command.toLowerCase()) ?? command.command;
    const caller = await this.caller(command.user_id, command.user_name, command.channel_id);
    const reply = await this.d.bot.handle({ caller, verb, text: commandText(command.text ?? ''), hints: this.emails.hintsFor(command.user_id) });
    try {
      if (reply.confirmation) await this.postPrompt(reply, reply.confirmation.id, command.channel_id, command.response_url, respond);
      else if (reply.approvalRequest) await this.seekApproval(reply, reply.approvalRequest, command.channel_id, { respond, url: command.response_url, replace: false });
      else await this.delivery.respond(respond, renderSlack(reply, this.timeZone), this.visibility(reply));
    } catch (e) {
      this.d.log.warn(`slack: the reply to ${command.command} from ${command.user_id} could not be posted (${describeError(e)})`);
    }
  }

  private async onAction({ ack, body, action, respond }: SlackActionMiddlewareArgs): Promise<void> {
    const acked = ackTimer(this.d.ackObserver, 'slack');
    await ack();
    acked();
    if (body.type !== 'block_actions' || action.type !== 'button' || !('action_id' in action) || !action.value) return;
    const kind = action.action_id;
    if (kind !== CONFIRM_ACTION && kind !== CANCEL_ACTION && kind !== APPROVE_ACTION && kind !== REJECT_ACTION) return;
    if (!(await this.firstDelivery(body.trigger_id, `a button press from ${body.user.id}`))) return;
    const id = action.value;
    const channel = body.channel?.id ?? body.container?.channel_id;
    const userName = body.user.username ?? body.user.name ?? body.user.id;
    // The reply to the requester is asked for in a modal; the press is acknowledged already, and the trigger lives 3 s.
    if (kind === REJECT_ACTION && (await this.openRejectModal(id, body.trigger_id, channel, body.response_url, body.message))) return;
    const caller = await this.caller(body.user.id, userName, channel);
    let reply: Reply;
    if (kind === CONFIRM_ACTION) reply = await this.d.bot.confirm(id, caller);
    else if (kind === CANCEL_ACTION) reply = await this.d.bot.cancel(id, caller);
    else if (kind === APPROVE_ACTION) reply = await this.d.bot.approve(id, caller);
    else reply = await this.d.bot.reject(id, caller);
    try {
      // A refusal (someone else's prompt, a second click) goes to whoever pressed; the message stays.
      if (reply.private) return await this.delivery.respond(respond, renderSlack(reply, this.timeZone), 'ephemeral');
      if (kind === CONFIRM_ACTION || kind === CANCEL_ACTION) this.prompts.take(id);
      // An approval that still waits for more keeps its message (and its buttons), updated.
      if ((kind === APPROVE_ACTION || kind === REJECT_ACTION) && !reply.approval) this.requests.take(id);
      if (reply.approvalRequest) return await this.seekApproval(reply, reply.approvalRequest, channel, { respond, url: body.response_url, replace: true });
      await this.delivery.replacePressed(respond, renderSlack(reply, this.timeZone), this.visibility(reply));
    } catch (e) {
      this.d.log.warn(`slack: the answer to a button press by ${body.user.id} could not be posted (${describeError(e)})`);
    }
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
    if (!submitted) return;
    if (!(await this.firstDelivery((body as { trigger_id?: string }).trigger_id, `a reject dialog from ${body.user.id}`))) return;
    const { ctx, note } = submitted;
    const caller = await this.caller(body.user.id, body.user.name ?? body.user.id, ctx.channel);
    const reply = await this.d.bot.reject(ctx.id, caller, note);
    const messages = renderSlack(reply, this.timeZone);
    try {
      if (reply.private) return await this.delivery.respondAt(ctx.responseUrl, messages, 'ephemeral');
      this.requests.take(ctx.id);
      const [first] = messages;
      if (first) await this.delivery.replaceAt({ kind: 'response-url', url: ctx.responseUrl }, first);
    } catch (e) {
      this.d.log.warn(`slack: the answer to a rejection by ${body.user.id} could not be posted (${describeError(e)})`);
    }
  }

  /**
   * The action now waits for approvers: the request is posted as the bot in the approval channel (or
   * where it was asked), so chat.update can show its expiry however late; the requester is told it
   * waits. Where the bot may not post, the request itself goes to the requester's channel through the
   * response_url instead (always in the channel: approvers must see it).
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
      this.requests.remember(req.id, where);
      const told = renderSlack(waiting, this.timeZone);
      if (via.replace) await this.delivery.replacePressed(via.respond, told, this.visibility(waiting));
      else await this.delivery.respond(via.respond, told, this.visibility(waiting));
      return;
    }
    if (via.replace) await this.delivery.replacePressed(via.respond, messages, 'in_channel');
    else await this.delivery.respond(via.respond, messages, 'in_channel');
    this.requests.remember(req.id, { kind: 'response-url', url: via.url });
  }

  private async onApprovalExpired(e: ExpiredApproval): Promise<void> {
    const where = this.requests.take(e.id);
    const [message] = renderSlack(e.reply, this.timeZone);
    if (!where || !message || this.stopped) return;
    try {
      await this.delivery.replaceAt(where, message);
    } catch (err) {
      this.d.log.warn(`slack: the expiry of approval request ${e.id} could not be shown on it (${describeError(err)})`);
    }
  }

  private async onExpired(e: ExpiredConfirmation): Promise<void> {
    const where = this.prompts.take(e.id);
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
    this.prompts.remember(id, where);
  }

  /** False (and logged) when this delivery was handled already; one without a trigger ID is never refused. */
  private async firstDelivery(triggerId: string | undefined, what: string): Promise<boolean> {
    if (!triggerId || (await this.seen.firstTime(triggerId))) return true;
    this.d.log.warn(`slack: ${what} delivered again (trigger ${triggerId}); ignored`);
    return false;
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

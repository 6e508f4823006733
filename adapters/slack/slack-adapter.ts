import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type RespondFn, type SlackActionMiddlewareArgs, type SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Bot, Caller, ExpiredConfirmation, Logger, Reply } from '../../src/core/index.js';
import { ackTimer, type AckObserver } from '../shared/ack-observer.js';
import type { ChatAdapter } from '../shared/adapter.js';
import { ConfigError } from '../../src/config/config-error.js';
import type { MirroredAudit } from '../shared/mirrored-audit.js';
import { PromptRegistry, promptLifetimeMs } from '../shared/prompt-registry.js';
import { ReplayGuard } from '../shared/replay-guard.js';
import { mirrorAuditToChannel } from './audit-channel.js';
import { CANCEL_ACTION, CONFIRM_ACTION, renderSlack } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig, SlackVerb } from './config.js';
import { Delivery, type Visibility } from './delivery.js';
import { payloadProblem } from './payload-check.js';
import type { PromptLocation } from './prompts.js';
import { commandText } from './slack-text.js';
import { UserGroupDirectory } from './user-groups.js';
import { SlackEmailLookup } from './email-lookup.js';
import { createWebClient, describeError, identify, platformError } from './web-client.js';

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
  ) {
    this.verbs = new Map((Object.entries(d.config.commands) as [SlackVerb, string][]).map(([verb, name]) => [name, verb]));
    this.prompts = new PromptRegistry(promptLifetimeMs(d.bot.settings.confirmTtlMs));
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
    app.error(async (e) => d.log.error(`slack: ${e.message}`));
    this.stopExpiry = d.bot.onConfirmationExpired((e) => void this.onExpired(e));
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
    const adapter = new SlackAdapter(app, d, new Delivery(api), new UserGroupDirectory(api, d.userGroups, c.userGroupCacheMs, d.log), new SlackEmailLookup(api, c.userGroupCacheMs, d.log));
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
    if (action.action_id !== CONFIRM_ACTION && action.action_id !== CANCEL_ACTION) return;
    if (!(await this.firstDelivery(body.trigger_id, `a button press from ${body.user.id}`))) return;
    const id = action.value;
    const caller = await this.caller(body.user.id, body.user.username ?? body.user.name ?? body.user.id, body.channel?.id ?? body.container?.channel_id);
    const reply = action.action_id === CONFIRM_ACTION ? await this.d.bot.confirm(id, caller) : await this.d.bot.cancel(id, caller);
    const messages = renderSlack(reply, this.timeZone);
    try {
      // A refusal (someone else's prompt, a second click) goes to whoever pressed; the prompt stays.
      if (reply.private) return await this.delivery.respond(respond, messages, 'ephemeral');
      this.prompts.take(id);
      await this.delivery.replacePressed(respond, messages, this.visibility(reply));
    } catch (e) {
      this.d.log.warn(`slack: the answer to a button press by ${body.user.id} could not be posted (${describeError(e)})`);
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

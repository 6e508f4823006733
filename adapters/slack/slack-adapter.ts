import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type RespondArguments, type RespondFn } from '@slack/bolt';
import type { ChatAdapter } from '../../src/adapter.js';
import type { MirroredAudit } from '../../src/audit/mirrored-audit.js';
import { auditLine, isChannelWorthy } from '../../src/audit/channel-line.js';
import type { Bot } from '../../src/core/bot.js';
import type { Caller } from '../../src/core/caller.js';
import type { Reply } from '../../src/core/results.js';
import type { Logger } from '../../src/log.js';
import { CANCEL_ACTION, CONFIRM_ACTION, renderSlack, unescapeSlackText } from './blocks.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackConfig, SlackVerb } from './config.js';
import { UserGroupDirectory } from './user-groups.js';

export interface SlackAdapterDeps {
  bot: Bot;
  config: SlackConfig;
  log: Logger;
  /** Slack user-group IDs the access file names: the only groups looked up. */
  userGroups: readonly string[];
  audit?: MirroredAudit;
}

/**
 * Slack slash commands and buttons in, core replies out. Every command and button is acknowledged
 * first, before anything can be slow; the reply follows through its response_url.
 */
export class SlackAdapter implements ChatAdapter {
  readonly name = 'slack';
  /** Where each pending confirmation's message can be updated (its response_url). */
  private readonly prompts = new Map<string, string>();
  private server: Server | undefined;
  private readonly stopExpiry: () => void;

  private constructor(
    private readonly app: App,
    private readonly d: SlackAdapterDeps,
    private readonly groups: UserGroupDirectory,
  ) {
    for (const [verb, name] of Object.entries(d.config.commands) as [SlackVerb, string][]) {
      app.command(name, async ({ command, ack, respond }) => {
        await ack();
        const caller = await this.caller(command.user_id, command.user_name, command.channel_id);
        const reply = await d.bot.handle({ caller, verb, text: unescapeSlackText(command.text ?? '') });
        if (reply.confirmation) this.prompts.set(reply.confirmation.id, command.response_url);
        await this.post(respond, reply);
      });
    }
    for (const actionId of [CONFIRM_ACTION, CANCEL_ACTION]) {
      app.action(actionId, async ({ ack, body, action, respond }) => {
        await ack();
        if (body.type !== 'block_actions' || action.type !== 'button' || !action.value) return;
        const channel = body.channel?.id;
        const caller = await this.caller(body.user.id, body.user.username ?? body.user.name ?? body.user.id, channel);
        const reply = actionId === CONFIRM_ACTION ? await d.bot.confirm(action.value, caller) : await d.bot.cancel(action.value, caller);
        await this.answerPress(respond, reply, action.value);
      });
    }
    app.error(async (e) => d.log.error(`slack: ${e.message}`));
    this.stopExpiry = d.bot.onConfirmationExpired((e) => {
      const url = this.prompts.get(e.id);
      this.prompts.delete(e.id);
      if (url) void this.postTo(url, e.reply, true);
    });
    if (d.config.auditChannel && d.audit) {
      const channel = d.config.auditChannel;
      d.audit.addMirror(async (r) => {
        if (isChannelWorthy(r)) await app.client.chat.postMessage({ channel, text: auditLine(r), unfurl_links: false, unfurl_media: false });
      });
    }
  }

  static async start(d: SlackAdapterDeps): Promise<SlackAdapter> {
    const c = d.config;
    const common = { token: c.botToken, logger: boltLogger(d.log), clientOptions: { slackApiUrl: c.apiUrl } };
    const app =
      c.mode === 'socket'
        ? new App({ ...common, appToken: c.appToken, socketMode: true })
        : new App({ ...common, signingSecret: c.signingSecret, endpoints: '/slack/events' });
    const client = app.client;
    const adapter = new SlackAdapter(app, d, new UserGroupDirectory(client, d.userGroups, c.userGroupCacheMs, d.log));
    const started: unknown = await app.start(c.port);
    if (c.mode === 'http') adapter.server = started as Server;
    return adapter;
  }

  /** HTTP mode: the port actually listened on (SLACK_PORT=0 picks a free one). */
  get httpPort(): number | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a?.port;
  }

  async stop(): Promise<void> {
    this.stopExpiry();
    await this.app.stop();
  }

  private async caller(userId: string, userName: string, channel: string | undefined): Promise<Caller> {
    const c: Caller = { platform: 'slack', userId, userName, groups: await this.groups.groupsOf(userId) };
    if (channel) c.channel = channel;
    return c;
  }

  private responseType(reply: Reply): 'ephemeral' | 'in_channel' {
    return reply.private || !this.d.config.resultsInChannel ? 'ephemeral' : 'in_channel';
  }

  private async post(respond: RespondFn, reply: Reply): Promise<void> {
    for (const m of renderSlack(reply, this.d.bot.settings.timeZone)) {
      await respond({ response_type: this.responseType(reply), replace_original: false, text: m.text, blocks: m.blocks });
    }
  }

  /** A refusal goes only to whoever pressed; an outcome replaces the message the buttons sat on. */
  private async answerPress(respond: RespondFn, reply: Reply, confirmationId: string): Promise<void> {
    const [first, ...rest] = renderSlack(reply, this.d.bot.settings.timeZone);
    if (!first) return;
    if (reply.private) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: first.text, blocks: first.blocks });
      return;
    }
    this.prompts.delete(confirmationId);
    const replace: RespondArguments = { replace_original: true, text: first.text, blocks: first.blocks };
    await respond(replace);
    for (const m of rest) await respond({ response_type: this.responseType(reply), replace_original: false, text: m.text, blocks: m.blocks });
  }

  private async postTo(url: string, reply: Reply, replace: boolean): Promise<void> {
    const [first] = renderSlack(reply, this.d.bot.settings.timeZone);
    if (!first) return;
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ replace_original: replace, text: first.text, blocks: first.blocks }) });
      if (!r.ok) this.d.log.warn(`slack: updating a message failed (HTTP ${r.status})`);
    } catch (e) {
      this.d.log.warn(`slack: updating a message failed (${e instanceof Error ? e.message : String(e)})`);
    }
  }
}

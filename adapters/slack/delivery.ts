import type { RespondFn } from '@slack/bolt';
import type { SlackMessage } from './blocks.js';
import type { PromptLocation } from './prompts.js';
import type { WebClient } from './web-client.js';

export type Visibility = 'in_channel' | 'ephemeral';

/** Posts and replaces Slack messages: through a response_url (Bolt's respond) or the Web API. */
export class Delivery {
  constructor(private readonly api: WebClient) {}

  /** New messages on a response_url, shown to the channel or only to the caller. */
  async respond(respond: RespondFn, messages: readonly SlackMessage[], visibility: Visibility): Promise<void> {
    for (const m of messages) await respond({ response_type: visibility, replace_original: false, text: m.text, blocks: m.blocks });
  }

  /** Replaces the message a button sat on (ephemeral or not), then adds any continuation. */
  async replacePressed(respond: RespondFn, messages: readonly SlackMessage[], visibility: Visibility): Promise<void> {
    const [first, ...rest] = messages;
    if (!first) return;
    await respond({ replace_original: true, text: first.text, blocks: first.blocks });
    await this.respond(respond, rest, visibility);
  }

  /** Posts to a channel as the bot; the location of the last message is where it can be updated. */
  async postToChannel(channel: string, messages: readonly SlackMessage[]): Promise<PromptLocation> {
    let where: PromptLocation | undefined;
    for (const m of messages) {
      const r = await this.api.chat.postMessage({ channel, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false });
      where = { kind: 'message', channel: r.channel ?? channel, ts: r.ts ?? '' };
    }
    if (!where) throw new Error('nothing to post');
    return where;
  }

  /** New messages on a response_url kept from an earlier press (a modal's submission has none of its own). */
  async respondAt(url: string, messages: readonly SlackMessage[], visibility: Visibility): Promise<void> {
    for (const m of messages) await this.postTo(url, { response_type: visibility, replace_original: false, text: m.text, blocks: m.blocks });
  }

  /** Replaces a message posted earlier: chat.update, or the response_url it was posted through. */
  async replaceAt(where: PromptLocation, m: SlackMessage): Promise<void> {
    if (where.kind === 'message') {
      await this.api.chat.update({ channel: where.channel, ts: where.ts, text: m.text, blocks: m.blocks });
      return;
    }
    await this.postTo(where.url, { replace_original: true, text: m.text, blocks: m.blocks });
  }

  private async postTo(url: string, body: object): Promise<void> {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!r.ok) throw new Error(`the response_url answered HTTP ${r.status}`);
  }
}

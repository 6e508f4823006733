import type { Logger, Reply } from '../../src/core/index.js';
import { Coalescer } from '../shared/coalescer.js';
import { renderSlack } from './blocks.js';
import type { Delivery } from './delivery.js';
import type { PromptLocation } from './prompts.js';
import { describeError } from './web-client.js';

/**
 * A search's reply as it grows, for a search that takes longer than `startAfterMs` (a quicker one is
 * answered as any command, on its response_url): posted as the bot in the channel, then
 * updated with chat.update at most once a second, and finally replaced by the whole answer. Only the
 * first message's worth is shown while it grows (Slack's limits); the continuation comes at the end.
 * Where the bot cannot post (not in the channel), nothing is shown until the answer.
 */
export class SlackLiveReply {
  private where: PromptLocation | undefined;
  private failed = false;
  private readonly out: Coalescer<Reply>;
  private readonly startsAt: number;
  private waiting: { partial: Reply | undefined; timer: ReturnType<typeof setTimeout> | undefined } = { partial: undefined, timer: undefined };

  constructor(
    private readonly delivery: Delivery,
    private readonly channel: string,
    private readonly timeZone: string | undefined,
    log: Logger,
    startAfterMs = 1000,
  ) {
    this.startsAt = Date.now() + startAfterMs;
    this.out = new Coalescer((r) => this.show(r), (e) => {
      this.failed = true;
      log.info(`slack: a search's progress could not be shown in ${channel} (${describeError(e)}); its answer follows when it is done`);
    });
  }

  update(partial: Reply): void {
    if (this.failed) return;
    const early = this.startsAt - Date.now();
    if (early <= 0) {
      this.out.push(partial);
      return;
    }
    this.waiting.partial = partial;
    this.waiting.timer ??= setTimeout(() => {
      const latest = this.waiting.partial;
      if (latest) this.out.push(latest);
    }, early);
  }

  /** Replaces the growing message with the answer; false when nothing was shown (deliver it as usual). */
  async finish(final: Reply): Promise<boolean> {
    clearTimeout(this.waiting.timer);
    this.waiting = { partial: undefined, timer: undefined };
    await this.out.close();
    const where = this.where;
    if (!where) return false;
    const [first, ...rest] = renderSlack(final, this.timeZone);
    if (first) await this.delivery.replaceAt(where, first);
    if (rest.length > 0) await this.delivery.postToChannel(this.channel, rest);
    return true;
  }

  private async show(partial: Reply): Promise<void> {
    const [first] = renderSlack(partial, this.timeZone);
    if (!first || this.failed) return;
    if (this.where) await this.delivery.replaceAt(this.where, first);
    else this.where = await this.delivery.postToChannel(this.channel, [first]);
  }
}

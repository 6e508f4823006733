import type { Platform } from './caller.js';
import { CONSOLE_CHANNEL } from './policy/access-model.js';
import type { ChannelNames } from './ports/channel-names.js';

const SHAPES: readonly [Exclude<Platform, 'console'>, RegExp][] = [
  ['slack', /^[CGD][A-Z0-9]{2,}$/],
  ['discord', /^\d{15,21}$/],
];

/** Which platform a channel of the access file belongs to, by its shape. */
export function platformOfChannel(id: string): Platform | undefined {
  if (id === CONSOLE_CHANNEL) return 'console';
  return SHAPES.find(([, re]) => re.test(id))?.[0];
}

const TITLES: Record<Platform, string> = { slack: 'Slack', discord: 'Discord', console: 'the console' };

/**
 * Tells a caller where grants apply, in words: channel names on the caller's own platform (from the
 * adapters' ChannelNames, each answered within `timeoutMs` or shown by ID), `the console`, and other
 * platforms by name.
 */
export class ChannelBook {
  private readonly names = new Map<Platform, ChannelNames>();

  constructor(private readonly timeoutMs = 1500) {}

  use(platform: Platform, names: ChannelNames): () => void {
    this.names.set(platform, names);
    return () => {
      if (this.names.get(platform) === names) this.names.delete(platform);
    };
  }

  /** `#helpdesk-rds`, `#C0123` (name unknown), `the console`, `Discord`. */
  async describe(platform: Platform, channels: readonly string[]): Promise<string[]> {
    const own = channels.filter((c) => platformOfChannel(c) === platform && platform !== 'console');
    const shown = await Promise.all(own.map(async (c) => `#${(await this.lookup(platform, c)) ?? c}`));
    const others = new Set(channels.map(platformOfChannel).filter((p): p is Platform => p !== undefined && p !== platform));
    return [...shown, ...[...others].map((p) => TITLES[p])];
  }

  private async lookup(platform: Platform, id: string): Promise<string | undefined> {
    const names = this.names.get(platform);
    if (!names) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.timeoutMs)));
    try {
      return await Promise.race([names.nameOf(id).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

import type { Caller } from '../../src/core/index.js';

/** Console identities are trusted as given: whoever can run the bot on its host is its operator. */
export function consoleCaller(user: string, channel: 'tty' | 'exec'): Caller {
  return { platform: 'console', userId: user, userName: user, groups: [], channel };
}

import type { Logger } from '../../src/core/index.js';
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';

/** Bolt's logger interface over ours: warnings and errors only, prefixed. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]): string => `slack: ${msg.map((m) => (m instanceof Error ? m.message : String(m))).join(' ')}`;
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...msg: unknown[]) => log.warn(text(msg)),
    error: (...msg: unknown[]) => log.error(text(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

import type { Logger } from '../core/logger.js';

/** Logs go to stderr, one line each, so stdout stays the console's conversation. */
export function stderrLogger(prefix = 'rwinsta-bot'): Logger {
  const line = (level: string, message: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${prefix} ${level} ${message}\n`);
  };
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (m) => line('error', m),
  };
}

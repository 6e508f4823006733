import type { Logger } from '../core/logger.js';

/**
 * A chat bot must outlive one bad payload: an error that escapes a chat library's event handling is
 * logged and the bot carries on. A burst of them means something is broken, so the process then
 * exits (code 70) for the service manager to restart it.
 */
export function keepRunningThroughStrayErrors(log: Logger, maxPerMinute = 20): void {
  let recent: number[] = [];
  const onError =
    (kind: string) =>
    (e: unknown): void => {
      log.error(`${kind} (kept running): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      const now = Date.now();
      recent = recent.filter((t) => t > now - 60_000);
      recent.push(now);
      if (recent.length > maxPerMinute) {
        log.error(`${recent.length} unexpected errors within a minute: exiting so that the service manager restarts the bot`);
        process.exit(70);
      }
    };
  process.on('uncaughtException', onError('uncaught exception'));
  process.on('unhandledRejection', onError('unhandled rejection'));
}

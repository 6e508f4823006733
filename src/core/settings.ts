export interface BotSettings {
  /** Used when a command names no server (`rwinsta 3`). */
  defaultServer?: string;
  confirmTtlMs: number;
  /** How long an approval request waits for its approvers. */
  approvalTtlMs: number;
  /** Most sessions one bulk action (/disc, /all, an ID list, msg *) may touch. */
  bulkMax: number;
  /** Destructive actions (logoff, disconnect) one caller may run per minute; 0 disables the limit. */
  destructivePerMinute: number;
  /** Servers queried at once when finding a user. */
  fanoutConcurrency: number;
  /** How long to keep checking that a logged-off session is gone. */
  logoffVerifyMs: number;
  logoffPollMs: number;
  /** Title of the message box `msg` shows. */
  messageTitle: string;
  timeZone?: string;
  /** How long a server that failed with 1722 or timed out is skipped by searches; 0 turns it off. */
  downMs: number;
  /** How often the live session index is refreshed; 0 (the default) turns the index off. */
  indexIntervalMs: number;
}

export const DEFAULT_SETTINGS: BotSettings = {
  confirmTtlMs: 120_000,
  approvalTtlMs: 900_000,
  bulkMax: 50,
  destructivePerMinute: 10,
  fanoutConcurrency: 32,
  logoffVerifyMs: 10_000,
  logoffPollMs: 500,
  messageTitle: 'Message from the IT helpdesk',
  downMs: 60_000,
  indexIntervalMs: 0,
};

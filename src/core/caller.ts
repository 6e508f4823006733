export type Platform = 'slack' | 'discord' | 'console';

/** Who is asking, as the adapter established it. */
export interface Caller {
  platform: Platform;
  /** Slack user ID (U…), Discord user ID (snowflake), or console user name. */
  userId: string;
  /** Display name, for messages and the audit log only: never used for permissions. */
  userName: string;
  /** Slack user-group IDs (S…) or Discord guild role IDs the caller belongs to. */
  groups: readonly string[];
  /** Where the request came from (channel ID, DM, tty), for the audit log. */
  channel?: string;
}

export function callerKey(c: Pick<Caller, 'platform' | 'userId'>): string {
  return `${c.platform}:${c.userId}`;
}

export function callerLabel(c: Caller): string {
  return c.userName && c.userName !== c.userId ? `${c.userName} (${c.platform} ${c.userId})` : `${c.platform} user ${c.userId}`;
}

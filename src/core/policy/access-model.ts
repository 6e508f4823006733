import type { Permission, SelfServiceAction } from '../actions.js';
import type { Platform } from '../caller.js';

/** `rds01` (exact), `rds*` / `lab-??` (glob), `@farm` (a named server group). */
export type ServerPattern = string;

/** A second person (or up to three) must approve an action the grant covers. */
export interface ApprovalRule {
  /** Roles whose members may approve (each must also hold the action on the server). */
  by: readonly string[];
  /** Approvals needed, 1 to 3, each from a different person than the requester. */
  count: number;
}

/** The action needs a reason or ticket (`/reason:"INC0012345 user stuck"`). */
export interface ReasonRule {
  /** The reason must match this (`^(INC|RITM)\d{7}\b`); any non-empty reason when absent. */
  pattern?: RegExp;
  /** A reason that matches, shown in the usage message. */
  example: string;
}

/**
 * Console callers match the channel `console`; chat callers match their channel's ID (Slack C…/G…/D…,
 * Discord snowflake).
 */
export const CONSOLE_CHANNEL = 'console';

export interface Grant {
  actions: readonly Permission[];
  servers: readonly ServerPattern[];
  approval?: ApprovalRule;
  reason?: ReasonRule;
  /** Where the grant applies; everywhere when absent. */
  channels?: readonly string[];
}

export interface RoleMembers {
  slackUsers: readonly string[];
  slackUserGroups: readonly string[];
  discordUsers: readonly string[];
  discordRoles: readonly string[];
  /** Console user names; `*` means any console user (used only by the built-in demo access). */
  consoleUsers: readonly string[];
}

export interface Role {
  grants: readonly Grant[];
  members: RoleMembers;
}

export type { SelfServiceAction } from '../actions.js';

/**
 * The access file's `selfService` block. Deny by default: without it nobody has self-service; with
 * it, only its members (or everyone on a platform it opens to all), on its servers, for its actions,
 * and only ever on the sessions of their own Windows account.
 */
export interface SelfService {
  servers: readonly ServerPattern[];
  actions: readonly SelfServiceAction[];
  members: RoleMembers;
  everyone: Readonly<Record<Platform, boolean>>;
  /** Other names of a domain that count as the same one (CORP: corp.example.com), upper-cased. */
  domainAliases: ReadonlyMap<string, readonly string[]>;
}

/** The validated content of the access file. */
export interface AccessModel {
  serverGroups: ReadonlyMap<string, readonly ServerPattern[]>;
  roles: ReadonlyMap<string, Role>;
  selfService?: SelfService;
}

export function emptyMembers(): RoleMembers {
  return { slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: [] };
}

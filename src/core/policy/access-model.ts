import type { Permission, SelfServiceAction } from '../actions.js';
import type { Platform } from '../caller.js';

/** `rds01` (exact), `rds*` / `lab-??` (glob), `@farm` (a named server group). */
export type ServerPattern = string;

export interface Grant {
  actions: readonly Permission[];
  servers: readonly ServerPattern[];
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

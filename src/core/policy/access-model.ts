import type { Permission } from '../actions.js';

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

/** The validated content of the access file. */
export interface AccessModel {
  serverGroups: ReadonlyMap<string, readonly ServerPattern[]>;
  roles: ReadonlyMap<string, Role>;
}

export function emptyMembers(): RoleMembers {
  return { slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: [] };
}

import { type Caller } from '../caller.js';
import type { Permission } from '../actions.js';
import type { AccessModel, RoleMembers, SelfServiceAction } from './access-model.js';
import { expandPatterns, isGlob, matchesServer } from './server-patterns.js';

export type Decision =
  | { allowed: true; roles: readonly string[] }
  | { allowed: false; action: Permission; server: string; roles: readonly string[]; reason: string };

function isMember(m: RoleMembers, c: Caller): boolean {
  switch (c.platform) {
    case 'slack':
      return m.slackUsers.includes(c.userId) || c.groups.some((g) => m.slackUserGroups.includes(g));
    case 'discord':
      return m.discordUsers.includes(c.userId) || c.groups.some((g) => m.discordRoles.includes(g));
    case 'console':
      return m.consoleUsers.includes('*') || m.consoleUsers.some((u) => u.toLowerCase() === c.userId.toLowerCase());
  }
}

/** Deny by default: a caller may do an action on a server only if one of their roles grants both. */
export class Policy {
  constructor(private readonly model: AccessModel) {}

  rolesOf(c: Caller): string[] {
    const names: string[] = [];
    for (const [name, role] of this.model.roles) if (isMember(role.members, c)) names.push(name);
    return names;
  }

  authorize(c: Caller, action: Permission, server: string): Decision {
    const roles = this.rolesOf(c);
    for (const name of roles) {
      const role = this.model.roles.get(name);
      for (const g of role?.grants ?? []) {
        if (!g.actions.includes(action)) continue;
        const patterns = expandPatterns(g.servers, this.model.serverGroups);
        if (patterns.some((p) => matchesServer(p, server))) return { allowed: true, roles };
      }
    }
    const reason =
      roles.length === 0
        ? 'you have no role in the access file'
        : `none of your roles (${roles.join(', ')}) grants "${action}" on ${server}`;
    return { allowed: false, action, server, roles, reason };
  }

  /** Whether one of the caller's grants names `*`: then a server need not be known by name to be reached. */
  reachesAnyServer(c: Caller): boolean {
    for (const name of this.rolesOf(c)) {
      for (const g of this.model.roles.get(name)?.grants ?? []) {
        if (expandPatterns(g.servers, this.model.serverGroups).includes('*')) return true;
      }
    }
    return false;
  }

  groupNames(): string[] {
    return [...this.model.serverGroups.keys()].sort();
  }

  groupCovers(group: string, server: string): boolean {
    return (this.model.serverGroups.get(group) ?? []).some((p) => matchesServer(p, server));
  }

  /**
   * Whether the caller may use self-service for `action`: a member of the selfService block, or on a
   * platform it opens to everyone. Says why not otherwise.
   */
  selfService(c: Caller, action: SelfServiceAction): { allowed: true } | { allowed: false; reason: string } {
    const ss = this.model.selfService;
    if (!ss) return { allowed: false, reason: 'self-service is not set up here (the access file has no selfService block)' };
    if (!ss.everyone[c.platform] && !isMember(ss.members, c)) return { allowed: false, reason: 'self-service is not open to you (selfService → members in the access file)' };
    if (!ss.actions.includes(action)) return { allowed: false, reason: `self-service does not include "${action}" (selfService → actions: ${ss.actions.join(', ')})` };
    return { allowed: true };
  }

  /** Whether self-service covers the server (its names, globs, groups, or `*`). */
  selfServiceCovers(server: string, includeStar = true): boolean {
    const ss = this.model.selfService;
    if (!ss) return false;
    return expandPatterns(ss.servers, this.model.serverGroups).some((p) => (includeStar || p !== '*') && matchesServer(p, server));
  }

  /** The names a session's domain may have for the account's domain to match it (case-insensitive). */
  domainNames(domain: string): string[] {
    const key = domain.toUpperCase();
    return [key, ...(this.model.selfService?.domainAliases.get(key) ?? [])];
  }

  /** Every server named (not globbed) anywhere in the access file, lower-cased. */
  namedServers(): string[] {
    const names = new Set<string>();
    const add = (p: string): void => {
      if (!p.startsWith('@') && !isGlob(p)) names.add(p.toLowerCase());
    };
    for (const list of this.model.serverGroups.values()) list.forEach(add);
    for (const role of this.model.roles.values()) for (const g of role.grants) g.servers.forEach(add);
    this.model.selfService?.servers.forEach(add);
    return [...names].sort();
  }

  /** True when some grant's pattern (name, glob or group member) covers the server. */
  coversServer(server: string): boolean {
    if (this.selfServiceCovers(server, false)) return true;
    for (const role of this.model.roles.values()) {
      for (const g of role.grants) {
        if (expandPatterns(g.servers, this.model.serverGroups).some((p) => p !== '*' && matchesServer(p, server))) return true;
      }
    }
    return false;
  }
}

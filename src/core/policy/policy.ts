import { type Caller } from '../caller.js';
import type { Permission } from '../actions.js';
import { CONSOLE_CHANNEL, type AccessModel, type Grant, type Role, type RoleMembers, type SelfServiceAction } from './access-model.js';
import { requirementsOf, type Requirements } from './requirements.js';
import { expandPatterns, isGlob, matchesServer } from './server-patterns.js';

export type Decision =
  | { allowed: true; roles: readonly string[] }
  | {
      allowed: false;
      action: Permission;
      server: string;
      roles: readonly string[];
      reason: string;
      /** Channels where one of the caller's grants would have allowed it (the caller's channel excluded). */
      channels?: readonly string[];
    };

/** One of the caller's grants, with the role it comes from. */
export interface ApplicableGrant {
  role: string;
  grant: Grant;
}

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

/** Whether a grant applies where the caller is: everywhere, or in one of its channels. */
export function grantAppliesIn(g: Grant, c: Pick<Caller, 'platform' | 'channel'>): boolean {
  if (!g.channels) return true;
  if (c.platform === 'console') return g.channels.includes(CONSOLE_CHANNEL);
  return c.channel !== undefined && g.channels.includes(c.channel);
}

/**
 * Deny by default: a caller may do an action on a server only if one of their roles grants both, in a
 * grant that applies in the caller's channel. A grant may also ask for a reason or approvals.
 */
export class Policy {
  constructor(private readonly model: AccessModel) {}

  rolesOf(c: Caller): string[] {
    const names: string[] = [];
    for (const [name, role] of this.model.roles) if (isMember(role.members, c)) names.push(name);
    return names;
  }

  /** The caller's grants of `permission` on `server`, wherever they apply (channels not considered). */
  private grantsOf(c: Caller, permission: Permission, server: string): ApplicableGrant[] {
    const out: ApplicableGrant[] = [];
    for (const name of this.rolesOf(c)) {
      for (const grant of this.model.roles.get(name)?.grants ?? []) {
        if (!grant.actions.includes(permission)) continue;
        const patterns = expandPatterns(grant.servers, this.model.serverGroups);
        if (patterns.some((p) => matchesServer(p, server))) out.push({ role: name, grant });
      }
    }
    return out;
  }

  /** The caller's grants of `permission` on `server` that apply in the caller's channel. */
  applicableGrants(c: Caller, permission: Permission, server: string): ApplicableGrant[] {
    return this.grantsOf(c, permission, server).filter((g) => grantAppliesIn(g.grant, c));
  }

  authorize(c: Caller, action: Permission, server: string): Decision {
    const all = this.grantsOf(c, action, server);
    const roles = this.rolesOf(c);
    if (all.some((g) => grantAppliesIn(g.grant, c))) return { allowed: true, roles };
    if (all.length > 0) {
      const channels = [...new Set(all.flatMap((g) => g.grant.channels ?? []))].filter((ch) => ch !== c.channel);
      const from = [...new Set(all.map((g) => g.role))];
      const reason = `your role${from.length === 1 ? '' : 's'} (${from.join(', ')}) grant${from.length === 1 ? 's' : ''} "${action}" on ${server} only in other channels`;
      return { allowed: false, action, server, roles, reason, channels };
    }
    const reason =
      roles.length === 0
        ? 'you have no role in the access file'
        : `none of your roles (${roles.join(', ')}) grants "${action}" on ${server}`;
    return { allowed: false, action, server, roles, reason };
  }

  /** What the caller's applicable grants ask for before the permissions are used on the server. */
  requirements(c: Caller, permissions: readonly Permission[], server: string): Requirements {
    return requirementsOf(permissions.map((p) => this.applicableGrants(c, p, server).map((g) => g.grant)));
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

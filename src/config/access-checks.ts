import type { Permission } from '../core/actions.js';
import type { AccessModel, Grant, Role } from '../core/policy/access-model.js';

/** Chat platforms, where approvers press Approve: the console has no buttons. */
const CHAT = [
  { name: 'Slack', users: (r: Role) => r.members.slackUsers, groups: (r: Role) => r.members.slackUserGroups },
  { name: 'Discord', users: (r: Role) => r.members.discordUsers, groups: (r: Role) => r.members.discordRoles },
] as const;

const ACTING: readonly Permission[] = ['logoff', 'disconnect', 'message'];

function hasMembers(r: Role): boolean {
  const m = r.members;
  return [m.slackUsers, m.slackUserGroups, m.discordUsers, m.discordRoles, m.consoleUsers].some((l) => l.length > 0);
}

/** Whether some role grants one of `actions` on some server. */
function holdsAny(roles: readonly Role[], actions: readonly Permission[]): boolean {
  return roles.some((r) => r.grants.some((g) => g.actions.some((a) => actions.includes(a))));
}

/** People who could ever approve on one platform: a number, or Infinity when a group's size is not known here. */
function approversOn(model: AccessModel, g: Grant, platform: (typeof CHAT)[number]): number {
  const rule = g.approval;
  if (!rule) return 0;
  const byRoles = rule.by.map((n) => model.roles.get(n)).filter((r): r is Role => r !== undefined);
  if (byRoles.some((r) => platform.groups(r).length > 0)) return Infinity;
  const actions = g.actions.filter((a) => ACTING.includes(a));
  const held = actions.length > 0 ? actions : ACTING;
  const people = new Set<string>();
  for (const r of byRoles) {
    for (const user of platform.users(r)) {
      const theirs = [...model.roles.values()].filter((x) => platform.users(x).includes(user));
      if (holdsAny(theirs, held)) people.add(user);
    }
  }
  return people.size;
}

/**
 * What loads but cannot work as meant, for check-config: an approval no one could ever give. Each
 * message names the key, like the access file's own errors.
 */
export function accessProblems(model: AccessModel): string[] {
  const out: string[] = [];
  for (const [name, role] of model.roles) {
    role.grants.forEach((g, gi) => {
      const rule = g.approval;
      if (!rule) return;
      const key = `roles.${name}.grants[${gi}].approval`;
      rule.by.forEach((r, i) => {
        const approver = model.roles.get(r);
        if (approver && !hasMembers(approver)) out.push(`${key}.by[${i}]: role "${r}" has no members, so nobody can approve`);
      });
      const counts = CHAT.map((p) => [p.name, approversOn(model, g, p)] as const);
      const most = Math.max(...counts.map(([, n]) => n));
      if (rule.count > most) {
        const each = counts.map(([p, n]) => `${p} ${n}`).join(', ');
        out.push(`${key}.count: ${rule.count} approvals, but at most ${most} ${most === 1 ? 'person' : 'people'} in ${rule.by.join(', ')} could ever give one (${each}; each must also hold the action, and the console cannot approve)`);
      }
    });
  }
  return out;
}

/** `3 grants ask for approval, 1 for a reason, 2 are limited to channels` */
export function accessFeatures(model: AccessModel): string {
  const grants = [...model.roles.values()].flatMap((r) => r.grants);
  const n = (f: (g: Grant) => boolean): number => grants.filter(f).length;
  return `${n((g) => g.approval !== undefined)} grant(s) ask for approval, ${n((g) => g.reason !== undefined)} for a reason, ${n((g) => g.channels !== undefined)} limited to channels`;
}

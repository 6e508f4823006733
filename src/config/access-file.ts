import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkServerName } from '../core/grammar/hostname.js';
import { PERMISSIONS, type Permission } from '../core/actions.js';
import { CONSOLE_CHANNEL, type AccessModel, type ApprovalRule, type Grant as GrantModel, type ReasonRule, type Role, type RoleMembers } from '../core/policy/access-model.js';
import { ConfigError } from './config-error.js';
import { IdentitiesSection, IdentitySection, identityConfigFrom, identityExpectedKeys, type IdentityConfig } from '../identity/config.js';

// YAML turns an unquoted 18-digit Discord ID into an imprecise number: parse integers as BigInt.
const Id = z.union([z.string(), z.bigint(), z.number()]).transform((v) => String(v));
const IdList = z.array(Id).default([]);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// YAML integers arrive as BigInt (see Id): a count is read from either.
const Count = z
  .union([z.number(), z.bigint()])
  .transform((v) => Number(v))
  .pipe(z.number().int('a whole number of approvals, 1 to 3').min(1, 'at least 1 approval').max(3, 'at most 3 approvals'));

const Approval = z.strictObject({
  by: z.array(z.string()).min(1, 'name at least one role whose members may approve'),
  count: Count.default(1),
});

const Grant = z.strictObject({
  actions: z.array(z.enum([...PERMISSIONS, '*'])).min(1, 'list at least one action'),
  servers: z.array(z.string()).min(1, 'list at least one server, glob or @group'),
  approval: Approval.optional(),
  reason: z.literal('required', { error: 'the only value is "required" (leave reason out when none is needed)' }).optional(),
  reasonPattern: z.string().optional(),
  reasonExample: z.string().optional(),
  channels: z.array(Id).min(1, 'list at least one channel (Slack C…/G… ID, Discord channel ID, or console), or leave channels out to allow every channel').optional(),
});

const Members = z.strictObject({
  slackUsers: IdList,
  slackUserGroups: IdList,
  discordUsers: IdList,
  discordRoles: IdList,
  consoleUsers: z.array(z.string()).default([]),
});

const File = z.strictObject({
  serverGroups: z.record(z.string(), z.array(z.string())).default({}),
  roles: z.record(
    z.string(),
    z.strictObject({
      description: z.string().optional(),
      grants: z.array(Grant).min(1, 'a role needs at least one grant'),
      members: Members.default({ slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: [] }),
    }),
  ),
  identities: IdentitiesSection.optional(),
  identity: IdentitySection.optional(),
  selfService: z
    .strictObject({
      servers: z.array(z.string()).min(1, 'list at least one server, glob or @group'),
      actions: z.array(z.enum(['query', 'logoff', 'disconnect'])).min(1, 'list at least one of query, logoff, disconnect'),
      members: Members.default({ slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: [] }),
      everyone: z.strictObject({ slack: z.boolean().default(false), discord: z.boolean().default(false), console: z.boolean().default(false) }).default({ slack: false, discord: false, console: false }),
      domainAliases: z.record(z.string(), z.array(z.string())).default({}),
    })
    .optional(),
});

/** Everything the access file configures: the access model, and who "me" is for self-service. */
export interface AccessFileContents {
  access: AccessModel;
  identity: IdentityConfig;
}

const EXPECTED_KEYS: Record<string, string> = {
  '': 'serverGroups, roles, identities, identity, selfService',
  selfService: 'servers, actions, members, everyone, domainAliases',
  role: 'description, grants, members',
  grant: 'actions, servers, approval, reason, reasonPattern, reasonExample, channels',
  approval: 'by, count',
  members: 'slackUsers, slackUserGroups, discordUsers, discordRoles, consoleUsers',
};

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function expectedFor(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (path.length === 0) return EXPECTED_KEYS[''] ?? '';
  const identity = identityExpectedKeys(path);
  if (identity) return identity;
  if (path[0] === 'roles' && path.length === 2) return EXPECTED_KEYS.role ?? '';
  if (path[0] === 'selfService' && path.length === 1) return EXPECTED_KEYS.selfService ?? '';
  if (last === 'members') return EXPECTED_KEYS.members ?? '';
  if (last === 'approval') return EXPECTED_KEYS.approval ?? '';
  if (typeof last === 'number' && path.includes('grants')) return EXPECTED_KEYS.grant ?? '';
  return '';
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const expected = expectedFor(issue.path);
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    const at = issue.path.length ? `${where}: ` : '';
    return `${at}unknown key ${keys}${expected ? ` (expected ${expected})` : ''}`;
  }
  if (issue.code === 'invalid_value' && issue.path.includes('actions')) {
    return `${where}: not an action; use ${[...PERMISSIONS, '*'].join(', ')}`;
  }
  return `${where}: ${issue.message}`;
}

function checkPattern(p: string, key: string, groups: ReadonlySet<string>, allowGroups: boolean): void {
  if (p.startsWith('@')) {
    if (!allowGroups) throw new ConfigError(key, `"${p}": a server group cannot contain another group`);
    if (!groups.has(p.slice(1))) {
      throw new ConfigError(key, `no server group "${p.slice(1)}" (groups: ${[...groups].join(', ') || 'none defined'})`);
    }
    return;
  }
  if (p === '*') return;
  const plain = p.replace(/[*?]/g, 'a');
  if (!checkServerName(plain).ok) throw new ConfigError(key, `"${p}" is not a server name, glob (rds*) or @group`);
}

/** Reasons that serve as the usage message's example when the grant gives none: the first that matches its pattern. */
const EXAMPLE_REASONS = ['INC0012345 user stuck', 'RITM0012345 user stuck', 'CHG0012345 user stuck', 'REQ0012345 user stuck', 'user stuck, asked by phone'];

const CHANNEL = /^(?:[CGD][A-Z0-9]{2,}|\d{15,21})$/;
/** Permissions an approval or a reason can hold up: the acting ones (query is never held up; force only skips a confirmation). */
const HELD_UP: readonly string[] = ['logoff', 'disconnect', 'message', 'bulk'];

type GrantInput = z.infer<typeof Grant>;

function compilePattern(source: string, key: string): RegExp {
  try {
    return new RegExp(source);
  } catch (e) {
    throw new ConfigError(key, `"${source}" is not a regular expression that compiles (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`);
  }
}

function reasonRule(g: GrantInput, key: string): ReasonRule | undefined {
  if (g.reason === undefined && g.reasonPattern === undefined) {
    if (g.reasonExample !== undefined) throw new ConfigError(`${key}.reasonExample`, 'only goes with reason: required or reasonPattern');
    return undefined;
  }
  const pattern = g.reasonPattern === undefined ? undefined : compilePattern(g.reasonPattern, `${key}.reasonPattern`);
  if (g.reasonExample !== undefined) {
    if (g.reasonExample.trim() === '') throw new ConfigError(`${key}.reasonExample`, 'is empty; give a reason that would be accepted');
    if (pattern && !pattern.test(g.reasonExample)) throw new ConfigError(`${key}.reasonExample`, `"${g.reasonExample}" does not match reasonPattern ${pattern.source}`);
    return pattern ? { pattern, example: g.reasonExample } : { example: g.reasonExample };
  }
  const example = EXAMPLE_REASONS.find((r) => !pattern || pattern.test(r));
  if (!example) throw new ConfigError(`${key}.reasonExample`, `give an example reason that matches reasonPattern ${pattern?.source ?? ''}: the usage message shows it to people who left the reason out`);
  return pattern ? { pattern, example } : { example };
}

function approvalRule(g: GrantInput, key: string, roleNames: ReadonlySet<string>): ApprovalRule | undefined {
  if (!g.approval) return undefined;
  g.approval.by.forEach((r, i) => {
    if (!roleNames.has(r)) throw new ConfigError(`${key}.approval.by[${i}]`, `no role "${r}" (roles: ${[...roleNames].join(', ')})`);
  });
  return { by: [...new Set(g.approval.by)], count: g.approval.count };
}

function checkChannels(list: readonly string[], key: string): void {
  list.forEach((c, i) => {
    if (c !== CONSOLE_CHANNEL && !CHANNEL.test(c)) {
      throw new ConfigError(`${key}[${i}]`, `"${c}" is not a channel: use a Slack channel ID (C… or G…; channel details → Copy channel ID), a Discord channel ID (Developer Mode → Copy Channel ID), or console`);
    }
  });
}

function grantOf(g: GrantInput, key: string, roleNames: ReadonlySet<string>): GrantModel {
  const grant: GrantModel = {
    actions: g.actions.includes('*') ? [...PERMISSIONS] : (g.actions.filter((a) => a !== '*') as Permission[]),
    servers: g.servers,
  };
  const approval = approvalRule(g, key, roleNames);
  const reason = reasonRule(g, key);
  if ((approval || reason) && !grant.actions.some((a) => HELD_UP.includes(a))) {
    throw new ConfigError(`${key}.${approval ? 'approval' : 'reason'}`, `holds up logoff, disconnect, message and bulk only; this grant gives ${grant.actions.join(', ')}`);
  }
  if (approval) grant.approval = approval;
  if (reason) grant.reason = reason;
  if (g.channels) {
    checkChannels(g.channels, `${key}.channels`);
    grant.channels = [...new Set(g.channels)];
  }
  return grant;
}

function checkIds(list: readonly string[], key: string, re: RegExp, what: string): void {
  list.forEach((id, i) => {
    if (!re.test(id)) throw new ConfigError(`${key}[${i}]`, `"${id}" is not ${what}`);
  });
}

function checkMembers(m: RoleMembers, key: string): void {
  checkIds(m.slackUsers, `${key}.slackUsers`, /^[UW][A-Z0-9]{2,}$/, 'a Slack user ID (U… or W…, from the profile → ⋮ → Copy member ID)');
  checkIds(m.slackUserGroups, `${key}.slackUserGroups`, /^S[A-Z0-9]{2,}$/, 'a Slack user-group ID (S…)');
  checkIds(m.discordUsers, `${key}.discordUsers`, /^\d{15,21}$/, 'a Discord user ID (a 17–20 digit snowflake; Developer Mode → Copy User ID)');
  checkIds(m.discordRoles, `${key}.discordRoles`, /^\d{15,21}$/, 'a Discord role ID (a 17–20 digit snowflake)');
}

/** Validates parsed content into the access model; every error names the key at fault. */
export function buildAccessModel(content: unknown): AccessModel {
  return parseAccessFile(content).access;
}

/** Validates parsed content; every error names the key at fault. A relative identity.ldap.caFile is taken from baseDir. */
export function parseAccessFile(content: unknown, baseDir = process.cwd()): AccessFileContents {
  const parsed = File.safeParse(content ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError('access file', first ? issueMessage(first) : 'invalid');
  }
  const data = parsed.data;
  const groupNames = new Set(Object.keys(data.serverGroups));
  const serverGroups = new Map<string, string[]>();
  for (const [name, list] of Object.entries(data.serverGroups)) {
    if (!NAME.test(name)) throw new ConfigError(`serverGroups.${name}`, 'a group name uses letters, digits, "-", "_" and "."');
    list.forEach((p, i) => checkPattern(p, `serverGroups.${name}[${i}]`, groupNames, false));
    serverGroups.set(name, list);
  }
  const roles = new Map<string, Role>();
  const roleNames = new Set(Object.keys(data.roles));
  for (const [name, role] of Object.entries(data.roles)) {
    if (!NAME.test(name)) throw new ConfigError(`roles.${name}`, 'a role name uses letters, digits, "-", "_" and "."');
    role.grants.forEach((g, gi) => g.servers.forEach((p, i) => checkPattern(p, `roles.${name}.grants[${gi}].servers[${i}]`, groupNames, true)));
    const m = role.members;
    checkMembers(m, `roles.${name}.members`);
    const grants = role.grants.map((g, gi) => grantOf(g, `roles.${name}.grants[${gi}]`, roleNames));
    const members: RoleMembers = m;
    roles.set(name, { grants, members });
  }
  const access: AccessModel = { serverGroups, roles };
  if (data.selfService) {
    const ss = data.selfService;
    ss.servers.forEach((p, i) => checkPattern(p, `selfService.servers[${i}]`, groupNames, true));
    checkMembers(ss.members, 'selfService.members');
    const domainAliases = new Map<string, string[]>();
    for (const [domain, names] of Object.entries(ss.domainAliases)) domainAliases.set(domain.toUpperCase(), names.map((n) => n.toUpperCase()));
    access.selfService = { servers: ss.servers, actions: [...new Set(ss.actions)], members: ss.members, everyone: ss.everyone, domainAliases };
  }
  return { access, identity: identityConfigFrom(data.identities, data.identity, baseDir) };
}

/** Reads a YAML (.yaml/.yml) or JSON (.json) access file. */
export async function loadAccessFile(path: string): Promise<AccessModel> {
  return (await loadAccessFileContents(path)).access;
}

/** Reads a YAML (.yaml/.yml) or JSON (.json) access file: the access model and the identity configuration. */
export async function loadAccessFileContents(path: string): Promise<AccessFileContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError('RWINSTA_ACCESS_FILE', `cannot read ${path} (${code ?? String(e)})`);
  }
  let content: unknown;
  try {
    content = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { intAsBigInt: true });
  } catch (e) {
    throw new ConfigError('RWINSTA_ACCESS_FILE', `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return parseAccessFile(content, dirname(path));
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${path}: ${e.key}`, e.message.slice(e.key.length + 2));
    throw e;
  }
}

/** Out of the box: any console user may do everything, on the simulated fleet's servers only. */
export function demoAccessModel(servers: readonly string[]): AccessModel {
  const role: Role = {
    grants: [{ actions: [...PERMISSIONS], servers: [...servers] }],
    members: { slackUsers: [], slackUserGroups: [], discordUsers: [], discordRoles: [], consoleUsers: ['*'] },
  };
  return { serverGroups: new Map(), roles: new Map([['demo-console', role]]) };
}

export function emptyAccessModel(): AccessModel {
  return { serverGroups: new Map(), roles: new Map() };
}

import { isAbsolute, resolve } from 'node:path';
import { FilterParser } from 'ldapts';
import { z } from 'zod';
import type { Platform } from '../core/caller.js';
import type { WindowsAccount } from '../core/ports/identity.js';
import { ConfigError } from '../config/config-error.js';
import { domainProblem, parseWindowsAccount } from './windows-account.js';

export const RESOLVER_NAMES = ['map', 'ldap', 'emailRule'] as const;
export type ResolverName = (typeof RESOLVER_NAMES)[number];

/** directory.md: people, not computers or contacts, and not disabled (userAccountControl bit 0x2). */
export const AD_OBJECT_FILTER = '(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))';
export const AD_EMAIL_ATTRIBUTES = ['mail', 'userPrincipalName', 'proxyAddresses'] as const;

export interface LdapConfig {
  /** ldaps://host[:port] or ldap://host[:port]. */
  url: string;
  baseDN: string;
  /** The NetBIOS domain the resolved account gets (CORP). */
  domain: string;
  loginAttribute: string;
  emailAttributes: readonly string[];
  /** Selects the entries that are people who may log on; the email terms are ANDed to it. */
  objectFilter: string;
  /** How the connection is protected: ldaps://, StartTLS on ldap://, or (lab only) not at all. */
  tls: 'ldaps' | 'startTLS' | 'none';
  /** PEM file of the CA that signed the directory's certificate (absolute path); default: Node's CA list. */
  caFile?: string;
  connectTimeoutMs: number;
  timeoutMs: number;
}

export interface EmailRuleConfig {
  domain: string;
  /** Only emails in these DNS domains count; the rule does not apply to anyone else. */
  emailDomains: readonly string[];
}

/** The access file's `identities:` and `identity:`: who "me" is, for self-service. */
export interface IdentityConfig {
  /** In the order they are asked. */
  resolvers: readonly ResolverName[];
  map: Readonly<Record<Platform, ReadonlyMap<string, WindowsAccount>>>;
  ldap?: LdapConfig;
  emailRule?: EmailRuleConfig;
  cacheMs: number;
  negativeCacheMs: number;
  cacheEntries: number;
}

export function emptyIdentityConfig(): IdentityConfig {
  return { resolvers: ['map'], map: { slack: new Map(), discord: new Map(), console: new Map() }, cacheMs: 600_000, negativeCacheMs: 60_000, cacheEntries: 10_000 };
}

// YAML integers arrive as BigInt (the access file is parsed with intAsBigInt).
const whole = (min: number, max: number, fallback: number) =>
  z
    .union([z.number(), z.bigint()])
    .transform(Number)
    .pipe(z.number().int(`a whole number from ${min} to ${max}`).min(min, `a whole number from ${min} to ${max}`).max(max, `a whole number from ${min} to ${max}`))
    .default(fallback);

const Accounts = z.record(z.string(), z.string('write DOMAIN\\login, e.g. CORP\\jdoe')).default({});

export const IdentitiesSection = z.strictObject({ slack: Accounts, discord: Accounts, console: Accounts });

const LdapSection = z.strictObject({
  url: z.string(),
  baseDN: z.string().min(1, 'the DN searches start from, e.g. DC=corp,DC=example,DC=com'),
  domain: z.string(),
  loginAttribute: z.string().default('sAMAccountName'),
  emailAttributes: z.array(z.string()).min(1, 'list at least one attribute').default([...AD_EMAIL_ATTRIBUTES]),
  filter: z.string().default(AD_OBJECT_FILTER),
  startTLS: z.boolean().default(false),
  allowPlaintext: z.boolean().default(false),
  caFile: z.string().optional(),
  connectTimeoutSeconds: whole(1, 60, 5),
  timeoutSeconds: whole(1, 120, 10),
});

const EmailRuleSection = z.strictObject({
  domain: z.string(),
  emailDomains: z.array(z.string()).min(1, 'list the email domains the rule applies to, e.g. [corp.example.com]'),
});

export const IdentitySection = z.strictObject({
  resolvers: z.array(z.enum(RESOLVER_NAMES, `not a resolver; use ${RESOLVER_NAMES.join(', ')}`)).default(['map']),
  cacheSeconds: whole(0, 86_400, 600),
  negativeCacheSeconds: whole(0, 86_400, 60),
  cacheEntries: whole(1, 1_000_000, 10_000),
  ldap: LdapSection.optional(),
  emailRule: EmailRuleSection.optional(),
});

/** For the access file's "unknown key" messages: the keys allowed where an identity key was wrong. */
export function identityExpectedKeys(path: readonly PropertyKey[]): string | undefined {
  const at = path.join('.');
  if (at === 'identities') return 'slack, discord, console';
  if (at === 'identity') return 'resolvers, cacheSeconds, negativeCacheSeconds, cacheEntries, ldap, emailRule';
  if (at === 'identity.ldap') return 'url, baseDN, domain, loginAttribute, emailAttributes, filter, startTLS, allowPlaintext, caFile, connectTimeoutSeconds, timeoutSeconds';
  if (at === 'identity.emailRule') return 'domain, emailDomains';
  return undefined;
}

const USER_ID: Record<Platform, { re: RegExp; what: string }> = {
  slack: { re: /^[UW][A-Z0-9]{2,}$/, what: 'a Slack user ID (U… or W…, from the profile → ⋮ → Copy member ID)' },
  discord: { re: /^\d{15,21}$/, what: 'a Discord user ID (a 17–20 digit snowflake; Developer Mode → Copy User ID)' },
  console: { re: /^\S(.*\S)?$/, what: 'a console user name' },
};

const ATTRIBUTE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)$/;
const EMAIL_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Whether the filter parses, and its parentheses close exactly at the end (the parser alone lets a missing one pass). */
function filterProblem(filter: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    depth += filter[i] === '(' ? 1 : filter[i] === ')' ? -1 : 0;
    if (depth < 0 || (depth === 0 && i < filter.length - 1)) return `a parenthesis closes too early at character ${i + 1}`;
  }
  if (depth !== 0) return 'a parenthesis is not closed';
  try {
    FilterParser.parseString(filter);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function mapFrom(section: z.infer<typeof IdentitiesSection> | undefined): IdentityConfig['map'] {
  const map = emptyIdentityConfig().map;
  for (const platform of ['slack', 'discord', 'console'] as const) {
    const target = map[platform] as Map<string, WindowsAccount>;
    for (const [id, text] of Object.entries(section?.[platform] ?? {})) {
      const key = `identities.${platform}.${id}`;
      if (!USER_ID[platform].re.test(id)) throw new ConfigError(key, `"${id}" is not ${USER_ID[platform].what}`);
      const account = parseWindowsAccount(text);
      if (typeof account === 'string') throw new ConfigError(key, account);
      target.set(id, account);
    }
  }
  return map;
}

function checkDomain(domain: string, key: string): string {
  const problem = domainProblem(domain);
  if (problem) throw new ConfigError(key, `"${domain}": ${problem}`);
  return domain;
}

function checkAttribute(name: string, key: string): string {
  if (!ATTRIBUTE.test(name)) throw new ConfigError(key, `"${name}" is not an LDAP attribute name`);
  return name;
}

function ldapFrom(s: z.infer<typeof LdapSection>, baseDir: string): LdapConfig {
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    throw new ConfigError('identity.ldap.url', `"${s.url}" is not a URL; write ldaps://dc01.corp.example.com (or ldap://… with startTLS: true)`);
  }
  if ((url.protocol !== 'ldap:' && url.protocol !== 'ldaps:') || !url.hostname || url.username || url.search || url.hash || (url.pathname && url.pathname !== '/')) {
    throw new ConfigError('identity.ldap.url', `"${s.url}" is not ldaps://host[:port] or ldap://host[:port] (no path, no query, no user)`);
  }
  const ldaps = url.protocol === 'ldaps:';
  if (ldaps && s.startTLS) throw new ConfigError('identity.ldap.startTLS', 'ldaps:// is already TLS: remove startTLS, or use ldap:// with startTLS');
  if (!ldaps && !s.startTLS && !s.allowPlaintext) {
    throw new ConfigError('identity.ldap.url', `${s.url} would send the bind password in clear text: use ldaps:// (port 636) or startTLS: true (port 389); only a lab directory may set allowPlaintext: true`);
  }
  if (!s.filter.startsWith('(') || !s.filter.endsWith(')')) throw new ConfigError('identity.ldap.filter', 'an LDAP filter in parentheses, e.g. (&(objectClass=user)(objectCategory=person))');
  const problem = filterProblem(s.filter);
  if (problem) throw new ConfigError('identity.ldap.filter', `not a valid LDAP filter (${problem})`);
  const config: LdapConfig = {
    url: `${url.protocol}//${url.host}`,
    baseDN: s.baseDN,
    domain: checkDomain(s.domain, 'identity.ldap.domain'),
    loginAttribute: checkAttribute(s.loginAttribute, 'identity.ldap.loginAttribute'),
    emailAttributes: s.emailAttributes.map((a, i) => checkAttribute(a, `identity.ldap.emailAttributes[${i}]`)),
    objectFilter: s.filter,
    tls: ldaps ? 'ldaps' : s.startTLS ? 'startTLS' : 'none',
    connectTimeoutMs: s.connectTimeoutSeconds * 1000,
    timeoutMs: s.timeoutSeconds * 1000,
  };
  if (s.caFile !== undefined) {
    if (config.tls === 'none') throw new ConfigError('identity.ldap.caFile', 'a CA file needs TLS: use ldaps:// or startTLS: true');
    config.caFile = isAbsolute(s.caFile) ? s.caFile : resolve(baseDir, s.caFile);
  }
  return config;
}

function emailRuleFrom(s: z.infer<typeof EmailRuleSection>): EmailRuleConfig {
  const emailDomains = s.emailDomains.map((d, i) => {
    const v = d.trim().toLowerCase().replace(/^@/, '');
    if (!EMAIL_DOMAIN.test(v)) throw new ConfigError(`identity.emailRule.emailDomains[${i}]`, `"${d}" is not a DNS domain such as corp.example.com`);
    return v;
  });
  return { domain: checkDomain(s.domain, 'identity.emailRule.domain'), emailDomains };
}

/**
 * The identity configuration from the access file's sections (already shape-checked by the schemas
 * above); every error names the key at fault. A relative caFile is taken from `baseDir`, the access
 * file's folder.
 */
export function identityConfigFrom(
  identities: z.infer<typeof IdentitiesSection> | undefined,
  identity: z.infer<typeof IdentitySection> | undefined,
  baseDir: string,
): IdentityConfig {
  const s = identity ?? IdentitySection.parse({});
  const seen = new Set<ResolverName>();
  s.resolvers.forEach((r, i) => {
    if (seen.has(r)) throw new ConfigError(`identity.resolvers[${i}]`, `"${r}" is listed twice`);
    seen.add(r);
  });
  for (const name of ['ldap', 'emailRule'] as const) {
    if (seen.has(name) && !s[name]) throw new ConfigError('identity.resolvers', `"${name}" is listed but there is no identity.${name} block`);
    if (!seen.has(name) && s[name]) throw new ConfigError(`identity.${name}`, `the block is there but identity.resolvers does not list "${name}": add it, or remove the block`);
  }
  if (identities && !seen.has('map')) throw new ConfigError('identities', 'accounts are listed but identity.resolvers does not list "map": add it, or remove identities');
  const config: IdentityConfig = {
    resolvers: s.resolvers,
    map: mapFrom(identities),
    cacheMs: s.cacheSeconds * 1000,
    negativeCacheMs: s.negativeCacheSeconds * 1000,
    cacheEntries: s.cacheEntries,
  };
  if (s.ldap) config.ldap = ldapFrom(s.ldap, baseDir);
  if (s.emailRule) config.emailRule = emailRuleFrom(s.emailRule);
  return config;
}

import { readFileSync } from 'node:fs';
import type { IdentityResolver } from '../core/ports/identity.js';
import { ConfigError } from '../config/config-error.js';
import { readString, type Env } from '../config/env-readers.js';
import { CachedIdentityResolver } from './cache.js';
import { ResolverChain } from './chain.js';
import type { IdentityConfig, ResolverName } from './config.js';
import { EmailRuleResolver } from './email-rule.js';
import { ExplicitMapResolver } from './explicit-map.js';
import { LdapResolver, type IdentityLog, type LdapCredentials } from './ldap-resolver.js';

export const BIND_DN_VARIABLE = 'RWINSTA_LDAP_BIND_DN';
export const BIND_PASSWORD_VARIABLE = 'RWINSTA_LDAP_BIND_PASSWORD';

export interface BuildIdentityOptions {
  now?: () => number;
}

function credentialsFrom(env: Env): LdapCredentials {
  const bindDN = readString(env, BIND_DN_VARIABLE);
  if (!bindDN) throw new ConfigError(BIND_DN_VARIABLE, 'identity.resolvers lists ldap: set the DN (CN=svc-rwinsta,OU=Service Accounts,DC=corp,DC=example,DC=com) or UPN (svc-rwinsta@corp.example.com) of the account the bot binds as');
  // Not trimmed: a password may begin or end with a space.
  const password = env[BIND_PASSWORD_VARIABLE];
  if (!password) throw new ConfigError(BIND_PASSWORD_VARIABLE, `identity.resolvers lists ldap: set the password of ${BIND_DN_VARIABLE}'s account`);
  return { bindDN, password };
}

function readCa(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError('identity.ldap.caFile', `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Whether some resolver works from the caller's email (so the Slack adapter must look it up: users:read.email). */
export function identityNeedsEmail(config: IdentityConfig): boolean {
  return config.resolvers.some((r) => r === 'ldap' || r === 'emailRule');
}

/**
 * The resolver chain the access file configures, behind a cache: the IdentityResolver the core
 * asks who "me" is. Throws ConfigError when the LDAP resolver lacks its credentials or CA file.
 */
export function buildIdentityResolver(config: IdentityConfig, env: Env, log: IdentityLog, options: BuildIdentityOptions = {}): IdentityResolver {
  const build: Record<ResolverName, () => IdentityResolver> = {
    map: () => new ExplicitMapResolver(config.map),
    ldap: () => {
      const ldap = config.ldap;
      if (!ldap) throw new ConfigError('identity.ldap', 'identity.resolvers lists ldap but there is no identity.ldap block');
      const credentials = credentialsFrom(env);
      return new LdapResolver({ config: ldap, credentials, log, ca: ldap.caFile ? readCa(ldap.caFile) : undefined, now: options.now });
    },
    emailRule: () => {
      if (!config.emailRule) throw new ConfigError('identity.emailRule', 'identity.resolvers lists emailRule but there is no identity.emailRule block');
      return new EmailRuleResolver(config.emailRule);
    },
  };
  const chain = new ResolverChain(config.resolvers.map((r) => build[r]()));
  return new CachedIdentityResolver(chain, { positiveMs: config.cacheMs, negativeMs: config.negativeCacheMs, maxEntries: config.cacheEntries, now: options.now });
}

/** For check-config: one line per resolver, in the order they are asked, and the cache. */
export function describeIdentity(config: IdentityConfig, env: Env): string[] {
  const lines = config.resolvers.map((r, i) => {
    if (r === 'map') {
      const counts = (['slack', 'discord', 'console'] as const).map((p) => `${config.map[p].size} ${p}`).join(', ');
      return `${i + 1}. map: the access file's identities (${counts})`;
    }
    if (r === 'ldap' && config.ldap) {
      const l = config.ldap;
      const tls = l.tls === 'ldaps' ? 'ldaps' : l.tls === 'startTLS' ? 'StartTLS' : 'NO TLS (allowPlaintext)';
      const bind = readString(env, BIND_DN_VARIABLE) ? `bind as ${readString(env, BIND_DN_VARIABLE)}` : `${BIND_DN_VARIABLE} NOT SET`;
      return `${i + 1}. ldap: ${l.url} (${tls}${l.caFile ? `, CA ${l.caFile}` : ''}), ${bind}; ${l.emailAttributes.join('/')} under ${l.baseDN} → ${l.domain}\\<${l.loginAttribute}>`;
    }
    if (r === 'emailRule' && config.emailRule) return `${i + 1}. emailRule (weaker): <login>@${config.emailRule.emailDomains.join('|')} → ${config.emailRule.domain}\\<login>`;
    return `${i + 1}. ${r}`;
  });
  lines.push(`cache: found ${config.cacheMs / 1000} s, refused ${config.negativeCacheMs / 1000} s, at most ${config.cacheEntries} people`);
  return lines;
}

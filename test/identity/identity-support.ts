import { parseAccessFile } from '../../src/config/access-file.js';
import type { Caller, Platform } from '../../src/core/caller.js';
import type { IdentityHints } from '../../src/core/ports/identity.js';
import type { IdentityConfig, LdapConfig } from '../../src/identity/config.js';
import { LdapResolver, type LdapResolverOptions } from '../../src/identity/ldap-resolver.js';

export function caller(platform: Platform, userId: string): Caller {
  return { platform, userId, userName: userId, groups: [] };
}

/** Hints as the Slack adapter gives them; `calls` counts how often the email was asked for. */
export function emailHints(email: string | undefined): IdentityHints & { calls: number } {
  const hints = {
    calls: 0,
    email: () => {
      hints.calls++;
      return Promise.resolve(email);
    },
  };
  return hints;
}

/** Discord and the console: no email. */
export const NO_HINTS: IdentityHints = {};

/** The identity configuration an access file with these sections gives. */
export function identityConfig(sections: { identities?: object; identity?: object }): IdentityConfig {
  return parseAccessFile({ roles: {}, ...sections }, '/etc/rwinsta').identity;
}

/** identity.ldap as the access file would give it, AD defaults unless overridden. */
export function ldapConfig(ldap: object): LdapConfig {
  const c = identityConfig({ identity: { resolvers: ['ldap'], ldap: { baseDN: 'dc=corp,dc=example', domain: 'CORP', ...ldap } } }).ldap;
  if (!c) throw new Error('no ldap config');
  return c;
}

export interface MemoryLog {
  lines: string[];
  warn(message: string): void;
}

export function memoryLog(): MemoryLog {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(m) };
}

export function ldapResolver(ldap: object, options: Partial<LdapResolverOptions> & Pick<LdapResolverOptions, 'credentials'>): { resolver: LdapResolver; log: MemoryLog } {
  const log = memoryLog();
  return { resolver: new LdapResolver({ config: ldapConfig(ldap), log, ...options }), log };
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAccessFileContents, parseAccessFile } from '../../src/config/access-file.js';
import { ConfigError } from '../../src/config/config-error.js';
import { buildIdentityResolver, describeIdentity, identityNeedsEmail } from '../../src/identity/build.js';
import { AD_OBJECT_FILTER } from '../../src/identity/config.js';
import { identityConfig, memoryLog } from './identity-support.js';

function problem(sections: object): string {
  try {
    parseAccessFile({ roles: {}, ...sections });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const LDAP = { url: 'ldaps://dc01.corp.example.com', baseDN: 'DC=corp,DC=example,DC=com', domain: 'CORP' };
const withLdap = (ldap: object) => ({ identity: { resolvers: ['ldap'], ldap: { ...LDAP, ...ldap } } });

describe('identities and identity in the access file', () => {
  it('defaults: the map alone, AD attributes for LDAP, ten minutes found, one minute refused', () => {
    const c = identityConfig(withLdap({}));
    expect(c.ldap).toEqual({
      url: 'ldaps://dc01.corp.example.com',
      baseDN: 'DC=corp,DC=example,DC=com',
      domain: 'CORP',
      loginAttribute: 'sAMAccountName',
      emailAttributes: ['mail', 'userPrincipalName', 'proxyAddresses'],
      objectFilter: AD_OBJECT_FILTER,
      tls: 'ldaps',
      connectTimeoutMs: 5000,
      timeoutMs: 10_000,
    });
    expect(c).toMatchObject({ cacheMs: 600_000, negativeCacheMs: 60_000, cacheEntries: 10_000 });
    expect(identityConfig({}).resolvers).toEqual(['map']);
  });

  it('takes a relative caFile from the access file folder', () => {
    expect(identityConfig(withLdap({ caFile: 'corp-ca.pem' })).ldap?.caFile).toBe('/etc/rwinsta/corp-ca.pem');
    expect(identityConfig(withLdap({ url: 'ldap://dc01:389', startTLS: true, caFile: '/x/ca.pem' })).ldap).toMatchObject({ tls: 'startTLS', caFile: '/x/ca.pem' });
  });

  it.each([
    [{ identities: { slack: { jdoe: 'CORP\\jdoe' } } }, /identities\.slack\.jdoe: "jdoe" is not a Slack user ID/],
    [{ identities: { discord: { '12': 'CORP\\jdoe' } } }, /identities\.discord\.12: "12" is not a Discord user ID/],
    [{ identities: { slack: { U0JDOE: 'jdoe' } } }, /identities\.slack\.U0JDOE: "jdoe" is not DOMAIN\\login/],
    [{ identities: { teams: {} } }, /identities: unknown key "teams" \(expected slack, discord, console\)/],
    [{ identities: { slack: { U0JDOE: 42 } } }, /identities\.slack\.U0JDOE: write DOMAIN\\login/],
    [{ identities: {}, identity: { resolvers: ['ldap'], ldap: LDAP } }, /identities: accounts are listed but identity\.resolvers does not list "map"/],
    [{ identity: { resolvers: ['map', 'ad'] } }, /identity\.resolvers\[1\]: not a resolver; use map, ldap, emailRule/],
    [{ identity: { resolvers: ['map', 'map'] } }, /identity\.resolvers\[1\]: "map" is listed twice/],
    [{ identity: { resolvers: ['ldap'] } }, /identity\.resolvers: "ldap" is listed but there is no identity\.ldap block/],
    [{ identity: { resolvers: ['map'], emailRule: { domain: 'CORP', emailDomains: ['corp.example.com'] } } }, /identity\.emailRule: the block is there but identity\.resolvers does not list "emailRule"/],
    [{ identity: { cacheSeconds: -1 } }, /identity\.cacheSeconds: a whole number from 0 to 86400/],
    [{ identity: { cachSeconds: 1 } }, /identity: unknown key "cachSeconds" \(expected resolvers, cacheSeconds/],
    [withLdap({ bindPassword: 'x' }), /identity\.ldap: unknown key "bindPassword" \(expected url, baseDN, domain/],
    [withLdap({ url: 'https://dc01' }), /identity\.ldap\.url: "https:\/\/dc01" is not ldaps:\/\/host\[:port\]/],
    [withLdap({ url: 'ldap://dc01' }), /identity\.ldap\.url: ldap:\/\/dc01 would send the bind password in clear text: use ldaps:\/\/ \(port 636\) or startTLS: true/],
    [withLdap({ startTLS: true }), /identity\.ldap\.startTLS: ldaps:\/\/ is already TLS/],
    [withLdap({ url: 'ldap://dc01', allowPlaintext: true, caFile: 'ca.pem' }), /identity\.ldap\.caFile: a CA file needs TLS/],
    [withLdap({ filter: '(&(objectClass=user)' }), /identity\.ldap\.filter: not a valid LDAP filter/],
    [withLdap({ filter: 'objectClass=user' }), /identity\.ldap\.filter: an LDAP filter in parentheses/],
    [withLdap({ loginAttribute: 'sam account' }), /identity\.ldap\.loginAttribute: "sam account" is not an LDAP attribute name/],
    [withLdap({ domain: 'CORP\\' }), /identity\.ldap\.domain: "CORP\\": a domain is a NetBIOS name/],
    [withLdap({ timeoutSeconds: 0 }), /identity\.ldap\.timeoutSeconds: a whole number from 1 to 120/],
    [{ identity: { resolvers: ['emailRule'], emailRule: { domain: 'CORP' } } }, /identity\.emailRule\.emailDomains: /],
    [{ identity: { resolvers: ['emailRule'], emailRule: { domain: 'CORP', emailDomains: ['corp'] } } }, /identity\.emailRule\.emailDomains\[0\]: "corp" is not a DNS domain/],
  ])('%j → %s', (sections, message) => {
    expect(problem(sections)).toMatch(message);
  });

  it('reads a YAML file: unquoted Discord IDs stay exact, CORP\\jdoe unquoted, YAML integers for seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rwinsta-identity-'));
    const path = join(dir, 'access.yaml');
    writeFileSync(
      path,
      [
        'roles: {}',
        'identities:',
        '  slack: { U0JDOE: CORP\\jdoe }',
        '  discord:',
        '    123456789012345678: CORP\\jdoe',
        '  console:',
        "    alice: 'CORP\\alice'",
        'identity:',
        '  resolvers: [map, ldap]',
        '  cacheSeconds: 300',
        '  ldap:',
        '    url: ldaps://dc01.corp.example.com',
        '    baseDN: DC=corp,DC=example,DC=com',
        '    domain: CORP',
        '    caFile: ca.pem',
        '',
      ].join('\n'),
    );
    const { identity } = await loadAccessFileContents(path);
    expect(identity.map.discord.get('123456789012345678')).toEqual({ domain: 'CORP', user: 'jdoe' });
    expect(identity.map.console.get('alice')).toEqual({ domain: 'CORP', user: 'alice' });
    expect(identity.cacheMs).toBe(300_000);
    expect(identity.ldap?.caFile).toBe(join(dir, 'ca.pem'));
    writeFileSync(path, 'roles: {}\nidentities:\n  slack: { U0JDOE: "CORP\\\\\\\\jdoe" }\n');
    await expect(loadAccessFileContents(path)).rejects.toThrow(/access\.yaml: identities\.slack\.U0JDOE: "CORP\\\\jdoe" has more than one backslash/);
  });
});

describe('building the resolver', () => {
  const ldapConfig = identityConfig(withLdap({}));

  it('needs the bind DN and password from the environment when ldap is on', () => {
    expect(() => buildIdentityResolver(ldapConfig, {}, memoryLog())).toThrow(/RWINSTA_LDAP_BIND_DN: identity\.resolvers lists ldap: set the DN/);
    expect(() => buildIdentityResolver(ldapConfig, { RWINSTA_LDAP_BIND_DN: 'svc@corp.example.com' }, memoryLog())).toThrow(/RWINSTA_LDAP_BIND_PASSWORD: identity\.resolvers lists ldap/);
    expect(() => buildIdentityResolver(identityConfig({}), {}, memoryLog())).not.toThrow();
  });

  it('names an unreadable CA file', () => {
    const c = identityConfig(withLdap({ caFile: '/nonexistent/ca.pem' }));
    expect(() => buildIdentityResolver(c, { RWINSTA_LDAP_BIND_DN: 'svc@corp.example.com', RWINSTA_LDAP_BIND_PASSWORD: 'pw' }, memoryLog())).toThrow(/identity\.ldap\.caFile: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/);
  });

  it('says which resolvers need an email, and describes the chain without the password', () => {
    expect(identityNeedsEmail(ldapConfig)).toBe(true);
    expect(identityNeedsEmail(identityConfig({}))).toBe(false);
    const lines = describeIdentity(ldapConfig, { RWINSTA_LDAP_BIND_DN: 'svc@corp.example.com', RWINSTA_LDAP_BIND_PASSWORD: 'S3cret' });
    expect(lines[0]).toBe('1. ldap: ldaps://dc01.corp.example.com (ldaps), bind as svc@corp.example.com; mail/userPrincipalName/proxyAddresses under DC=corp,DC=example,DC=com → CORP\\<sAMAccountName>');
    expect(lines.join('\n')).not.toContain('S3cret');
  });
});

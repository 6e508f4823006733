import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IdentityResolution } from '../../src/core/ports/identity.js';
import { buildIdentityResolver } from '../../src/identity/build.js';
import { freePort, SERVICE, skipWithoutSlapd, Slapd, SUFFIX } from '../ldap/slapd.js';
import { caller, emailHints, identityConfig, ldapResolver, memoryLog, NO_HINTS } from './identity-support.js';

const JDOE = caller('slack', 'U0JDOE');
const PLAIN = { allowPlaintext: true };
const OPENLDAP = { ...PLAIN, loginAttribute: 'uid', emailAttributes: ['mail'], filter: '(&(objectClass=inetOrgPerson)(!(employeeType=disabled)))' };
const GOOD = { credentials: { bindDN: SERVICE.dn, password: SERVICE.password } };

function refusal(r: IdentityResolution): string {
  if (r.ok) throw new Error(`expected a refusal, got ${r.account.domain}\\${r.account.user}`);
  expect(r.kind).toBe('refused');
  return r.reason;
}

function account(r: IdentityResolution): string {
  if (!r.ok) throw new Error(`expected an account, got ${r.kind}: ${r.reason}`);
  return `${r.account.domain}\\${r.account.user}`;
}

describe.skipIf(skipWithoutSlapd())('the LDAP resolver against a real slapd', () => {
  let slapd: Slapd;
  beforeAll(async () => {
    slapd = await Slapd.start();
  });
  afterAll(async () => {
    await slapd?.stop();
  });

  const ad = (extra: object = {}) => ldapResolver({ url: slapd.url, baseDN: SUFFIX, ...PLAIN, ...extra }, GOOD).resolver;

  describe('with the Active Directory defaults (AD attributes in a small schema)', () => {
    it('finds the account by mail, by userPrincipalName and by a proxyAddresses alias, whatever the case', async () => {
      for (const email of ['john.doe@corp.example', 'jdoe@corp.example', 'jd@corp.example', 'John.Doe@CORP.example']) {
        const r = await ad().resolve(JDOE, emailHints(email));
        expect(account(r)).toBe('CORP\\jdoe');
        expect(r.ok && r.source).toContain(email);
      }
    });

    it('refuses an email no account has, saying what an admin should check', async () => {
      expect(refusal(await ad().resolve(JDOE, emailHints('nobody@corp.example')))).toMatch(/the directory has no account with the email nobody@corp\.example \(searched mail, userPrincipalName, proxyAddresses\).*map you in the access file's identities/);
    });

    it('does not find a disabled account (userAccountControl 514)', async () => {
      expect(refusal(await ad().resolve(JDOE, emailHints('leaver@corp.example')))).toMatch(/no account with the email leaver@/);
    });

    it('refuses an email two accounts carry, and logs both DNs for the admin', async () => {
      const { resolver, log } = ldapResolver({ url: slapd.url, ...PLAIN }, GOOD);
      expect(refusal(await resolver.resolve(JDOE, emailHints('shared@corp.example')))).toMatch(/^2 directory accounts have the email shared@corp\.example: an admin must leave it on one account only/);
      expect(log.lines.join('\n')).toMatch(/uid=asmith,ou=people,dc=corp,dc=example; uid=bsmith/);
    });

    it('sends * ( ) \\ escaped, so they match only themselves', async () => {
      const before = slapd.filters().length;
      expect(refusal(await ad().resolve(JDOE, emailHints('*@corp.example')))).toMatch(/no account with the email \*@corp\.example/);
      expect(account(await ad().resolve(JDOE, emailHints('wild*card@corp.example')))).toBe('CORP\\wcard');
      expect(account(await ad().resolve(JDOE, emailHints('p(x)@corp.example')))).toBe('CORP\\paren');
      expect(account(await ad().resolve(JDOE, emailHints('back\\slash@corp.example')))).toBe('CORP\\bslash');
      const sent = slapd.filters().slice(before);
      expect(sent).toHaveLength(4);
      expect(sent[0]).toContain('(mail=\\2A@corp.example)');
      expect(sent[2]).toContain('(mail=p\\28x\\29@corp.example)');
      expect(sent[3]).toContain('(mail=back\\5Cslash@corp.example)');
    });

    it('refuses an entry without a login, or with one Windows cannot have', async () => {
      expect(refusal(await ad().resolve(JDOE, emailHints('nosam@corp.example')))).toMatch(/your directory account has no sAMAccountName: an admin should check identity\.ldap\.loginAttribute/);
      expect(refusal(await ad().resolve(JDOE, emailHints('badsam@corp.example')))).toMatch(/sAMAccountName "bad\/sam" is not a Windows login/);
    });

    it('does not see an entry that is not an AD user', async () => {
      expect(refusal(await ad().resolve(JDOE, emailHints('lou@corp.example')))).toMatch(/no account with the email lou@/);
    });
  });

  describe('configured for OpenLDAP (uid, inetOrgPerson)', () => {
    const openldap = () => ldapResolver({ url: slapd.url, ...OPENLDAP }, GOOD).resolver;
    it('takes the login from uid', async () => {
      expect(account(await openldap().resolve(JDOE, emailHints('lou@corp.example')))).toBe('CORP\\lonly');
      expect(account(await openldap().resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
    });
    it('leaves out the entries the configured filter excludes', async () => {
      expect(refusal(await openldap().resolve(JDOE, emailHints('leaver@corp.example')))).toMatch(/no account with the email leaver@corp\.example \(searched mail\)/);
    });
  });

  it('passes a caller without an email (Discord) to the next resolver, without asking the directory', async () => {
    const searches = slapd.searches();
    const r = await ad().resolve(caller('discord', '123456789012345678'), NO_HINTS);
    expect(r).toMatchObject({ ok: false, kind: 'unknown' });
    expect(r.ok ? '' : r.reason).toMatch(/discord gives the bot no email address/);
    expect(slapd.searches()).toBe(searches);
  });

  describe('when the service account cannot bind', () => {
    it('refuses, names the variables (never the password), and does not retry until the back-off ends', async () => {
      let now = 1_000_000;
      const wrong = 'Wr0ng-Secret-Value';
      const { resolver, log } = ldapResolver({ url: slapd.url, ...PLAIN }, { credentials: { bindDN: SERVICE.dn, password: wrong }, now: () => now, bindBackoffMs: 60_000 });
      const binds = slapd.binds();
      const reason = refusal(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')));
      expect(reason).toMatch(/rejected the bot's service account \(invalid credentials\): an admin should check RWINSTA_LDAP_BIND_DN and RWINSTA_LDAP_BIND_PASSWORD/);
      expect(`${reason}\n${log.lines.join('\n')}`).not.toContain(wrong);
      expect(slapd.binds()).toBe(binds + 1);

      now += 30_000;
      expect(refusal(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/RWINSTA_LDAP_BIND_PASSWORD \(not retried for 30 s\)/);
      expect(slapd.binds()).toBe(binds + 1);

      now += 31_000;
      refusal(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')));
      expect(slapd.binds()).toBe(binds + 2);
    });

    it('refuses an unknown bind DN the same way', async () => {
      const { resolver } = ldapResolver({ url: slapd.url, ...PLAIN }, { credentials: { bindDN: `uid=ghost,ou=services,${SUFFIX}`, password: 'x' } });
      expect(refusal(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/RWINSTA_LDAP_BIND_DN/);
    });
  });

  describe('over TLS, with a throwaway CA', () => {
    it('StartTLS on the plain port, trusting the CA file', async () => {
      const r = ldapResolver({ url: slapd.url, startTLS: true, caFile: slapd.caFile }, { ...GOOD, ca: readFileSync(slapd.caFile) }).resolver;
      expect(account(await r.resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
    });
    it('ldaps://, trusting the CA file', async () => {
      const r = ldapResolver({ url: slapd.ldapsUrl, caFile: slapd.caFile }, { ...GOOD, ca: readFileSync(slapd.caFile) }).resolver;
      expect(account(await r.resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
    });
    it('refuses a directory whose certificate it cannot verify, before sending the password', async () => {
      const binds = slapd.binds();
      for (const url of [slapd.ldapsUrl, slapd.url]) {
        const r = ldapResolver({ url, ...(url.startsWith('ldap:') ? { startTLS: true } : {}) }, GOOD).resolver;
        expect(refusal(await r.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/^the TLS connection to ldaps?:\/\/127\.0\.0\.1:\d+ failed \(.*\): an admin should check identity\.ldap\.caFile/);
      }
      expect(slapd.binds()).toBe(binds);
    });
  });

  describe('a directory that is not there', () => {
    it('refuses at once when nothing listens, naming the URL to check', async () => {
      const url = `ldap://127.0.0.1:${await freePort()}`;
      const reason = refusal(await ldapResolver({ url, ...PLAIN }, GOOD).resolver.resolve(JDOE, emailHints('john.doe@corp.example')));
      expect(reason).toMatch(new RegExp(`^the directory ${url.replace(/\./g, '\\.')} cannot be reached \\(connect ECONNREFUSED .*\\): an admin should check identity\\.ldap\\.url`));
    });

    it('refuses within its time budget when the directory accepts but never answers', async () => {
      const sockets: Socket[] = [];
      const silent: Server = createServer((s) => sockets.push(s));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      try {
        const r = ldapResolver({ url: `ldap://127.0.0.1:${port}`, ...PLAIN, connectTimeoutSeconds: 1, timeoutSeconds: 1 }, GOOD).resolver;
        expect(refusal(await r.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/did not answer in time \(bind, within 2 s\): an admin should check that it is up/);
        const tls = ldapResolver({ url: `ldap://127.0.0.1:${port}`, startTLS: true, connectTimeoutSeconds: 1, timeoutSeconds: 1 }, GOOD).resolver;
        expect(refusal(await tls.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/did not answer in time \(startTLS, within 2 s\)/);
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });

    it('refuses a base DN the directory does not hold', async () => {
      expect(refusal(await ad({ baseDN: 'dc=other,dc=example' }).resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/has no entry dc=other,dc=example: an admin should check identity\.ldap\.baseDN/);
    });
  });

  describe('the chain as the access file builds it', () => {
    const env = { RWINSTA_LDAP_BIND_DN: SERVICE.dn, RWINSTA_LDAP_BIND_PASSWORD: SERVICE.password };

    it('keeps what it found: the second lookup does not reach the directory until the cache time is over', async () => {
      let now = 0;
      const config = identityConfig({ identity: { resolvers: ['ldap'], cacheSeconds: 600, negativeCacheSeconds: 30, ldap: { url: slapd.url, baseDN: SUFFIX, domain: 'CORP', ...PLAIN } } });
      const resolver = buildIdentityResolver(config, env, memoryLog(), { now: () => now });
      const searches = slapd.searches();
      expect(account(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
      const hints = emailHints('john.doe@corp.example');
      expect(account(await resolver.resolve(JDOE, hints))).toBe('CORP\\jdoe');
      expect(hints.calls).toBe(0);
      expect(slapd.searches()).toBe(searches + 1);

      const nobody = caller('slack', 'U0NOBODY');
      refusal(await resolver.resolve(nobody, emailHints('nobody@corp.example')));
      now += 29_000;
      refusal(await resolver.resolve(nobody, emailHints('nobody@corp.example')));
      expect(slapd.searches()).toBe(searches + 2);
      now += 2_000;
      refusal(await resolver.resolve(nobody, emailHints('nobody@corp.example')));
      expect(slapd.searches()).toBe(searches + 3);

      now += 600_000;
      expect(account(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
      expect(slapd.searches()).toBe(searches + 4);
    });

    it('answers from the explicit map first, without a search', async () => {
      const config = identityConfig({
        identities: { slack: { U0MAPPED: 'CORP\\mapped' } },
        identity: { resolvers: ['map', 'ldap'], ldap: { url: slapd.url, baseDN: SUFFIX, domain: 'CORP', ...PLAIN } },
      });
      const resolver = buildIdentityResolver(config, env, memoryLog());
      const searches = slapd.searches();
      expect(account(await resolver.resolve(caller('slack', 'U0MAPPED'), emailHints('john.doe@corp.example')))).toBe('CORP\\mapped');
      expect(slapd.searches()).toBe(searches);
      expect(account(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toBe('CORP\\jdoe');
    });

    it('fails closed: a directory that is down stops the chain before the weaker email rule', async () => {
      const config = identityConfig({
        identity: {
          resolvers: ['ldap', 'emailRule'],
          ldap: { url: `ldap://127.0.0.1:${await freePort()}`, baseDN: SUFFIX, domain: 'CORP', ...PLAIN },
          emailRule: { domain: 'CORP', emailDomains: ['corp.example'] },
        },
      });
      const resolver = buildIdentityResolver(config, env, memoryLog());
      expect(refusal(await resolver.resolve(JDOE, emailHints('john.doe@corp.example')))).toMatch(/cannot be reached/);
    });
  });
});

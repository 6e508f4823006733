import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import type { IdentityHints, IdentityResolution, IdentityResolver } from '../../src/core/ports/identity.js';
import { CachedIdentityResolver } from '../../src/identity/cache.js';
import { ResolverChain } from '../../src/identity/chain.js';
import { EmailRuleResolver } from '../../src/identity/email-rule.js';
import { ExplicitMapResolver } from '../../src/identity/explicit-map.js';
import { emailSearchFilter, escapeFilterValue } from '../../src/identity/ldap-filter.js';
import { parseWindowsAccount } from '../../src/identity/windows-account.js';
import { caller, emailHints, identityConfig, NO_HINTS } from './identity-support.js';

const ok = (user: string): IdentityResolution => ({ ok: true, account: { domain: 'CORP', user }, source: 'test' });
const unknown = (reason: string): IdentityResolution => ({ ok: false, kind: 'unknown', reason });
const refused = (reason: string): IdentityResolution => ({ ok: false, kind: 'refused', reason });

/** A resolver that answers from a script and counts how often it was asked. */
class Scripted implements IdentityResolver {
  calls = 0;
  constructor(private readonly answer: (c: Caller) => IdentityResolution | Promise<IdentityResolution>) {}
  async resolve(c: Caller): Promise<IdentityResolution> {
    this.calls++;
    return this.answer(c);
  }
}

describe('RFC 4515 escaping of the email in the search filter', () => {
  it('escapes *, (, ), \\ and NUL, and nothing else', () => {
    expect(escapeFilterValue('*')).toBe('\\2a');
    expect(escapeFilterValue('(')).toBe('\\28');
    expect(escapeFilterValue(')')).toBe('\\29');
    expect(escapeFilterValue('\\')).toBe('\\5c');
    expect(escapeFilterValue('\0')).toBe('\\00');
    expect(escapeFilterValue('a*)(uid=*)(x=\\\0@é.example')).toBe('a\\2a\\29\\28uid=\\2a\\29\\28x=\\5c\\00@é.example');
    expect(escapeFilterValue('john.doe+tag@corp.example')).toBe('john.doe+tag@corp.example');
  });

  it('an injection attempt stays one value inside one equality term', () => {
    const f = emailSearchFilter('(objectClass=user)', ['mail'], '*)(objectClass=*');
    expect(f).toBe('(&(objectClass=user)(|(mail=\\2a\\29\\28objectClass=\\2a)))');
  });

  it('compares proxyAddresses as smtp:<email>, as AD stores them', () => {
    expect(emailSearchFilter('(o=p)', ['mail', 'userPrincipalName', 'proxyAddresses'], 'j@c.example')).toBe('(&(o=p)(|(mail=j@c.example)(userPrincipalName=j@c.example)(proxyAddresses=smtp:j@c.example)))');
  });
});

describe('DOMAIN\\login', () => {
  it('parses the two parts', () => {
    expect(parseWindowsAccount('CORP\\jdoe')).toEqual({ domain: 'CORP', user: 'jdoe' });
    expect(parseWindowsAccount('corp.example.com\\j.doe')).toEqual({ domain: 'corp.example.com', user: 'j.doe' });
  });
  it.each([
    ['jdoe', /is not DOMAIN\\login/],
    ['CORP\\\\jdoe', /more than one backslash.*double quotes "CORP\\\\jdoe"/],
    ['CORP\\', /1 to 20 characters/],
    ['CORP\\averyveryverylongloginname', /1 to 20 characters/],
    ['CORP\\j*doe', /none of/],
    ['CORP\\jdoe.', /ends with a space or a dot/],
    ['\\jdoe', /NetBIOS name/],
    ['CO RP\\jdoe', /NetBIOS name/],
  ])('refuses %s', (text, message) => {
    expect(parseWindowsAccount(text)).toMatch(message);
  });
});

describe('the explicit map', () => {
  const map = identityConfig({ identities: { slack: { U0JDOE: 'CORP\\jdoe' }, discord: { '123456789012345678': 'CORP\\jdoe' }, console: { alice: 'CORP\\alice' } } }).map;
  const resolver = new ExplicitMapResolver(map);
  it('answers per platform and user ID', async () => {
    expect(await resolver.resolve(caller('slack', 'U0JDOE'))).toMatchObject({ ok: true, account: { domain: 'CORP', user: 'jdoe' } });
    expect(await resolver.resolve(caller('discord', '123456789012345678'))).toMatchObject({ ok: true, account: { user: 'jdoe' } });
    expect(await resolver.resolve(caller('console', 'alice'))).toMatchObject({ ok: true, account: { user: 'alice' } });
  });
  it('passes on an unknown caller, and never mixes platforms up', async () => {
    expect(await resolver.resolve(caller('slack', 'U0OTHER'))).toMatchObject({ ok: false, kind: 'unknown' });
    expect(await resolver.resolve(caller('console', 'U0JDOE'))).toMatchObject({ ok: false, kind: 'unknown' });
  });
});

describe('the email rule (weaker)', () => {
  const rule = new EmailRuleResolver({ domain: 'CORP', emailDomains: ['corp.example.com'] });
  const me = caller('slack', 'U0JDOE');
  it('takes the local part as the login in a listed email domain', async () => {
    expect(await rule.resolve(me, emailHints('jdoe@Corp.Example.com'))).toMatchObject({ ok: true, account: { domain: 'CORP', user: 'jdoe' } });
  });
  it('does not apply to another email domain', async () => {
    expect(await rule.resolve(me, emailHints('jdoe@gmail.com'))).toMatchObject({ ok: false, kind: 'unknown', reason: expect.stringMatching(/covers corp\.example\.com, not gmail\.com/) as unknown });
  });
  it('refuses a local part no Windows login can be', async () => {
    expect(await rule.resolve(me, emailHints('first.last+tag@corp.example.com'))).toMatchObject({ ok: false, kind: 'refused' });
  });
  it('passes on a caller without an email, and refuses when the lookup itself failed', async () => {
    expect(await rule.resolve(caller('discord', '123456789012345678'), NO_HINTS)).toMatchObject({ ok: false, kind: 'unknown' });
    const failing: IdentityHints = { email: () => Promise.reject(new Error('the Slack app lacks the users:read.email scope')) };
    expect(await rule.resolve(me, failing)).toMatchObject({ ok: false, kind: 'refused', reason: expect.stringMatching(/could not get your email address from slack: the Slack app lacks the users:read\.email scope/) as unknown });
  });
  it('refuses what is not a plain address', async () => {
    expect(await rule.resolve(me, emailHints('jdoe@corp.example.com\0'))).toMatchObject({ ok: false, kind: 'refused' });
    expect(await rule.resolve(me, emailHints('j doe@corp.example.com'))).toMatchObject({ ok: false, kind: 'refused' });
  });
});

describe('the chain', () => {
  const me = caller('slack', 'U0JDOE');
  it('the first resolver that knows the caller wins', async () => {
    const second = new Scripted(() => ok('second'));
    const third = new Scripted(() => ok('third'));
    const chain = new ResolverChain([new Scripted(() => unknown('not me')), second, third]);
    expect(await chain.resolve(me, NO_HINTS)).toMatchObject({ ok: true, account: { user: 'second' } });
    expect(third.calls).toBe(0);
  });
  it('a refusal stops the chain (fail closed)', async () => {
    const after = new Scripted(() => ok('weaker'));
    const chain = new ResolverChain([new Scripted(() => refused('directory down')), after]);
    expect(await chain.resolve(me, NO_HINTS)).toEqual(refused('directory down'));
    expect(after.calls).toBe(0);
  });
  it('a resolver that throws denies', async () => {
    const chain = new ResolverChain([new Scripted(() => Promise.reject(new Error('boom'))), new Scripted(() => ok('x'))]);
    expect(await chain.resolve(me, NO_HINTS)).toMatchObject({ ok: false, kind: 'refused', reason: expect.stringMatching(/boom/) as unknown });
  });
  it('when nobody knows the caller: denied, with every reason and how to get mapped', async () => {
    const chain = new ResolverChain([new Scripted(() => unknown('not in the map')), new Scripted(() => unknown('no email'))]);
    const r = await chain.resolve(caller('discord', '123456789012345678'), NO_HINTS);
    expect(r).toMatchObject({ ok: false, kind: 'refused' });
    expect(r.ok ? '' : r.reason).toBe('no Windows account is known for you: not in the map; no email. An admin can map you in the access file: identities: { discord: { "123456789012345678": DOMAIN\\login } }');
  });
  it('an empty chain denies everyone', async () => {
    expect(await new ResolverChain([]).resolve(me, NO_HINTS)).toMatchObject({ ok: false, kind: 'refused', reason: expect.stringMatching(/no identity resolver is configured/) as unknown });
  });
});

describe('the cache', () => {
  function rig(answer: (c: Caller) => IdentityResolution, o: { negativeMs?: number; maxEntries?: number } = {}) {
    const clock = { now: 0 };
    const inner = new Scripted(answer);
    const cache = new CachedIdentityResolver(inner, { positiveMs: 600_000, negativeMs: o.negativeMs ?? 60_000, maxEntries: o.maxEntries ?? 100, now: () => clock.now });
    return { clock, inner, cache };
  }

  it('keeps an account for the positive time, per platform and user ID', async () => {
    const { clock, inner, cache } = rig((c) => ok(c.userId));
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(1);
    await cache.resolve(caller('console', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(2);
    clock.now = 599_999;
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(2);
    clock.now = 600_000;
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(3);
  });

  it('keeps a refusal for the shorter negative time, or not at all when it is 0', async () => {
    const { clock, inner, cache } = rig(() => refused('no'));
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    clock.now = 59_999;
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(1);
    clock.now = 60_000;
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(2);

    const none = rig(() => refused('no'), { negativeMs: 0 });
    await none.cache.resolve(caller('slack', 'U1'), NO_HINTS);
    await none.cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(none.inner.calls).toBe(2);
    expect(none.cache.size).toBe(0);
  });

  it('stays within its size, forgetting the least recently used first', async () => {
    const { inner, cache } = rig((c) => ok(c.userId), { maxEntries: 2 });
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    await cache.resolve(caller('slack', 'U2'), NO_HINTS);
    await cache.resolve(caller('slack', 'U1'), NO_HINTS); // U1 used again: U2 is now the oldest
    await cache.resolve(caller('slack', 'U3'), NO_HINTS);
    expect(cache.size).toBe(2);
    expect(inner.calls).toBe(3);
    await cache.resolve(caller('slack', 'U1'), NO_HINTS);
    expect(inner.calls).toBe(3);
    await cache.resolve(caller('slack', 'U2'), NO_HINTS);
    expect(inner.calls).toBe(4);
  });

  it('one lookup for concurrent requests from the same person', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const inner = new Scripted(async () => {
      await gate;
      return ok('jdoe');
    });
    const cache = new CachedIdentityResolver(inner, { positiveMs: 1000, negativeMs: 1000, maxEntries: 10 });
    const both = Promise.all([cache.resolve(caller('slack', 'U1'), NO_HINTS), cache.resolve(caller('slack', 'U1'), NO_HINTS)]);
    release();
    expect((await both).map((r) => r.ok)).toEqual([true, true]);
    expect(inner.calls).toBe(1);
  });
});

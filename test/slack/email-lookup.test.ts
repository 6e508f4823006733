import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackEmailLookup } from '../../adapters/slack/email-lookup.js';
import { slackManifest } from '../../adapters/slack/manifest.js';
import { DEFAULT_COMMANDS } from '../../adapters/slack/config.js';
import { createWebClient } from '../../adapters/slack/web-client.js';
import { buildIdentityResolver } from '../../src/identity/build.js';
import { DEFAULT_SCOPES } from '../emulators/slack/web-api.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { identityConfig } from '../identity/identity-support.js';
import { memoryLogger } from './slack-harness.js';

describe('the Slack email lookup (users.info) against the emulator', () => {
  const emu = new SlackEmulator();
  const logs: string[] = [];
  let now = 0;
  let lookup: SlackEmailLookup;
  beforeAll(() => emu.start());
  afterAll(() => emu.stop());
  beforeEach(() => {
    now = 0;
    logs.length = 0;
    emu.api.users.clear();
    emu.api.scopes.clear();
    for (const s of DEFAULT_SCOPES) emu.api.scopes.add(s);
    emu.api.users.set('U0JDOE', { email: 'jdoe@corp.example.com' });
    lookup = new SlackEmailLookup(createWebClient(EMULATOR_TOKENS.bot, emu.apiUrl, memoryLogger(logs)), 60_000, memoryLogger(logs), () => now);
  });
  const infoCalls = () => emu.callsTo('users.info').length;

  it('gets the profile email, and asks Slack again only when the TTL is over', async () => {
    const before = infoCalls();
    expect(await lookup.email('U0JDOE')).toBe('jdoe@corp.example.com');
    expect(emu.callsTo('users.info').at(-1)?.args).toMatchObject({ user: 'U0JDOE' });
    now = 59_999;
    expect(await lookup.hintsFor('U0JDOE').email?.()).toBe('jdoe@corp.example.com');
    expect(infoCalls()).toBe(before + 1);
    now = 60_000;
    await lookup.email('U0JDOE');
    expect(infoCalls()).toBe(before + 2);
  });

  it('without users:read.email Slack leaves the email out: rejects naming the scope and the manifest', async () => {
    emu.api.scopes.delete('users:read.email');
    await expect(lookup.email('U0JDOE')).rejects.toThrow(/Slack gave no email for U0JDOE: the app needs the users:read\.email scope: add it to the app's manifest \(oauth_config\.scopes\.bot/);
    expect(logs.join('\n')).toMatch(/warn slack: Slack gave no email for U0JDOE/);
  });

  it('without users:read (missing_scope): rejects naming the scope Slack says is needed', async () => {
    emu.api.scopes.delete('users:read');
    await expect(lookup.email('U0JDOE')).rejects.toThrow(/the Slack app lacks the users:read scope that users\.info needs: add it to the app's manifest/);
  });

  it('a failure is not kept: the next request asks again', async () => {
    emu.api.failNext('users.info', 'ratelimited');
    await expect(lookup.email('U0JDOE')).rejects.toThrow(/users\.info failed \(ratelimited\)/);
    expect(await lookup.email('U0JDOE')).toBe('jdoe@corp.example.com');
  });

  it('an unknown or deactivated user rejects; a bot has no email', async () => {
    await expect(lookup.email('U0GHOST')).rejects.toThrow(/Slack does not know user U0GHOST/);
    emu.api.users.set('U0GONE', { email: 'gone@corp.example.com', deleted: true });
    await expect(lookup.email('U0GONE')).rejects.toThrow(/U0GONE is deactivated/);
    emu.api.users.set('U0BOT2', { isBot: true });
    expect(await lookup.email('U0BOT2')).toBeUndefined();
  });

  it('feeds the identity chain: the email rule turns the Slack email into CORP\\jdoe, and a missing scope denies', async () => {
    const resolver = buildIdentityResolver(identityConfig({ identity: { resolvers: ['emailRule'], negativeCacheSeconds: 0, emailRule: { domain: 'CORP', emailDomains: ['corp.example.com'] } } }), {}, { warn: () => undefined });
    const me = { platform: 'slack' as const, userId: 'U0JDOE', userName: 'jdoe', groups: [] };
    expect(await resolver.resolve(me, lookup.hintsFor('U0JDOE'))).toMatchObject({ ok: true, account: { domain: 'CORP', user: 'jdoe' } });
    emu.api.scopes.delete('users:read');
    const other = { ...me, userId: 'U0OTHER' };
    emu.api.users.set('U0OTHER', { email: 'other@corp.example.com' });
    expect(await resolver.resolve(other, lookup.hintsFor('U0OTHER'))).toMatchObject({ ok: false, kind: 'refused', reason: expect.stringMatching(/could not get your email address from slack: the Slack app lacks the users:read scope/) as unknown });
  });

  it('the manifest asks for the email scopes only when told to', () => {
    const scopes = (m: object) => (m as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;
    expect(scopes(slackManifest(DEFAULT_COMMANDS))).not.toContain('users:read.email');
    expect(scopes(slackManifest(DEFAULT_COMMANDS, undefined, { emailLookup: true }))).toEqual(['commands', 'chat:write', 'usergroups:read', 'users:read', 'users:read.email']);
  });
});

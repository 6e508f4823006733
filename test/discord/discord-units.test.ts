import { describe, expect, it } from 'vitest';
import { sessionLabel, shortIdle } from '../../adapters/discord/autocomplete.js';
import { COMMANDS, commandText, type OptionValues } from '../../adapters/discord/commands.js';
import { readDiscordConfig } from '../../adapters/discord/config.js';
import { inviteUrl } from '../../adapters/discord/register.js';
import { MAX_CONTENT, MAX_DESCRIPTION, MAX_EMBED_TOTAL, MAX_EMBEDS, MAX_MESSAGES, renderDiscord } from '../../adapters/discord/render.js';
import type { Reply } from '../../src/core/results.js';

function values(o: Record<string, string | boolean | number>): OptionValues {
  return {
    string: (n) => (typeof o[n] === 'string' ? (o[n] as string) : null),
    boolean: (n) => (typeof o[n] === 'boolean' ? (o[n] as boolean) : null),
    integer: (n) => (typeof o[n] === 'number' ? (o[n] as number) : null),
  };
}

describe('typed options become the CMD text the core parses', () => {
  it.each([
    ['rwinsta', { server: 'rds01', session: '3', verbose: true }, '/v /server:rds01 3'],
    ['rwinsta', { server: 'rds04', disc: true, force: true }, '/disc /f /server:rds04'],
    ['qwinsta', { server: 'rds01' }, '/server:rds01'],
    ['qwinsta', { user: 'jdoe' }, 'jdoe'],
    ['qwinsta', { server: 'rds01', user: 'jdoe', state: 'disc' }, '/state:disc /server:rds01 jdoe'],
    ['msg', { server: 'rds01', session: '*', text: 'Reboot at 5 /v', time: 60, wait: true }, '/time:60 /w /server:rds01 * Reboot at 5 /v'],
    ['rwinsta', { args: '/server:rds01 3 /v' }, '/server:rds01 3 /v'],
    ['tsdiscon', { server: 'rds01', session: '3', reason: 'INC0012345 user stuck' }, '/reason:"INC0012345 user stuck" /server:rds01 3'],
    ['msg', { server: 'rds01', session: '3', text: 'hi', reason: 'INC1' }, '/reason:"INC1" /server:rds01 3 hi'],
  ] as const)('%s %j', (verb, o, text) => {
    expect(commandText(verb, values(o))).toEqual({ ok: true, text });
  });
  it('refuses a reason with a double quote in it: it would end the quoted value early', () => {
    expect(commandText('rwinsta', values({ server: 'rds01', session: '3', reason: 'INC1 \u201cstuck\u201d' }))).toEqual({ ok: false, message: "the reason cannot contain a double quote; use ' instead" });
  });
  it('offers the reason as free text, as long as the grammar allows', () => {
    const reason = COMMANDS.find((c) => c.name === 'rwinsta')?.options?.find((o) => o.name === 'reason');
    expect(reason).toMatchObject({ type: 3, max_length: 200 });
  });
  it('refuses args together with options', () => {
    expect(commandText('rwinsta', values({ args: 'rds01 3', verbose: true }))).toEqual({ ok: false, message: 'give either the options or args, not both' });
  });
  it('the registered commands respect Discord\'s shapes', () => {
    for (const c of COMMANDS) {
      expect(c.name).toMatch(/^[a-z]{1,32}$/);
      expect(c.description.length).toBeLessThanOrEqual(100);
      for (const o of c.options ?? []) {
        expect(o.name).toMatch(/^[a-z]{1,32}$/);
        expect(o.description.length).toBeLessThanOrEqual(100);
      }
    }
  });
});

describe('Discord rendering within its limits', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => ({ kind: 'text' as const, text: `${'x'.repeat(900)} ${i}` }));
  const reply = (extra: Partial<Reply>): Reply => ({ status: 'ok', summary: 'rds01: sessions.', sections: [], private: false, simulated: true, requestId: 'r', ...extra });
  it('keeps content, embeds and totals under the limits, over at most five messages', () => {
    const messages = renderDiscord(reply({ sections: lines(200), summary: 'y'.repeat(5000) }));
    expect(messages.length).toBe(MAX_MESSAGES);
    for (const m of messages) {
      expect(m.content.length).toBeLessThanOrEqual(MAX_CONTENT);
      expect(m.embeds.length).toBeLessThanOrEqual(MAX_EMBEDS);
      expect(m.embeds.reduce((n, e) => n + (e.description?.length ?? 0), 0)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
      for (const e of m.embeds) expect(e.description?.length ?? 0).toBeLessThanOrEqual(MAX_DESCRIPTION);
    }
    expect(messages.at(-1)?.content).toMatch(/more parts not shown: narrow the query/);
  });
  it('puts the buttons, with IDs under 100 characters, on the first message only', () => {
    const [m] = renderDiscord(reply({ status: 'confirm', confirmation: { id: 'A'.repeat(16), expiresAt: 0, actionLabel: 'x' } }));
    const ids = m?.components.flatMap((r) => r.components.map((c) => ('custom_id' in c ? c.custom_id : '')));
    expect(ids).toEqual([`rwinsta:confirm:${'A'.repeat(16)}`, `rwinsta:cancel:${'A'.repeat(16)}`]);
    for (const id of ids ?? []) expect(id.length).toBeLessThanOrEqual(100);
  });
  it('never lets a session name break out of its code block', () => {
    const [m] = renderDiscord(reply({ sections: [{ kind: 'text', text: 'x' }, { kind: 'sessions', sessions: [{ server: 'a', id: 2, name: '```@everyone', user: 'u', domain: '', state: 'Active' }], showServer: false, verbose: false }] }));
    expect(m?.embeds[1]?.description?.match(/```/g)).toHaveLength(2);
  });
  it('short idle and session labels', () => {
    expect([shortIdle(30_000), shortIdle(17 * 60_000), shortIdle(64 * 60_000), shortIdle(50 * 3600_000)]).toEqual(['active now', 'idle 17m', 'idle 1h04m', 'idle 2d2h']);
    expect(sessionLabel({ server: 'a', id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Disconnected', idleMs: 130 * 60_000 })).toBe('3 · CORP\\jdoe · Disconnected · idle 2h10m');
  });
});

describe('Discord configuration names the bad key', () => {
  const token = 'MTAw.abc.def';
  it.each([
    [{ DISCORD_TOKEN: 'Bot abc' }, /DISCORD_TOKEN: does not look like a bot token/],
    [{ DISCORD_TOKEN: token, DISCORD_GUILD_ID: 'helpdesk' }, /DISCORD_GUILD_ID: "helpdesk" is not a server \(guild\) ID/],
    [{ DISCORD_TOKEN: token, DISCORD_AUDIT_CHANNEL: '#audit' }, /DISCORD_AUDIT_CHANNEL: "#audit" is not a channel ID/],
    [{ DISCORD_TOKEN: token, RWINSTA_APPROVAL_CHANNEL_DISCORD: 'approvals' }, /RWINSTA_APPROVAL_CHANNEL_DISCORD: "approvals" is not a channel ID/],
    [{ DISCORD_TOKEN: token, DISCORD_ALLOW_DMS: 'sometimes' }, /DISCORD_ALLOW_DMS: "sometimes" is not true or false/],
  ])('%j', (env, re) => {
    expect(() => readDiscordConfig(env)).toThrow(re);
  });
  it('defaults, and the invite URL', () => {
    expect(readDiscordConfig({ DISCORD_TOKEN: token })).toMatchObject({ apiUrl: 'https://discord.com/api', allowDms: false, resultsInChannel: true });
    expect(readDiscordConfig({ DISCORD_TOKEN: token })).not.toHaveProperty('defaultMemberPermissions');
    expect(readDiscordConfig({ DISCORD_TOKEN: token, DISCORD_DEFAULT_MEMBER_PERMISSIONS: '0' })).toMatchObject({ defaultMemberPermissions: '0' });
    expect(() => readDiscordConfig({ DISCORD_TOKEN: token, DISCORD_DEFAULT_MEMBER_PERMISSIONS: 'admins' })).toThrow(/DISCORD_DEFAULT_MEMBER_PERMISSIONS: "admins" is not a permission bitfield/);
    expect(() => readDiscordConfig({ DISCORD_TOKEN: token, DISCORD_DEFAULT_MEMBER_PERMISSIONS: '18446744073709551616' })).toThrow(/not a permission bitfield/);
    expect(inviteUrl('123456789012345678')).toBe('https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot%20applications.commands&permissions=3072');
  });
});

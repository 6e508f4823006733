import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../adapters/discord/register.js';
import { admin, bodyText, customIds, discordConfig, helpdesk, opt, startDiscordRig, stranger, type DiscordRig } from './discord-harness.js';

// Discord's deadline for the first callback; a protocol fact, not a speed target.
const DISCORD_CALLBACK_DEADLINE_MS = 3000;
const EPHEMERAL = 64;

describe('Discord: the real discord.js client against a local Discord', () => {
  let rig: DiscordRig;
  beforeEach(async () => {
    rig = await startDiscordRig({ config: { auditChannel: '555555555555555555' } });
  });
  afterEach(async () => rig.stop());

  it('identifies with the bot token after GET /gateway/bot', () => {
    expect(rig.emu.identifies).toBe(1);
    const gw = rig.emu.requests.find((r) => r.path === '/gateway/bot');
    expect(gw?.authorization).toBe(`Bot ${rig.emu.token}`);
  });

  it('lists a server: deferred at once, then the reply edited with the table', async () => {
    const i = rig.emu.command('qwinsta', [opt.s('server', 'rds01')], admin);
    const cb = await i.callback;
    expect(cb.type).toBe(5);
    expect(cb.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    const [edit] = await rig.emu.waitForEdits(i.token);
    const text = bodyText(edit);
    expect(text).toMatch(/rds01: 6 sessions\./);
    expect(text).toMatch(/```\nSESSIONNAME\s+USERNAME\s+ID\s+STATE/);
    expect(text).toMatch(/RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(text).toMatch(/simulated fleet: no real session was touched/);
  });

  it('logs off after the requester presses Confirm; the prompt becomes the outcome, without buttons', async () => {
    const cmd = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3'), opt.b('verbose', true)], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    expect(bodyText(prompt)).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    const [confirmId] = customIds(prompt);
    expect(confirmId).toMatch(/^rwinsta:confirm:/);
    const press = rig.emu.button(confirmId as string, admin, rig.emu.messageFor(prompt ?? {}));
    const cb = await press.callback;
    expect(cb.type).toBe(6);
    expect(cb.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    const [outcome] = await rig.emu.waitForEdits(press.token);
    expect(bodyText(outcome)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(bodyText(outcome)).toMatch(/logoff of session 3 \(CORP\\jdoe\) requested/);
    expect(outcome?.components).toEqual([]);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);

    const twice = rig.emu.button(confirmId as string, admin, rig.emu.messageFor(prompt ?? {}));
    const [second] = await rig.emu.waitForFollowUps(twice.token);
    expect(second?.flags).toBe(EPHEMERAL);
    expect(bodyText(second)).toMatch(/already used/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('refuses a button pressed by someone else, privately, and leaves the prompt alone', async () => {
    const cmd = rig.emu.command('tsdiscon', [opt.s('server', 'rds01'), opt.s('session', '3')], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    const [confirmId] = customIds(prompt);
    const press = rig.emu.button(confirmId as string, helpdesk, rig.emu.messageFor(prompt ?? {}));
    expect((await press.callback).type).toBe(6);
    const [refusal] = await rig.emu.waitForFollowUps(press.token);
    expect(refusal?.flags).toBe(EPHEMERAL);
    expect(bodyText(refusal)).toMatch(/Only alice can confirm this; nothing was done\./);
    expect(rig.emu.edits.get(press.token)).toBeUndefined();
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
  });

  it('cancel, and expiry, update the prompt', async () => {
    const a = rig.emu.command('rwinsta', [opt.s('server', 'rds04'), opt.b('disc', true)], admin);
    const [prompt] = await rig.emu.waitForEdits(a.token);
    const cancelId = customIds(prompt).find((c) => c.startsWith('rwinsta:cancel:'));
    const press = rig.emu.button(cancelId as string, admin, rig.emu.messageFor(prompt ?? {}));
    expect(bodyText((await rig.emu.waitForEdits(press.token))[0])).toMatch(/Cancelled: log off 4 disconnected sessions on rds04 was not done\./);

    const b = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '2')], admin);
    await rig.emu.waitForEdits(b.token);
    rig.h.clock.advance(121_000);
    await rig.h.bot.sweepExpired();
    const [, expired] = await rig.emu.waitForEdits(b.token, 2);
    expect(bodyText(expired)).toMatch(/Expired: log off session 2 \(CORP\\asmith, Active\) on rds01 was not confirmed within 2 min/);
    expect(expired?.components).toEqual([]);
  });

  it('a denial is ephemeral: the public placeholder is deleted and the caller alone is told', async () => {
    const i = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], stranger);
    expect((await i.callback).type).toBe(5);
    const [denial] = await rig.emu.waitForFollowUps(i.token);
    expect(denial?.flags).toBe(EPHEMERAL);
    expect(bodyText(denial)).toMatch(/Denied: you lack "logoff" on rds01\./);
    expect(rig.emu.deletions.has(i.token)).toBe(true);
  });

  it('the free-text args option takes the exact CMD syntax', async () => {
    const i = rig.emu.command('rwinsta', [opt.s('args', '/server:rds01 3 /v')], admin);
    const [prompt] = await rig.emu.waitForEdits(i.token);
    expect(bodyText(prompt)).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    const both = rig.emu.command('rwinsta', [opt.s('args', '/server:rds01 3'), opt.s('server', 'rds02')], admin);
    const [err] = await rig.emu.waitForFollowUps(both.token);
    expect(bodyText(err)).toMatch(/give either the options or args, not both/);
    const bad = rig.emu.command('qwinsta', [opt.s('args', '/server:\\\\rds01\\c$')], admin);
    expect(bodyText((await rig.emu.waitForFollowUps(bad.token))[0])).toMatch(/is a UNC path, not a server, session or user name/);
  });

  it('msg builds switches before the text', async () => {
    const i = rig.emu.command('msg', [opt.s('server', 'rds01'), opt.s('session', '3'), opt.s('text', 'Save your work /now'), opt.i('time', 30)], admin);
    await rig.emu.waitForEdits(i.token);
    expect(rig.h.fleet.messages.at(-1)).toMatchObject({ id: 3, text: 'Save your work /now' });
  });

  it('autocompletes the caller\'s permitted servers, and the live sessions of the chosen one', async () => {
    const servers = rig.emu.autocomplete('tsdiscon', [opt.s('server', 'rds', true)], helpdesk);
    const cb = await servers.callback;
    expect(cb.type).toBe(8);
    expect(cb.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    expect((cb.data?.choices as { value: string }[]).map((c) => c.value)).toEqual(['rds01', 'rds02', 'rds03', 'rds04', 'rds05', 'rds06']);
    const none = await rig.emu.autocomplete('rwinsta', [opt.s('server', '', true)], stranger).callback;
    expect(none.data?.choices).toEqual([]);
    const sessions = await rig.emu.autocomplete('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '', true)], admin).callback;
    const choices = sessions.data?.choices as { name: string; value: string }[];
    expect(choices).toContainEqual({ name: '3 · CORP\\jdoe · Active · idle 17m', value: '3' });
    expect(choices.some((c) => c.value === '0' || c.value === '65536')).toBe(false);
  });

  it('answers autocomplete in time from what is known when the server hangs', async () => {
    await rig.emu.autocomplete('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '', true)], admin).callback;
    rig.h.fleet.setHang('rds01', true);
    const slow = await rig.emu.autocomplete('rwinsta', [opt.s('server', 'rds01'), opt.s('session', 'jd', true)], admin).callback;
    expect(slow.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    expect(slow.data?.choices).toEqual([{ name: '3 · CORP\\jdoe · Active · idle 17m', value: '3' }]);
    const unknown = await rig.emu.autocomplete('rwinsta', [opt.s('server', 'rds02'), opt.s('session', '', true)], admin).callback;
    expect(unknown.type).toBe(8);
  });

  it('defers in time while the backend is hung', async () => {
    rig.h.fleet.setHang('rds01', true);
    const sent = [1, 2, 3, 4, 5].map(() => rig.emu.command('qwinsta', [opt.s('server', 'rds01')], admin));
    for (const s of sent) {
      const cb = await s.callback;
      expect(cb.type).toBe(5);
      expect(cb.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    }
  });

  it('refuses commands from DMs unless allowed', async () => {
    const i = rig.emu.command('qwinsta', [opt.s('server', 'rds01')], admin, { dm: true });
    const cb = await i.callback;
    expect(cb).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(String(cb.data?.content)).toMatch(/direct messages are refused/);
  });

  it('resumes after the gateway closes, replaying what was dispatched meanwhile', async () => {
    rig.emu.closeForResume();
    const during = rig.emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
    await rig.emu.sessions(2);
    expect(rig.emu.resumes).toBe(1);
    expect(rig.emu.identifies).toBe(1);
    expect((await during.callback).type).toBe(5);
    expect(bodyText((await rig.emu.waitForEdits(during.token))[0])).toMatch(/rds02: 4 sessions/);
    rig.emu.askToReconnect();
    await rig.emu.sessions(3);
    const after = rig.emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect((await after.callback).type).toBe(5);
  });

  it('posts actions and denials to the audit channel', async () => {
    const i = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '6')], admin);
    await rig.emu.waitForEdits(i.token);
    await expect.poll(() => rig.emu.channelMessages.length).toBe(1);
    expect(rig.emu.channelMessages[0]?.channel).toBe('555555555555555555');
    expect(String(rig.emu.channelMessages[0]?.body.content)).toMatch(/^\[discord\] alice \(333333333333333333\) `\/rwinsta \/server:rds01 6` → allowed logoff on rds01: ok/);
  });

  it('registers the commands in the guild: guild channels only, visible to everyone, no deprecated dm_permission', async () => {
    const r = await registerCommands(discordConfig(rig.emu));
    expect(r.names).toEqual(['qwinsta', 'quser', 'rwinsta', 'tsdiscon', 'msg']);
    expect(r.scope).toBe(`guild ${rig.emu.guildId}`);
    const put = rig.emu.requests.find((q) => q.method === 'PUT' && q.path === `/applications/${rig.emu.applicationId}/guilds/${rig.emu.guildId}/commands`);
    const bodies = put?.body as Record<string, unknown>[];
    expect(bodies).toHaveLength(5);
    for (const b of bodies) {
      expect(b.contexts).toEqual([0]);
      expect(b).not.toHaveProperty('dm_permission');
      expect(b).not.toHaveProperty('default_member_permissions');
    }
  });

  it('registers for DMs and for chosen members when configured', async () => {
    await registerCommands(discordConfig(rig.emu, { allowDms: true, defaultMemberPermissions: '8192' }));
    const put = rig.emu.requests.filter((q) => q.method === 'PUT').at(-1);
    for (const b of put?.body as Record<string, unknown>[]) expect(b).toMatchObject({ contexts: [0, 1, 2], default_member_permissions: '8192' });
  });

  it('an error after the defer replaces "thinking…" with the request ID, never leaves it', async () => {
    rig.h.bot.handle = () => Promise.reject(new Error('boom'));
    const i = rig.emu.command('qwinsta', [opt.s('server', 'rds01')], admin);
    expect((await i.callback).type).toBe(5);
    const [edit] = await rig.emu.waitForEdits(i.token);
    expect(bodyText(edit)).toMatch(/^Internal error \(request [0-9a-f]{12}\); nothing further was done\. The bot's log has the details\./);
  });

  it('an option of the wrong type (a stale registration) says the commands are out of date and how to re-register', async () => {
    const i = rig.emu.command('msg', [opt.s('server', 'rds01'), opt.s('session', '3'), opt.s('text', 'hi'), opt.s('time', '30')], admin);
    const [edit] = await rig.emu.waitForEdits(i.token);
    expect(bodyText(edit)).toMatch(/The registered commands are out of date \(option "time" arrived as text, this version expects a whole number\); nothing was done\. An administrator re-registers them with: npx rwinsta-bot discord register/);
    expect(rig.h.fleet.messages).toEqual([]);
  });

  it('typed option values are values: a server with switches in it is refused as a server name, a session stays one word', async () => {
    const bad = rig.emu.command('rwinsta', [opt.s('server', 'rds01 /all')], admin);
    expect(bodyText((await rig.emu.waitForFollowUps(bad.token))[0])).toMatch(/Error: "rds01 \/all" is not a valid server name/);
    const spaced = rig.emu.command('rwinsta', [opt.s('server', 'rds04'), opt.s('session', '/disc')], admin);
    expect(bodyText((await rig.emu.waitForFollowUps(spaced.token))[0])).toMatch(/"\/disc" is not a session ID, session name/);
    expect(rig.h.audit.records.some((r) => r.decision === 'confirmation-requested')).toBe(false);
  });
});

describe('Discord heartbeats', () => {
  it('heartbeats at the interval HELLO gives, and each is acknowledged', async () => {
    const rig = await startDiscordRig({ heartbeatMs: 300 });
    try {
      await expect.poll(() => rig.emu.heartbeats, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
      const i = rig.emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
      expect((await i.callback).type).toBe(5);
    } finally {
      await rig.stop();
    }
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CONTENT, MAX_DESCRIPTION, MAX_EMBED_TOTAL, MAX_EMBEDS } from '../../adapters/discord/render.js';
import { WIN32 } from '../../src/wts/errors.js';
import { admin, bodyText, customIds, helpdesk, opt, startDiscordRig, type DiscordRig } from './discord-harness.js';

type Body = Record<string, unknown>;

function withinLimits(b: Body | undefined): void {
  const embeds = (b?.embeds ?? []) as { description?: string }[];
  expect(String(b?.content ?? '').length).toBeLessThanOrEqual(MAX_CONTENT);
  expect(embeds.length).toBeLessThanOrEqual(MAX_EMBEDS);
  expect(embeds.reduce((n, e) => n + (e.description?.length ?? 0), 0)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
  for (const e of embeds) expect(e.description?.length ?? 0).toBeLessThanOrEqual(MAX_DESCRIPTION);
}

describe('Discord: qprocess, and the programs on a logoff prompt', () => {
  let rig: DiscordRig;
  afterEach(async () => rig.stop());

  it('/qprocess with typed options lists the processes; system and id are options', async () => {
    rig = await startDiscordRig();
    const i = rig.emu.command('qprocess', [opt.s('server', 'rds01'), opt.s('session', '3')], helpdesk);
    const [edit] = await rig.emu.waitForEdits(i.token);
    expect(bodyText(edit)).toMatch(/rds01: \d+ processes in session 3 \(CORP\\jdoe\)\./);
    expect(bodyText(edit)).toMatch(/```\nUSERNAME\s+SESSIONNAME\s+ID\s+PID\s+IMAGE\s+WORKING SET\n/);
    const pid = (await rig.h.fleet.listProcesses('rds01', 3)).find((p) => p.image === 'csrss.exe')?.pid ?? -1;
    const one = rig.emu.command('qprocess', [opt.s('server', 'rds01'), opt.i('id', pid), opt.b('system', true)], helpdesk);
    const [answer] = await rig.emu.waitForEdits(one.token);
    expect(bodyText(answer)).toMatch(new RegExp(`rds01: process ${pid} \\(csrss\\.exe\\) in session 3 \\(CORP\\\\jdoe\\)\\.`));
    expect(rig.h.audit.records.at(-1)).toMatchObject({ platform: 'discord', command: `/qprocess /system /id:${pid} /server:rds01`, verb: 'qprocess' });
  });

  it('the prompt names the programs open, with its buttons; error 5 says what the account needs', async () => {
    rig = await startDiscordRig();
    const cmd = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    expect(bodyText(prompt)).toMatch(/^Open: OUTLOOK\.EXE, Teams\.exe \u00d7\d, .*chrome\.exe \u00d7\d+/m);
    expect(customIds(prompt)[0]).toMatch(/^rwinsta:confirm:/);
    withinLimits(prompt);

    rig.h.fleet.setProcessFailure('rds02', WIN32.ACCESS_DENIED);
    const denied = rig.emu.command('rwinsta', [opt.s('server', 'rds02'), opt.s('session', '3')], admin);
    const [p2] = await rig.emu.waitForEdits(denied.token);
    expect(bodyText(p2)).toMatch(/Open programs: not shown: the bot's Windows account needs to be a local administrator on rds02 to see another user's programs\./);
  });

  it("a long list stays within Discord's limits, cut with a count; the buttons stay on the prompt", async () => {
    rig = await startDiscordRig({ harness: { settings: { bulkMax: 200 } } });
    for (let n = 0; n < 60; n++) rig.h.fleet.logon('rds04', `user${n}`, { state: 'Disconnected' });
    for (const s of (await rig.h.fleet.listSessions('rds04')).filter((x) => x.state === 'Disconnected' && x.id !== 0)) {
      rig.h.fleet.setProcesses('rds04', s.id, Array.from({ length: 20 }, (_, k) => ({ image: `LineOfBusinessApplication${k}.exe`, user: s.user, domain: 'CORP', sid: `S-1-5-21-1-2-3-${1000 + s.id}` })));
    }
    const cmd = rig.emu.command('rwinsta', [opt.s('server', 'rds04'), opt.b('disc', true)], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    expect(customIds(prompt)[0]).toMatch(/^rwinsta:confirm:/);
    const bodies = (): Body[] => [prompt ?? {}, ...(rig.emu.followUps.get(cmd.token) ?? [])];
    // The text is one embed, its markdown escaped (`\*` shows as `*`); what does not fit follows up.
    await expect.poll(() => bodies().map(bodyText).join('\n')).toMatch(/…and the programs of 60 more sessions: \/qprocess rds04 \\\* shows them\./);
    await expect.poll(() => bodies().map(bodyText).join('\n')).toMatch(/Their programs close and unsaved work is lost\./);
    for (const b of bodies()) withinLimits(b);
    expect(bodies().map(bodyText).join('\n')).toMatch(/Open in session 3 \(CORP\\\\hsato\): LineOfBusinessApplication0\.exe, .* and 8 more/);
  });

  it('typed idle and logon options pick the sessions, and the prompt says how many it leaves alone', async () => {
    rig = await startDiscordRig();
    const cmd = rig.emu.command('rwinsta', [opt.s('server', 'rds04'), opt.b('disc', true), opt.s('idle', '8h')], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    expect(bodyText(prompt)).toMatch(/Confirm: log off 2 disconnected sessions idle 8h or more on rds04\?/);
    expect(bodyText(prompt)).toMatch(/Leaves alone: 2 other disconnected sessions on rds04 \(not idle 8h or more\)\./);
    const bad = rig.emu.command('rwinsta', [opt.s('server', 'rds04'), opt.b('disc', true), opt.s('idle', 'soon')], admin);
    // A usage error is the caller's alone: the public placeholder gives way to an ephemeral follow-up.
    const [err] = await rig.emu.waitForFollowUps(bad.token);
    expect(bodyText(err)).toMatch(/"\/idle:soon" is not a duration; write minutes, hours or days/);
  });
});

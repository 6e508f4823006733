import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, bodyText, customIds, opt, startDiscordRig, type DiscordRig } from '../discord/discord-harness.js';

describe('Discord faults: nothing acts twice, nothing is lost', () => {
  let rig: DiscordRig;
  beforeEach(async () => {
    rig = await startDiscordRig();
  });
  afterEach(async () => rig.stop());

  it('the gateway closes mid-confirmation: the press sent meanwhile is replayed on resume and acts once', async () => {
    const cmd = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], admin);
    const [prompt] = await rig.emu.waitForEdits(cmd.token);
    const [confirmId] = customIds(prompt);
    rig.emu.closeForResume();
    const press = rig.emu.button(confirmId as string, admin, rig.emu.messageFor(prompt ?? {}));
    await rig.emu.sessions(2);
    expect(rig.emu.resumes).toBe(1);
    const [outcome] = await rig.emu.waitForEdits(press.token);
    expect(bodyText(outcome)).toMatch(/Logged off session 3/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
  });

  it('a replayed INTERACTION_CREATE (same interaction) is not handled twice', async () => {
    const i = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '6'), opt.b('force', true)], admin);
    await rig.emu.waitForEdits(i.token);
    const original = rig.emu.requests.length;
    // Dispatch the very same interaction payload again, as a buggy replay would.
    const last = rig.emu.lastDispatch('INTERACTION_CREATE');
    rig.emu.dispatchRaw('INTERACTION_CREATE', last);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.emu.requests.length).toBe(original);
    expect(rig.h.audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
  });

  it('dispatches of unknown types and events are ignored: the next command works', async () => {
    rig.emu.dispatchRaw('INTERACTION_CREATE', { id: '123456789012345678', type: 99, application_id: rig.emu.applicationId, token: 'x', version: 1, entitlements: [], authorizing_integration_owners: {}, user: { id: '1', username: 'x', discriminator: '0' } });
    rig.emu.dispatchRaw('SOMETHING_NEW', { hello: 'world' });
    const i = rig.emu.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect((await i.callback).type).toBe(5);
    expect(bodyText((await rig.emu.waitForEdits(i.token))[0])).toMatch(/rds02: 4 sessions/);
  });

  it('an unknown command name is answered, not ignored', async () => {
    const i = rig.emu.command('reboot', [], admin);
    expect(bodyText((await rig.emu.waitForEdits(i.token))[0])).toMatch(/Unknown command \/reboot: re-register the commands/);
  });
});

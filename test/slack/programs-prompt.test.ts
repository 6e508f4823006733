import { afterEach, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION, MAX_BLOCKS, MAX_SECTION_TEXT } from '../../adapters/slack/blocks.js';
import { WIN32 } from '../../src/wts/errors.js';
import { buttonValue, hasButtons, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

type Block = { type: string; text?: { type: string; text: string } };

describe('Slack: qprocess, and the programs on a logoff prompt', () => {
  let rig: SlackRig;
  afterEach(async () => {
    expect(rig.emu.socket.unacked()).toEqual([]);
    await rig.stop();
  });

  it('/qprocess lists the programs of a session in a monospace table', async () => {
    rig = await startSlackRig();
    const cmd = rig.emu.sendSlashCommand({ command: '/qprocess', text: 'rds01 3', user_id: 'UHELP1' });
    const [m] = await rig.emu.waitForResponses(cmd.responseId);
    const text = messageText(m);
    expect(text).toMatch(/rds01: \d+ processes in session 3 \(CORP\\jdoe\)\./);
    expect(text).toMatch(/```USERNAME\s+SESSIONNAME\s+ID\s+PID\s+IMAGE\s+WORKING SET/);
    expect(text).toMatch(/jdoe\s+RDP-Tcp#7\s+3\s+\d+\s+OUTLOOK\.EXE\s+[\d,]+ K/);
    expect(rig.h.audit.records.at(-1)).toMatchObject({ platform: 'slack', verb: 'qprocess', action: 'query', outcome: 'shown' });
  });

  it('the prompt names the programs open, as plain text above the buttons; error 5 says what the account needs', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1', user_name: 'alice' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
    const prompt = rig.emu.api.messagesIn('C0HELPDESK')[0];
    const blocks = (prompt?.blocks ?? []) as Block[];
    const open = blocks.find((b) => b.text?.text.startsWith('Open: '));
    expect(open?.text).toMatchObject({ type: 'plain_text', text: expect.stringMatching(/^Open: OUTLOOK\.EXE, Teams\.exe \u00d7\d, .*chrome\.exe \u00d7\d+/) });
    expect(blocks.indexOf(open as Block)).toBeLessThan(blocks.findIndex((b) => b.type === 'actions'));

    rig.h.fleet.setProcessFailure('rds02', WIN32.ACCESS_DENIED);
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds02 3', user_id: 'UADMIN1', user_name: 'alice' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(2);
    expect(messageText({ ...rig.emu.api.messagesIn('C0HELPDESK')[1] })).toMatch(
      /Open programs: not shown: the bot's Windows account needs to be a local administrator on rds02 to see another user's programs\./,
    );
  });

  it('a long list stays within Slack\'s limits, cut with a count, and the prompt still works', async () => {
    rig = await startSlackRig({ harness: { settings: { bulkMax: 200 } } });
    for (let i = 0; i < 60; i++) rig.h.fleet.logon('rds04', `user${i}`, { state: 'Disconnected' });
    for (const s of (await rig.h.fleet.listSessions('rds04')).filter((x) => x.state === 'Disconnected' && x.id !== 0)) {
      rig.h.fleet.setProcesses('rds04', s.id, Array.from({ length: 20 }, (_, i) => ({ image: `LineOfBusinessApplication${i}.exe`, user: s.user, domain: 'CORP', sid: `S-1-5-21-1-2-3-${1000 + s.id}` })));
    }
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: '/server:rds04 /disc', user_id: 'UADMIN1', user_name: 'alice' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBeGreaterThanOrEqual(1);
    // Give the last part of the prompt (with the buttons) time to be posted.
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').some((m) => hasButtons({ ...m }))).toBe(true);
    const messages = rig.emu.api.messagesIn('C0HELPDESK');
    for (const m of messages) {
      const blocks = m.blocks as Block[];
      expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
      for (const b of blocks) expect(b.text?.text.length ?? 0).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
    const all = messages.map((m) => messageText({ ...m })).join('\n');
    expect(all).toMatch(/Open in session 3 \(CORP\\hsato\): LineOfBusinessApplication0\.exe, .* and 8 more/);
    expect(all).toMatch(/…and the programs of \d+ more sessions: \/qprocess rds04 \* shows them\./);
    const withButtons = messages.find((m) => hasButtons({ ...m }));
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue({ ...withButtons }, CONFIRM_ACTION), message_ts: withButtons?.ts });
    const [outcome] = await rig.emu.waitForResponses(press.responseId);
    expect(messageText(outcome)).toMatch(/Logged off 64 of 64 sessions on rds04\./);
  });

  it('/rwinsta /disc /idle:8h: the prompt says how many sessions it leaves alone', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: '/server:rds04 /disc /idle:8h', user_id: 'UADMIN1', user_name: 'alice' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
    const text = messageText({ ...rig.emu.api.messagesIn('C0HELPDESK')[0] });
    expect(text).toMatch(/Confirm: log off 2 disconnected sessions idle 8h or more on rds04\?/);
    expect(text).toMatch(/Leaves alone: 2 other disconnected sessions on rds04 \(not idle 8h or more\)\./);
  });
});

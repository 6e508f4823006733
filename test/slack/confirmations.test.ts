import { afterEach, describe, expect, it } from 'vitest';
import { CANCEL_ACTION, CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import type { StoredMessage } from '../emulators/slack/slack-emulator.js';
import { buttonValue, hasButtons, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

const SLACK_ACK_DEADLINE_MS = 3000;

/** The prompt the bot posted in #helpdesk, once it is there. */
async function promptIn(rig: SlackRig, channel = 'C0HELPDESK'): Promise<StoredMessage> {
  await expect.poll(() => rig.emu.api.messagesIn(channel).length).toBe(1);
  return rig.emu.api.messagesIn(channel)[0] as StoredMessage;
}

const asJson = (m: StoredMessage | { text: string; blocks: unknown[] }): Record<string, unknown> => ({ text: m.text, blocks: m.blocks });

describe('Slack confirmations: Block Kit buttons, requester only, acted on once', () => {
  let rig: SlackRig;
  afterEach(async () => {
    expect(rig.emu.socket.unacked()).toEqual([]);
    await rig.stop();
  });

  it('logs off after the requester confirms; the prompt shows what will happen and is replaced by the outcome', async () => {
    rig = await startSlackRig();
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3 /v', user_id: 'UADMIN1', user_name: 'alice' });
    expect((await cmd.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const prompt = await promptIn(rig);
    const text = messageText(asJson(prompt));
    expect(text).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    expect(text).toMatch(/```SESSIONNAME\s+USERNAME\s+ID\s+STATE[^]*RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(text).toMatch(/Their programs close and unsaved work is lost\./);
    expect(text).toMatch(/only alice can confirm/);
    // Posted as the bot, not on the response_url: chat.update can reach it later.
    expect(rig.emu.api.responses.get(cmd.responseId)).toEqual([]);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(true);

    const press = rig.emu.sendButton({ user_id: 'UADMIN1', user_name: 'alice', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts });
    expect((await press.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [outcome] = await rig.emu.waitForResponses(press.responseId);
    expect(outcome?.replace_original).toBe(true);
    expect(messageText(outcome)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(messageText(outcome)).toMatch(/logoff of session 3 \(CORP\\jdoe\) requested \(\d+ ms\)/);
    expect(hasButtons(outcome)).toBe(false);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);
  });

  it('a double click acts once: the second press is told privately and leaves the message alone', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1' });
    const prompt = await promptIn(rig);
    const id = buttonValue(asJson(prompt), CONFIRM_ACTION);
    const first = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    const second = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    const [a, b] = await Promise.all([rig.emu.waitForResponses(first.responseId), rig.emu.waitForResponses(second.responseId)]);
    const answers = [a[0], b[0]];
    expect(answers.filter((m) => m?.replace_original === true).map((m) => messageText(m))).toEqual([expect.stringMatching(/Logged off session 3/)]);
    expect(answers.filter((m) => m?.response_type === 'ephemeral').map((m) => messageText(m))).toEqual([expect.stringMatching(/already used, cancelled or has expired; nothing was done/)]);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('refuses a confirm pressed by someone else, privately; the prompt stays for the requester', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds01 3', user_id: 'UADMIN1', user_name: 'alice' });
    const prompt = await promptIn(rig);
    const id = buttonValue(asJson(prompt), CONFIRM_ACTION);
    const intruder = rig.emu.sendButton({ user_id: 'UHELP1', user_name: 'mallory', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    expect((await intruder.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [refusal] = await rig.emu.waitForResponses(intruder.responseId);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(messageText(refusal)).toMatch(/Only alice can confirm this; nothing was done\./);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
    expect(rig.emu.callsTo('chat.update')).toEqual([]);
    const owner = rig.emu.sendButton({ user_id: 'UADMIN1', user_name: 'alice', action_id: CONFIRM_ACTION, value: id, message_ts: prompt.ts });
    const [done] = await rig.emu.waitForResponses(owner.responseId);
    expect(messageText(done)).toMatch(/Disconnected session 3/);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Disconnected');
  });

  it('cancel replaces the prompt; nothing is done', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: '/server:rds04 /disc', user_id: 'UADMIN1' });
    const prompt = await promptIn(rig);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CANCEL_ACTION, value: buttonValue(asJson(prompt), CANCEL_ACTION), message_ts: prompt.ts });
    const [cancelled] = await rig.emu.waitForResponses(press.responseId);
    expect(cancelled?.replace_original).toBe(true);
    expect(messageText(cancelled)).toMatch(/Cancelled: log off 4 disconnected sessions on rds04 was not done\./);
    expect((await rig.h.fleet.listSessions('rds04')).filter((s) => s.user && s.state === 'Disconnected')).toHaveLength(4);
  });

  it('an expired confirmation says so on the prompt itself (chat.update), and its buttons are gone', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1' });
    const prompt = await promptIn(rig);
    rig.h.clock.advance(121_000);
    await rig.h.bot.sweepExpired();
    await expect.poll(() => rig.emu.callsTo('chat.update').length).toBe(1);
    expect(rig.emu.callsTo('chat.update')[0]?.args).toMatchObject({ channel: 'C0HELPDESK', ts: prompt.ts });
    expect(messageText(asJson(prompt))).toMatch(/Expired: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not confirmed within 2 min; nothing was done\./);
    expect(hasButtons(asJson(prompt))).toBe(false);
    // A press on the stale button is answered privately.
    const late = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue(asJson({ text: '', blocks: prompt.versions[0]?.blocks ?? [] }), CONFIRM_ACTION) });
    expect(messageText((await rig.emu.waitForResponses(late.responseId))[0])).toMatch(/already used, cancelled or has expired/);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
  });

  it('a press after the expiry but before the sweep replaces the prompt with the expiry', async () => {
    rig = await startSlackRig();
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1' });
    const prompt = await promptIn(rig);
    rig.h.clock.advance(121_000);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts });
    const [m] = await rig.emu.waitForResponses(press.responseId);
    expect(m?.replace_original).toBe(true);
    expect(messageText(m)).toMatch(/Expired: log off session 3/);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
  });

  it('where the bot may not post, the prompt goes on the response_url, and so does its expiry', async () => {
    rig = await startSlackRig();
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1', channel_id: 'C0ELSEWHERE' });
    const [prompt] = await rig.emu.waitForResponses(cmd.responseId);
    expect(rig.emu.callsTo('chat.postMessage').map((c) => c.args.channel)).toEqual(['C0ELSEWHERE']);
    expect(prompt?.response_type).toBe('in_channel');
    expect(messageText(prompt)).toMatch(/Confirm: log off session 3/);
    expect(rig.logs.join('\n')).toMatch(/could not post in C0ELSEWHERE as the bot \(not_in_channel\)/);
    rig.h.clock.advance(121_000);
    await rig.h.bot.sweepExpired();
    const [, expiry] = await rig.emu.waitForResponses(cmd.responseId, 2);
    expect(expiry?.replace_original).toBe(true);
    expect(messageText(expiry)).toMatch(/Expired: log off session 3/);
    expect(hasButtons(expiry)).toBe(false);
  });

  it('with SLACK_RESULTS_IN_CHANNEL=false, prompts and results are shown only to the caller', async () => {
    rig = await startSlackRig({ config: { resultsInChannel: false } });
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1' });
    const [prompt] = await rig.emu.waitForResponses(cmd.responseId);
    expect(prompt?.response_type).toBe('ephemeral');
    expect(rig.emu.callsTo('chat.postMessage')).toEqual([]);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: buttonValue(prompt, CONFIRM_ACTION), is_ephemeral: true });
    const [outcome] = await rig.emu.waitForResponses(press.responseId);
    expect(outcome?.replace_original).toBe(true);
    expect(messageText(outcome)).toMatch(/Logged off session 3/);
    const list = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect((await rig.emu.waitForResponses(list.responseId))[0]?.response_type).toBe('ephemeral');
  });
});

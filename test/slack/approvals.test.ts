import { afterEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION, CONFIRM_ACTION, REJECT_ACTION } from '../../adapters/slack/blocks.js';
import type { SlackConfig } from '../../adapters/slack/config.js';
import type { StoredMessage } from '../emulators/slack/slack-emulator.js';
import { FOUR_EYES_ACCESS, SLACK_HELPDESK_CHANNEL } from '../support/four-eyes-access.js';
import { buttonValue, hasButtons, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

const SLACK_ACK_DEADLINE_MS = 3000;
const TICKET = '/reason:"INC0012345 user stuck"';
const asJson = (m: StoredMessage): Record<string, unknown> => ({ text: m.text, blocks: m.blocks });

async function fourEyesRig(config: Partial<SlackConfig> = {}): Promise<SlackRig> {
  const rig = await startSlackRig({ harness: { access: FOUR_EYES_ACCESS }, config });
  rig.emu.api.botChannels.add(SLACK_HELPDESK_CHANNEL);
  rig.emu.api.botChannels.add('CAPPROVALS');
  rig.emu.api.channelNames.set(SLACK_HELPDESK_CHANNEL, 'helpdesk-rds');
  return rig;
}

/** The nth message the bot posted in a channel, once it is there. */
async function posted(rig: SlackRig, channel: string, n: number): Promise<StoredMessage> {
  await expect.poll(() => rig.emu.api.messagesIn(channel).length).toBeGreaterThanOrEqual(n);
  return rig.emu.api.messagesIn(channel)[n - 1] as StoredMessage;
}

/**
 * UHELP1 asks to log off session 3 on rds01 with a ticket, in #helpdesk-rds, and confirms: returns the
 * confirmation press's answers and the approval request the bot posted.
 */
async function requestApproval(
  rig: SlackRig,
  text = `rds01 3 ${TICKET}`,
  o: { command?: string; user?: string; channel?: string; approvals?: string } = {},
): Promise<{ confirmed: Record<string, unknown>; request: StoredMessage }> {
  const { command = '/rwinsta', user = 'UHELP1', channel: requestChannel = SLACK_HELPDESK_CHANNEL } = o;
  const approvals = o.approvals ?? requestChannel;
  rig.emu.sendSlashCommand({ command, text, user_id: user, user_name: 'hana', channel_id: requestChannel });
  const prompt = await posted(rig, requestChannel, 1);
  const press = rig.emu.sendButton({ user_id: user, user_name: 'hana', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts, channel_id: requestChannel });
  const [confirmed] = await rig.emu.waitForResponses(press.responseId);
  const request = await posted(rig, approvals, approvals === requestChannel ? 2 : 1);
  return { confirmed: confirmed ?? {}, request };
}

function press(rig: SlackRig, request: StoredMessage, user: string, action = APPROVE_ACTION, channel = SLACK_HELPDESK_CHANNEL) {
  return rig.emu.sendButton({ user_id: user, user_name: user.toLowerCase(), action_id: action, value: buttonValue(asJson(request), action), message_ts: request.ts, channel_id: channel });
}

describe('Slack: approvals, reasons and channel scope against the local Slack', () => {
  let rig: SlackRig;
  afterEach(async () => {
    expect(rig.emu.socket.unacked()).toEqual([]);
    await rig.stop();
  });

  it('request by A, approval by A refused, approval by B acts once; the outcome names them with Slack mentions and times', async () => {
    rig = await fourEyesRig({ auditChannel: 'C0AUDIT' });
    const { confirmed, request } = await requestApproval(rig);
    // The requester's prompt now says it waits; the request is a message of the bot's, with Approve and Reject.
    expect(confirmed.replace_original).toBe(true);
    expect(messageText(confirmed)).toMatch(/Waiting for approval: log off session 3 \(CORP\\jdoe, Active\) on rds01\.[^]*It needs 1 approval by seniors/);
    const shown = messageText(asJson(request));
    expect(shown).toMatch(/Approval needed: log off session 3 \(CORP\\jdoe, Active\) on rds01\./);
    expect(shown).toMatch(/RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(shown).toMatch(/Reason: INC0012345 user stuck/);
    expect(shown).toMatch(/Requested by <@UHELP1> at <!date\^\d+\^\{time_secs\}\|09:00:00> · confirmed by <@UHELP1>/);
    expect(hasButtons(asJson(request))).toBe(true);

    const self = press(rig, request, 'UHELP1');
    expect((await self.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [refusal] = await rig.emu.waitForResponses(self.responseId);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(messageText(refusal)).toMatch(/You asked for this, so you cannot approve it/);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');

    rig.h.clock.advance(42_000);
    const approve = press(rig, request, 'USENIOR1');
    expect((await approve.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [outcome] = await rig.emu.waitForResponses(approve.responseId);
    expect(outcome?.replace_original).toBe(true);
    expect(messageText(outcome)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(messageText(outcome)).toMatch(/Reason: INC0012345 user stuck/);
    expect(messageText(outcome)).toMatch(/Requested by <@UHELP1> at <!date\^\d+\^\{time_secs\}\|09:00:00> · confirmed by <@UHELP1> at [^·]+ · approved by <@USENIOR1> at <!date\^\d+\^\{time_secs\}\|09:00:42>/);
    expect(hasButtons(outcome)).toBe(false);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);

    const again = press(rig, request, 'USENIOR2');
    expect(messageText((await rig.emu.waitForResponses(again.responseId))[0])).toMatch(/acted on once/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
    // The audit channel carries who did what too, people as mentions.
    await expect.poll(() => rig.emu.api.messagesIn('C0AUDIT').some((m) => m.text.includes('approved logoff on rds01: ok'))).toBe(true);
    const line = rig.emu.api.messagesIn('C0AUDIT').find((m) => m.text.includes('approved logoff on rds01: ok'))?.text ?? '';
    expect(line).toMatch(/reason: INC0012345 user stuck · Requested by <@UHELP1> at .* · approved by <@USENIOR1> at <!date\^\d+\^\{time_secs\}\|09:00:42>/);
  });

  it('a double click on Approve acts once', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    const [a, b] = [press(rig, request, 'USENIOR1'), press(rig, request, 'USENIOR1')];
    const answers = [(await rig.emu.waitForResponses(a.responseId))[0], (await rig.emu.waitForResponses(b.responseId))[0]];
    expect(answers.filter((m) => m?.replace_original === true).map((m) => messageText(m))).toEqual([expect.stringMatching(/Logged off session 3/)]);
    expect(answers.filter((m) => m?.response_type === 'ephemeral')).toHaveLength(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('a rejection asks for a reply in a modal, and closes the request with it; nothing is done', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    const reject = press(rig, request, 'USENIOR1', REJECT_ACTION);
    expect((await reject.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    await expect.poll(() => rig.emu.api.views.length).toBe(1);
    const opened = rig.emu.api.views[0];
    if (!opened) throw new Error('no modal opened');
    expect(opened.view).toMatchObject({ type: 'modal', callback_id: 'rwinsta_reject', title: { text: 'Reject request' } });
    const submitted = await rig.emu.submitView('USENIOR1', opened, { note: { note: 'Call the user first, please' } }, 'usenior1');
    expect(submitted.latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [closed] = await rig.emu.waitForResponses(reject.responseId);
    expect(closed?.replace_original).toBe(true);
    expect(messageText(closed)).toMatch(/Rejected: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not done\./);
    expect(messageText(closed)).toMatch(/usenior1 replied: Call the user first, please/);
    expect(messageText(closed)).toMatch(/rejected by <@USENIOR1>/);
    expect(hasButtons(closed)).toBe(false);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
    expect(rig.h.audit.records.at(-1)).toMatchObject({ decision: 'rejected', userId: 'USENIOR1', detail: 'reply: Call the user first, please' });
  });

  it('someone who may not answer is refused privately after the modal; the request stays', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    const reject = press(rig, request, 'UAUDIT1', REJECT_ACTION);
    await expect.poll(() => rig.emu.api.views.length).toBe(1);
    await rig.emu.submitView('UAUDIT1', rig.emu.api.views[0] as { id: string; view: Record<string, unknown> }, { note: { note: null } });
    const [refusal] = await rig.emu.waitForResponses(reject.responseId);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(messageText(refusal)).toMatch(/Only members of seniors may answer this request/);
    expect(await rig.h.bot.pendingApprovals()).toBe(1);
  });

  it('expiry updates the request message itself (chat.update) and is audited', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    rig.h.clock.advance(900_000);
    await rig.h.bot.sweepExpired();
    await expect.poll(() => rig.emu.callsTo('chat.update').length).toBe(1);
    expect(rig.emu.callsTo('chat.update')[0]?.args).toMatchObject({ channel: SLACK_HELPDESK_CHANNEL, ts: request.ts });
    expect(messageText(asJson(request))).toMatch(/Expired: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not approved within 15 min; nothing was done\./);
    expect(hasButtons(asJson(request))).toBe(false);
    expect(rig.h.audit.records.at(-1)).toMatchObject({ decision: 'expired', action: 'logoff', reason: 'INC0012345 user stuck' });
  });

  it('two approvals: the first updates the request and keeps its buttons, the second acts', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig, 'rds01 6,7', { user: 'ULEAD1' });
    const first = press(rig, request, 'USENIOR1');
    const [progress] = await rig.emu.waitForResponses(first.responseId);
    expect(progress?.replace_original).toBe(true);
    expect(messageText(progress)).toMatch(/Approved so far: 1 of 2\./);
    expect(messageText(progress)).toMatch(/approved by <@USENIOR1>/);
    expect(hasButtons(progress)).toBe(true);
    const second = press(rig, request, 'USENIOR2');
    const [done] = await rig.emu.waitForResponses(second.responseId);
    expect(messageText(done)).toMatch(/Logged off 2 of 2 sessions on rds01\./);
    expect(messageText(done)).toMatch(/approved by <@USENIOR1> at .* · approved by <@USENIOR2>/);
  });

  it('an approver who lacks the action on that server is refused privately', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig, `rds04 2 ${TICKET}`, { command: '/tsdiscon' });
    const p = press(rig, request, 'USENIOR1');
    const [refusal] = await rig.emu.waitForResponses(p.responseId);
    expect(refusal?.response_type).toBe('ephemeral');
    expect(messageText(refusal)).toMatch(/You lack "disconnect" on rds04 here yourself, so you cannot approve it/);
  });

  it('a reason missing, wrong and right', async () => {
    rig = await fourEyesRig();
    const missing = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UHELP1', channel_id: SLACK_HELPDESK_CHANNEL });
    const [m] = await rig.emu.waitForResponses(missing.responseId);
    expect(m?.response_type).toBe('ephemeral');
    expect(messageText(m)).toMatch(/this action needs a reason or ticket matching \^\(INC\|RITM\)\\d\{7\}\\b: add \/reason:"…"/);
    expect(messageText(m)).toMatch(/\/rwinsta \/reason:"INC0012345 user stuck" rds01 3/);
    const wrong = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3 /reason:\u201cjust because\u201d', user_id: 'UHELP1', channel_id: SLACK_HELPDESK_CHANNEL });
    expect(messageText((await rig.emu.waitForResponses(wrong.responseId))[0])).toMatch(/the reason "just because" does not match/);
    rig.emu.sendSlashCommand({ command: '/rwinsta', text: `rds01 3 ${TICKET}`, user_id: 'UHELP1', channel_id: SLACK_HELPDESK_CHANNEL });
    const prompt = await posted(rig, SLACK_HELPDESK_CHANNEL, 1);
    expect(messageText(asJson(prompt))).toMatch(/Reason: INC0012345 user stuck/);
  });

  it('a grant limited to a channel, used elsewhere, is denied with the channel\'s name', async () => {
    rig = await fourEyesRig();
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: `rds01 3 ${TICKET}`, user_id: 'UHELP1', channel_id: 'C0HELPDESK' });
    const [denial] = await rig.emu.waitForResponses(cmd.responseId);
    expect(denial?.response_type).toBe('ephemeral');
    expect(messageText(denial)).toMatch(/Denied: you lack "logoff" on rds01 here; use it in #helpdesk-rds or Discord or the console\./);
    expect(rig.emu.callsTo('conversations.info').map((c) => c.args.channel)).toEqual([SLACK_HELPDESK_CHANNEL]);
  });

  it('with RWINSTA_APPROVAL_CHANNEL_SLACK the request goes to that channel; the requester is told in theirs', async () => {
    rig = await fourEyesRig({ approvalChannel: 'CAPPROVALS' });
    const { confirmed, request } = await requestApproval(rig, `rds01 3 ${TICKET}`, { approvals: 'CAPPROVALS' });
    expect(messageText(confirmed)).toMatch(/Waiting for approval/);
    expect(messageText(asJson(request))).toMatch(/Approval needed: log off session 3/);
    expect(rig.emu.api.messagesIn(SLACK_HELPDESK_CHANNEL)).toHaveLength(1);
    const p = press(rig, request, 'USENIOR2', APPROVE_ACTION, 'CAPPROVALS');
    expect(messageText((await rig.emu.waitForResponses(p.responseId))[0])).toMatch(/Logged off session 3/);
  });
});

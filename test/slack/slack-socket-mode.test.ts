import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CANCEL_ACTION, CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { buttonValue, messageText, startSlackRig, type SlackRig } from './slack-harness.js';

// Slack's deadline for an acknowledgement; a protocol fact, not a speed target.
const SLACK_ACK_DEADLINE_MS = 3000;

describe('Slack over Socket Mode: the real Bolt app against a local Slack', () => {
  let rig: SlackRig;
  beforeEach(async () => {
    rig = await startSlackRig({ config: { auditChannel: 'C0AUDIT' } });
  });
  afterEach(async () => rig.stop());

  it('connects with the app token, then verifies the bot token', () => {
    expect(rig.emu.callsTo('apps.connections.open')[0]?.token).toBe('xapp-emulator');
    expect(rig.emu.callsTo('auth.test')[0]?.token).toBe('xoxb-emulator');
  });

  it('lists a server: the command is acked, the table posted to the channel in a monospace block', async () => {
    const { responseId, ack } = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' });
    expect((await ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [msg] = await rig.emu.waitForResponses(responseId);
    expect(msg?.response_type).toBe('in_channel');
    const text = messageText(msg ?? {});
    expect(text).toMatch(/rds01: 6 sessions\./);
    expect(text).toMatch(/```SESSIONNAME\s+USERNAME\s+ID\s+STATE/);
    expect(text).toMatch(/RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(text).toMatch(/simulated fleet: no real session was touched/);
  });

  it('logs off with a confirmation confirmed by the requester; the prompt is replaced by the outcome', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3 /v', user_id: 'UADMIN1' });
    await cmd.ack;
    const [prompt] = await rig.emu.waitForResponses(cmd.responseId);
    expect(prompt?.response_type).toBe('in_channel');
    expect(messageText(prompt ?? {})).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    const id = buttonValue(prompt ?? {}, CONFIRM_ACTION);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(true);

    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: id });
    expect((await press.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [outcome] = await rig.emu.waitForResponses(press.responseId);
    expect(outcome?.replace_original).toBe(true);
    expect(messageText(outcome ?? {})).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(JSON.stringify(outcome?.blocks)).not.toMatch(/rwinsta_confirm/);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);

    // A second press of the same button acts once: it is told privately, the message is left alone.
    const again = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: id });
    const [second] = await rig.emu.waitForResponses(again.responseId);
    expect(second).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(messageText(second ?? {})).toMatch(/already used/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('refuses a confirm pressed by someone else, privately, and leaves the prompt for the requester', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds01 3', user_id: 'UADMIN1', user_name: 'alice' });
    const [prompt] = await rig.emu.waitForResponses(cmd.responseId);
    const id = buttonValue(prompt ?? {}, CONFIRM_ACTION);
    const intruder = rig.emu.sendButton({ user_id: 'UHELP1', action_id: CONFIRM_ACTION, value: id });
    const [refusal] = await rig.emu.waitForResponses(intruder.responseId);
    expect(refusal).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(messageText(refusal ?? {})).toMatch(/Only alice can confirm this; nothing was done\./);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
    const owner = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: id });
    const [done] = await rig.emu.waitForResponses(owner.responseId);
    expect(messageText(done ?? {})).toMatch(/Disconnected session 3/);
  });

  it('cancel replaces the prompt; nothing is done', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: '/server:rds04 /disc', user_id: 'UADMIN1' });
    const [prompt] = await rig.emu.waitForResponses(cmd.responseId);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CANCEL_ACTION, value: buttonValue(prompt ?? {}, CANCEL_ACTION) });
    const [cancelled] = await rig.emu.waitForResponses(press.responseId);
    expect(cancelled?.replace_original).toBe(true);
    expect(messageText(cancelled ?? {})).toMatch(/Cancelled: log off 4 disconnected sessions on rds04 was not done\./);
  });

  it('an expired confirmation says so, on the prompt itself', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(cmd.responseId);
    rig.h.clock.advance(121_000);
    await rig.h.bot.sweepExpired();
    const [, expiry] = await rig.emu.waitForResponses(cmd.responseId, 2);
    expect(expiry?.replace_original).toBe(true);
    expect(messageText(expiry ?? {})).toMatch(/Expired: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not confirmed within 2 min/);
  });

  it('a denial is ephemeral and names the permission; user-group members get their role', async () => {
    const denied = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UNOBODY' });
    const [d] = await rig.emu.waitForResponses(denied.responseId);
    expect(d?.response_type).toBe('ephemeral');
    expect(messageText(d ?? {})).toMatch(/Denied: you lack "logoff" on rds01\./);

    const helpdesk = rig.emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds01 3', user_id: 'UHELP2' });
    const [h] = await rig.emu.waitForResponses(helpdesk.responseId);
    expect(messageText(h ?? {})).toMatch(/Confirm: disconnect session 3/);
    const listed = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UHELP1' });
    await rig.emu.waitForResponses(listed.responseId);
    // One lookup served both users: the membership is cached.
    expect(rig.emu.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(rig.emu.callsTo('usergroups.users.list')[0]?.args.usergroup).toBe('SHELPDESK');
  });

  it('an unknown subcommand or bad input is a private usage error with the usage lines', async () => {
    const bad = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3 /frobnicate', user_id: 'UADMIN1' });
    const [m] = await rig.emu.waitForResponses(bad.responseId);
    expect(m?.response_type).toBe('ephemeral');
    expect(messageText(m ?? {})).toMatch(/unknown switch "\/frobnicate" for rwinsta/);
    expect(messageText(m ?? {})).toMatch(/Usage:/);
  });

  it('unescapes what Slack escapes in the command text', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rdmsg', text: 'rds01 3 Save your work &amp; log off &lt;now&gt;', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(cmd.responseId);
    expect(rig.h.fleet.messages.at(-1)?.text).toBe('Save your work & log off <now>');
  });

  it('acks within the deadline while the backend is hung', async () => {
    rig.h.fleet.setHang('rds01', true);
    const acks = await Promise.all([1, 2, 3, 4, 5].map(() => rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' }).ack));
    for (const a of acks) expect(a.latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    // And other servers still answer.
    const other = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect(messageText((await rig.emu.waitForResponses(other.responseId))[0] ?? {})).toMatch(/rds02: 4 sessions/);
  });

  it('reconnects after the socket drops, and after a refresh request', async () => {
    rig.emu.dropSocket();
    await rig.emu.connected(2);
    const after = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect((await after.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    await rig.emu.waitForResponses(after.responseId);
    rig.emu.askToRefresh();
    await rig.emu.connected(3);
    expect(rig.emu.callsTo('apps.connections.open').length).toBeGreaterThanOrEqual(3);
    const again = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(again.responseId);
  });

  it('posts actions and denials to the audit channel, not plain queries', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 6', user_id: 'UADMIN1', user_name: 'alice' });
    await rig.emu.waitForResponses(cmd.responseId);
    const q = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(q.responseId);
    await expect.poll(() => rig.emu.callsTo('chat.postMessage').length).toBe(1);
    const post = rig.emu.callsTo('chat.postMessage')[0];
    expect(post?.args.channel).toBe('C0AUDIT');
    expect(String(post?.args.text)).toMatch(/^\[slack\] alice \(UADMIN1\) `\/rwinsta rds01 6` → allowed logoff on rds01: ok · 6 CORP\\bwayne \(Disconnected\) \[simulated\]$/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { messageText, startSlackRig, type SlackRig } from './slack-harness.js';

// Slack's deadline for an acknowledgement: a protocol fact, not a speed target.
const SLACK_ACK_DEADLINE_MS = 3000;

describe('Slack over Socket Mode: the real Bolt app against a local Slack', () => {
  let rig: SlackRig;
  beforeEach(async () => {
    rig = await startSlackRig({ config: { auditChannel: 'C0AUDIT' } });
  });
  afterEach(async () => {
    // Every envelope the emulator delivered was acknowledged.
    expect(rig.emu.socket.unacked()).toEqual([]);
    await rig.stop();
  });

  it('checks the bot token once (auth.test), then opens the socket with the app token', () => {
    expect(rig.emu.callsTo('auth.test').map((c) => c.token)).toEqual(['xoxb-emulator']);
    expect(rig.emu.callsTo('apps.connections.open').map((c) => c.token)).toEqual(['xapp-emulator']);
  });

  it('lists a server: acked, then the table posted to the channel in a monospace block', async () => {
    const { responseId, ack } = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' });
    expect((await ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [msg] = await rig.emu.waitForResponses(responseId);
    expect(msg).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const text = messageText(msg);
    expect(text).toMatch(/rds01: 6 sessions\./);
    expect(text).toMatch(/```SESSIONNAME\s+USERNAME\s+ID\s+STATE/);
    expect(text).toMatch(/RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(text).toMatch(/simulated fleet: no real session was touched/);
  });

  it('a denial is ephemeral to the caller and names the permission', async () => {
    const denied = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UNOBODY' });
    const [d] = await rig.emu.waitForResponses(denied.responseId);
    expect(d?.response_type).toBe('ephemeral');
    expect(messageText(d)).toMatch(/Denied: you lack "logoff" on rds01\./);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
  });

  it('members of a user group get its role; one lookup per group serves every user until the TTL', async () => {
    rig.emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds01 3', user_id: 'UHELP2' });
    // The confirmation prompt is posted in the channel as the bot.
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
    expect(messageText({ ...rig.emu.api.messagesIn('C0HELPDESK')[0] })).toMatch(/Confirm: disconnect session 3/);
    const listed = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UHELP1' });
    expect(messageText((await rig.emu.waitForResponses(listed.responseId))[0])).toMatch(/rds02: 4 sessions/);
    // Helpdesk may not log off on rds01: the role, not more, is what the group gives.
    const beyond = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UHELP1' });
    expect(messageText((await rig.emu.waitForResponses(beyond.responseId))[0])).toMatch(/Denied: you lack "logoff" on rds01/);
    expect(rig.emu.callsTo('usergroups.users.list').map((c) => c.args.usergroup)).toEqual(['SHELPDESK']);
  });

  it('a failed user-group lookup gives no role (deny), is logged, and is retried on the next command', async () => {
    rig.emu.api.failNext('usergroups.users.list', 'ratelimited');
    const first = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UHELP1' });
    const [d] = await rig.emu.waitForResponses(first.responseId);
    expect(d?.response_type).toBe('ephemeral');
    expect(messageText(d)).toMatch(/Denied: you lack "query" on rds02/);
    expect(rig.logs.join('\n')).toMatch(/usergroups\.users\.list for SHELPDESK failed \(ratelimited\)/);
    const second = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UHELP1' });
    expect(messageText((await rig.emu.waitForResponses(second.responseId))[0])).toMatch(/rds02: 4 sessions/);
  });

  it('a slash command this configuration does not know is acked and answered: unknown command', async () => {
    const { responseId, ack } = rig.emu.sendSlashCommand({ command: '/rdfrobnicate', text: 'rds01', user_id: 'UADMIN1' });
    expect((await ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const [m] = await rig.emu.waitForResponses(responseId);
    expect(m?.response_type).toBe('ephemeral');
    expect(messageText(m)).toMatch(/Error: unknown command "rdfrobnicate"; the commands are \/qwinsta, \/quser, \/rwinsta, \/tsdiscon, \/rdmsg\./);
  });

  it('a usage error is private and shows the usage lines', async () => {
    const bad = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3 /frobnicate', user_id: 'UADMIN1' });
    const [m] = await rig.emu.waitForResponses(bad.responseId);
    expect(m?.response_type).toBe('ephemeral');
    expect(messageText(m)).toMatch(/unknown switch "\/frobnicate" for \/rwinsta/);
    expect(messageText(m)).toMatch(/```Usage:\n\s+\/rwinsta <server> <session>/);
  });

  it('usage and examples name the commands as configured here: /rdmsg, never Slack\'s own /msg', async () => {
    const bad = rig.emu.sendSlashCommand({ command: '/rdmsg', text: 'rds01', user_id: 'UADMIN1' });
    const text = messageText((await rig.emu.waitForResponses(bad.responseId))[0]);
    expect(text).toMatch(/whom to on rds01\? e\.g\. \/rdmsg rds01 3 Please save your work \(\/qwinsta rds01 lists the sessions\)/);
    expect(text).toMatch(/\n\s+\/rdmsg <server> <session \| user \| \*>/);
    expect(text).not.toMatch(/(^|\s)msg /m);
  });

  it('help is private, laid out in monospace', async () => {
    const help = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'help', user_id: 'UNOBODY' });
    const [m] = await rig.emu.waitForResponses(help.responseId);
    expect(m?.response_type).toBe('ephemeral');
    expect(messageText(m)).toMatch(/```\/qwinsta: List Remote Desktop sessions[^]*\n  \/qwinsta <server> \[<session or user>\]/);
  });

  it('undoes what Slack escapes in command text, and its link markup', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rdmsg', text: '<http://rds01|rds01> 3 Save your work &amp; log off &lt;now&gt;', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(cmd.responseId);
    expect(rig.h.fleet.messages.at(-1)).toMatchObject({ server: 'rds01', id: 3, text: 'Save your work & log off <now>' });
  });

  it('acks every command within the deadline while the backend is hung, and other servers still answer', async () => {
    rig.h.fleet.setHang('rds01', true);
    const hung = Array.from({ length: 20 }, () => rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' }));
    for (const a of await Promise.all(hung.map((d) => d.ack))) expect(a.latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: CONFIRM_ACTION, value: 'no-such-confirmation' });
    expect((await press.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    const other = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect((await other.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    expect(messageText((await rig.emu.waitForResponses(other.responseId))[0])).toMatch(/rds02: 4 sessions/);
    // The hung ones are still waiting on the server: nothing was posted for them.
    for (const d of hung) expect(rig.emu.api.responses.get(d.responseId)).toEqual([]);
  });

  it('reconnects after the socket drops, and after Slack asks it to refresh', async () => {
    rig.emu.dropSocket();
    await rig.emu.connected(2);
    const after = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect((await after.ack).latencyMs).toBeLessThan(SLACK_ACK_DEADLINE_MS);
    expect(messageText((await rig.emu.waitForResponses(after.responseId))[0])).toMatch(/rds02: 4 sessions/);
    rig.emu.askToRefresh();
    await rig.emu.connected(3);
    // Each connection used a fresh URL from apps.connections.open.
    expect(rig.emu.callsTo('apps.connections.open')).toHaveLength(3);
    const again = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    await again.ack;
    await rig.emu.waitForResponses(again.responseId);
  });

  it('a button it does not know is acked and left alone', async () => {
    const press = rig.emu.sendButton({ user_id: 'UADMIN1', action_id: 'someone_elses_button', value: 'x' });
    await press.ack;
    const list = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(list.responseId);
    expect(rig.emu.api.responses.get(press.responseId)).toEqual([]);
  });

  it('posts actions and denials to the audit channel, escaped; plain queries are not posted', async () => {
    const cmd = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 6', user_id: 'UADMIN1', user_name: 'alice' });
    await rig.emu.waitForResponses(cmd.responseId);
    const q = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' });
    await rig.emu.waitForResponses(q.responseId);
    const sneaky = rig.emu.sendSlashCommand({ command: '/rdmsg', text: 'rds01 3 hi &lt;!channel&gt;', user_id: 'UNOBODY', user_name: 'mallory' });
    await rig.emu.waitForResponses(sneaky.responseId);
    await expect.poll(() => rig.emu.callsTo('chat.postMessage').length).toBe(2);
    const [logoff, denial] = rig.emu.callsTo('chat.postMessage').map((c) => ({ channel: c.args.channel, text: String(c.args.text) }));
    expect(logoff).toEqual({
      channel: 'C0AUDIT',
      text: expect.stringMatching(/^\[slack\] alice \(UADMIN1\) `\/rwinsta rds01 6` → allowed logoff on rds01: ok · 6 CORP\\bwayne \(Disconnected\) · Requested by <@UADMIN1> at <!date\^\d+\^\{time_secs\}\|09:00:00> \[simulated\]$/),
    });
    expect(denial?.text).toMatch(/mallory \(UNOBODY\) `\/msg rds01 3 hi &lt;!channel&gt;` → denied message on rds01/);
    expect(denial?.text).not.toMatch(/<!channel>/);
  });
});

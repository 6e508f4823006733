import { afterEach, describe, expect, it } from 'vitest';
import type { DiscordConfig } from '../../adapters/discord/config.js';
import type { ChannelMessage } from '../emulators/discord/discord-emulator.js';
import { DISCORD_HELPDESK_CHANNEL, FOUR_EYES_ACCESS } from '../support/four-eyes-access.js';
import { bodyText, customIds, opt, startDiscordRig, type DiscordRig } from './discord-harness.js';

const DISCORD_CALLBACK_DEADLINE_MS = 3000;
const EPHEMERAL = 64;
const HD = DISCORD_HELPDESK_CHANNEL;
const APPROVALS = '555555555555555002';
const helpdesk = { id: '222222222222222222', username: 'bob', roles: [] };
const senior = { id: '333333333333333333', username: 'sara', roles: [] };
const senior2 = { id: '333333333333333334', username: 'sean', roles: [] };
const lead = { id: '444444444444444401', username: 'lee', roles: [] };
const auditor = { id: '444444444444444402', username: 'ada', roles: [] };
const TICKET = opt.s('reason', 'INC0012345 user stuck');

async function fourEyesRig(config: Partial<DiscordConfig> = {}): Promise<DiscordRig> {
  return startDiscordRig({
    harness: { access: FOUR_EYES_ACCESS },
    config,
    emulator: (emu) => {
      emu.channels.set(HD, 'helpdesk-rds');
      emu.channels.set(APPROVALS, 'approvals');
    },
  });
}

/** The requester asks in #helpdesk-rds and confirms; returns the request the bot posted and the confirm press. */
async function requestApproval(rig: DiscordRig, command = 'rwinsta', options = [opt.s('server', 'rds01'), opt.s('session', '3'), TICKET], who = helpdesk, n = 1): Promise<{ request: ChannelMessage; confirmToken: string }> {
  const cmd = rig.emu.command(command, options, who, { channelId: HD });
  const [prompt] = await rig.emu.waitForEdits(cmd.token);
  const confirmId = customIds(prompt).find((c) => c.startsWith('rwinsta:confirm:'));
  if (!confirmId) throw new Error(`no Confirm button: ${bodyText(prompt)}`);
  const press = rig.emu.button(confirmId, who, rig.emu.messageFor(prompt ?? {}, HD));
  await rig.emu.waitForEdits(press.token);
  const requests = (): ChannelMessage[] => rig.emu.channelMessages.filter((m) => customIds(m.body).some((c) => c.startsWith('rwinsta:approve:')));
  await expect.poll(() => requests().length).toBeGreaterThanOrEqual(n);
  return { request: requests()[n - 1] as ChannelMessage, confirmToken: press.token };
}

function press(rig: DiscordRig, request: ChannelMessage, who: typeof helpdesk, kind: 'approve' | 'reject' = 'approve') {
  const id = customIds(request.body).find((c) => c.startsWith(`rwinsta:${kind}:`));
  if (!id) throw new Error(`no ${kind} button: ${bodyText(request.body)}`);
  return rig.emu.button(id, who, rig.emu.messageFor(request.body, request.channel, request.id));
}

describe('Discord: approvals, reasons and channel scope against the local Discord', () => {
  let rig: DiscordRig;
  afterEach(async () => rig.stop());

  it('request by A, approval by A refused, approval by B acts once; the outcome names them as mentions that ping nobody', async () => {
    rig = await fourEyesRig({ auditChannel: '555555555555555009' });
    const { request, confirmToken } = await requestApproval(rig);
    // The request is a message of the bot's own in the channel, with Approve and Reject; it pings nobody.
    expect(request.channel).toBe(HD);
    expect(request.body.allowed_mentions).toEqual({ parse: [] });
    expect(customIds(request.body).map((c) => c.split(':')[1])).toEqual(['approve', 'reject']);
    const shown = bodyText(request.body);
    expect(shown).toMatch(/Approval needed: log off session 3 \(CORP\\jdoe, Active\) on rds01\./);
    expect(shown).toMatch(/Reason: INC0012345 user stuck/);
    expect(shown).toMatch(/Requested by <@222222222222222222> at <t:\d+:T> · confirmed by <@222222222222222222>/);
    // The requester's prompt says it waits.
    const waiting = (rig.emu.edits.get(confirmToken) ?? []).at(-1);
    expect(bodyText(waiting)).toMatch(/Waiting for approval: log off session 3/);
    expect(waiting?.components).toEqual([]);

    const self = press(rig, request, helpdesk);
    expect((await self.callback).latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    const [refusal] = await rig.emu.waitForFollowUps(self.token);
    expect(refusal?.flags).toBe(EPHEMERAL);
    expect(bodyText(refusal)).toMatch(/You asked for this, so you cannot approve it/);

    const approve = press(rig, request, senior);
    expect((await approve.callback).type).toBe(6);
    const [outcome] = await rig.emu.waitForEdits(approve.token);
    expect(bodyText(outcome)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01: gone after/);
    expect(bodyText(outcome)).toMatch(/Requested by <@222222222222222222> at <t:\d+:T> · confirmed by <@222222222222222222> at <t:\d+:T> · approved by <@333333333333333333> at <t:\d+:T>/);
    expect(bodyText(outcome)).toMatch(/Reason: INC0012345 user stuck/);
    expect(outcome?.allowed_mentions).toEqual({ parse: [] });
    expect(outcome?.components).toEqual([]);
    expect((await rig.h.fleet.listSessions('rds01')).some((s) => s.id === 3)).toBe(false);

    const again = press(rig, request, senior2);
    expect(bodyText((await rig.emu.waitForFollowUps(again.token))[0])).toMatch(/acted on once/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
    await expect.poll(() => rig.emu.channelMessages.some((m) => m.channel === '555555555555555009' && String(m.body.content).includes('approved logoff on rds01: ok'))).toBe(true);
    const line = rig.emu.channelMessages.find((m) => String(m.body.content).includes('approved logoff on rds01: ok'));
    expect(String(line?.body.content)).toMatch(/reason: INC0012345 user stuck · Requested by <@222222222222222222> at <t:\d+:T> .* approved by <@333333333333333333>/);
    expect(line?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('a double click on Approve acts once', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    const a = press(rig, request, senior);
    const b = press(rig, request, senior);
    await Promise.all([a.callback, b.callback]);
    await expect.poll(() => (rig.emu.edits.get(a.token)?.length ?? 0) + (rig.emu.edits.get(b.token)?.length ?? 0)).toBe(1);
    await expect.poll(() => (rig.emu.followUps.get(a.token)?.length ?? 0) + (rig.emu.followUps.get(b.token)?.length ?? 0)).toBe(1);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toHaveLength(1);
  });

  it('a rejection asks for a reply in a modal and closes the request with it', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    const reject = press(rig, request, senior, 'reject');
    const cb = await reject.callback;
    expect(cb.type).toBe(9);
    expect(cb.latencyMs).toBeLessThan(DISCORD_CALLBACK_DEADLINE_MS);
    const modalId = String(cb.data?.custom_id);
    expect(modalId).toMatch(/^rwinsta:rejectnote:/);
    expect(JSON.stringify(cb.data?.components)).toMatch(/"custom_id":"note"/);
    const submit = rig.emu.modalSubmit(modalId, { note: 'Call the user first' }, senior, rig.emu.messageFor(request.body, request.channel, request.id));
    expect((await submit.callback).type).toBe(6);
    const [closed] = await rig.emu.waitForEdits(submit.token);
    expect(bodyText(closed)).toMatch(/Rejected: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not done\./);
    expect(bodyText(closed)).toMatch(/sara replied: Call the user first/);
    expect(bodyText(closed)).toMatch(/rejected by <@333333333333333333>/);
    expect(closed?.components).toEqual([]);
    expect((await rig.h.fleet.querySession('rds01', 3)).state).toBe('Active');
    const late = press(rig, request, senior2);
    expect(bodyText((await rig.emu.waitForFollowUps(late.token))[0])).toMatch(/already decided, withdrawn or has expired/);
  });

  it('expiry edits the request message in the channel (any time later) and is audited', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig);
    rig.h.clock.advance(900_000);
    await rig.h.bot.sweepExpired();
    await expect.poll(() => request.versions.length).toBe(2);
    expect(rig.emu.requests.some((r) => r.method === 'PATCH' && r.path === `/channels/${HD}/messages/${request.id}`)).toBe(true);
    expect(bodyText(request.versions[1])).toMatch(/Expired: log off session 3 \(CORP\\jdoe, Active\) on rds01 was not approved within 15 min; nothing was done\./);
    expect(request.versions[1]?.components).toEqual([]);
    expect(rig.h.audit.records.at(-1)).toMatchObject({ decision: 'expired', reason: 'INC0012345 user stuck' });
  });

  it('two approvals: the first updates the request, buttons kept; the second acts', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig, 'rwinsta', [opt.s('server', 'rds01'), opt.s('session', '6,7')], lead);
    const first = press(rig, request, senior);
    const [progress] = await rig.emu.waitForEdits(first.token);
    expect(bodyText(progress)).toMatch(/Approved so far: 1 of 2\./);
    expect(customIds(progress).map((c) => c.split(':')[1])).toEqual(['approve', 'reject']);
    const second = press(rig, request, senior2);
    const [done] = await rig.emu.waitForEdits(second.token);
    expect(bodyText(done)).toMatch(/Logged off 2 of 2 sessions on rds01\./);
    expect(bodyText(done)).toMatch(/approved by <@333333333333333333> at <t:\d+:T> · approved by <@333333333333333334>/);
  });

  it('an approver who lacks the action on that server is refused privately', async () => {
    rig = await fourEyesRig();
    const { request } = await requestApproval(rig, 'tsdiscon', [opt.s('server', 'rds04'), opt.s('session', '2'), TICKET]);
    const p = press(rig, request, senior);
    const [refusal] = await rig.emu.waitForFollowUps(p.token);
    expect(refusal?.flags).toBe(EPHEMERAL);
    expect(bodyText(refusal)).toMatch(/You lack "disconnect" on rds04 here yourself, so you cannot approve it/);
    const q = press(rig, request, auditor);
    expect(bodyText((await rig.emu.waitForFollowUps(q.token))[0])).toMatch(/Only members of seniors may answer this request/);
  });

  it('a reason missing, wrong and right: the reason option', async () => {
    rig = await fourEyesRig();
    const missing = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3')], helpdesk, { channelId: HD });
    const [m] = await rig.emu.waitForFollowUps(missing.token);
    expect(m?.flags).toBe(EPHEMERAL);
    expect(bodyText(m)).toMatch(/this action needs a reason or ticket matching \^\(INC\|RITM\)\\d\{7\}\\b/);
    expect(bodyText(m)).toMatch(/\/rwinsta \/reason:"INC0012345 user stuck" \/server:rds01 3/);
    expect(bodyText(m)).toMatch(/In Discord, fill in the reason option of the command\./);
    const wrong = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3'), opt.s('reason', 'because')], helpdesk, { channelId: HD });
    expect(bodyText((await rig.emu.waitForFollowUps(wrong.token))[0])).toMatch(/the reason "because" does not match/);
    const quoted = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3'), opt.s('reason', 'INC0012345 "stuck"')], helpdesk, { channelId: HD });
    expect(bodyText((await rig.emu.waitForFollowUps(quoted.token))[0])).toMatch(/the reason cannot contain a double quote/);
    const right = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3'), TICKET], helpdesk, { channelId: HD });
    expect(bodyText((await rig.emu.waitForEdits(right.token))[0])).toMatch(/Reason: INC0012345 user stuck/);
    const args = rig.emu.command('rwinsta', [opt.s('args', 'rds01 2 /reason:"RITM0000001 frozen"')], helpdesk, { channelId: HD });
    expect(bodyText((await rig.emu.waitForEdits(args.token))[0])).toMatch(/Reason: RITM0000001 frozen/);
  });

  it('a grant limited to a channel, used elsewhere, is denied with the channel\'s name', async () => {
    rig = await fourEyesRig();
    const i = rig.emu.command('rwinsta', [opt.s('server', 'rds01'), opt.s('session', '3'), TICKET], helpdesk);
    const [denial] = await rig.emu.waitForFollowUps(i.token);
    expect(denial?.flags).toBe(EPHEMERAL);
    expect(bodyText(denial)).toMatch(/Denied: you lack "logoff" on rds01 here; use it in #helpdesk-rds or Slack or the console\./);
  });

  it('with RWINSTA_APPROVAL_CHANNEL_DISCORD the request goes there; where the bot may not post, to the channel asked in', async () => {
    rig = await fourEyesRig({ approvalChannel: APPROVALS });
    const { request } = await requestApproval(rig);
    expect(request.channel).toBe(APPROVALS);
    const done = press(rig, request, senior);
    expect(bodyText((await rig.emu.waitForEdits(done.token))[0])).toMatch(/Logged off session 3/);
    rig.emu.forbiddenChannels.add(APPROVALS);
    const second = await requestApproval(rig, 'rwinsta', [opt.s('server', 'rds01'), opt.s('session', '2'), TICKET], helpdesk, 2);
    expect(second.request.channel).toBe(HD);
  });
});

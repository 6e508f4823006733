import { afterEach, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { parseAccessFile } from '../../src/config/access-file.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildIdentityResolver } from '../../src/identity/index.js';
import { admin, bodyText, customIds, opt, startDiscordRig, type DiscordRig } from '../discord/discord-harness.js';
import { buttonValue, messageText, startSlackRig, type SlackRig } from '../slack/slack-harness.js';
import { FULL_ACCESS } from '../support/core-harness.js';

const JDOE_DISCORD = '777777777777777777';
const MKHAN_DISCORD = '888888888888888888';

/** Self-service on rds01–rds03; identities by an explicit map (Discord) and by email (Slack's users.info). */
const ACCESS = {
  ...FULL_ACCESS,
  selfService: { servers: ['rds01', 'rds02', 'rds03'], actions: ['query', 'logoff', 'disconnect'], everyone: { slack: true }, members: { discordUsers: [JDOE_DISCORD, MKHAN_DISCORD] } },
  identities: { discord: { [JDOE_DISCORD]: 'CORP\\jdoe', [MKHAN_DISCORD]: 'CORP\\mkhan' } },
  identity: { resolvers: ['map', 'emailRule'], emailRule: { domain: 'CORP', emailDomains: ['corp.example.com'] } },
};

function identity() {
  return buildIdentityResolver(parseAccessFile(ACCESS).identity, {}, silentLogger);
}

describe('self-service in Slack: "me" is found by the email users.info gives', () => {
  let rig: SlackRig;
  afterEach(async () => rig.stop());

  it('/qwinsta me shows only my sessions; /rwinsta me with several lists them; picking one asks, and the press acts', async () => {
    rig = await startSlackRig({ harness: { access: ACCESS, identity: identity() } });
    rig.emu.api.users.set('UJDOE', { email: 'jdoe@corp.example.com' });
    const q = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'me', user_id: 'UJDOE', user_name: 'jdoe' });
    const [mine] = await rig.emu.waitForResponses(q.responseId);
    expect(mine?.response_type).toBe('ephemeral');
    const text = messageText(mine);
    expect(text).toMatch(/Your sessions \(CORP\\jdoe\): 2 on the 3 servers self-service covers\./);
    expect(text).toMatch(/rds01\s+RDP-Tcp#7\s+CORP\\jdoe\s+3\s+Active/);
    expect(text).not.toMatch(/asmith|lchen|pnguyen/);

    const several = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'me', user_id: 'UJDOE' });
    expect(messageText((await rig.emu.waitForResponses(several.responseId))[0])).toMatch(/You have 2 sessions \(CORP\\jdoe\); say which by server and ID, e\.g\. \/rwinsta me rds01 3\./);

    rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'me rds02', user_id: 'UJDOE', user_name: 'jdoe' });
    await expect.poll(() => rig.emu.api.messagesIn('C0HELPDESK').length).toBe(1);
    const prompt = rig.emu.api.messagesIn('C0HELPDESK')[0];
    expect(messageText({ text: prompt?.text, blocks: prompt?.blocks })).toMatch(/Confirm: log off session 5 \(CORP\\jdoe, Disconnected\) on rds02\?/);
    const press = rig.emu.sendButton({ user_id: 'UJDOE', action_id: CONFIRM_ACTION, value: buttonValue({ blocks: prompt?.blocks }, CONFIRM_ACTION), message_ts: prompt?.ts ?? '' });
    expect(messageText((await rig.emu.waitForResponses(press.responseId))[0])).toMatch(/Logged off session 5 \(CORP\\jdoe\) on rds02/);
    expect(rig.h.audit.records.filter((r) => r.phase === 'outcome')).toEqual([expect.objectContaining({ selfService: true, account: 'CORP\\jdoe', platform: 'slack', userId: 'UJDOE' })]);
  });

  it("someone else's session is never shown or touched; an email outside the rule's domains is denied", async () => {
    rig = await startSlackRig({ harness: { access: ACCESS, identity: identity() } });
    rig.emu.api.users.set('UMKHAN', { email: 'mkhan@corp.example.com' });
    rig.emu.api.users.set('UGUEST', { email: 'jdoe@gmail.com' });
    const other = rig.emu.sendSlashCommand({ command: '/rwinsta', text: 'me rds01 3', user_id: 'UMKHAN' });
    expect(messageText((await rig.emu.waitForResponses(other.responseId))[0])).toMatch(/Nothing to do: no session 3 of yours \(CORP\\mkhan\) on rds01\./);
    const guest = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'me', user_id: 'UGUEST' });
    expect(messageText((await rig.emu.waitForResponses(guest.responseId))[0])).toMatch(/Denied: I cannot tell which Windows account is yours/);
    expect((await rig.h.fleet.querySession('rds01', 3)).user).toBe('jdoe');
  });

  it('without users:read.email the denial names the scope', async () => {
    rig = await startSlackRig({ harness: { access: ACCESS, identity: identity() } });
    rig.emu.api.scopes.delete('users:read.email');
    rig.emu.api.users.set('UJDOE', { email: 'jdoe@corp.example.com' });
    const q = rig.emu.sendSlashCommand({ command: '/qwinsta', text: 'me', user_id: 'UJDOE' });
    expect(messageText((await rig.emu.waitForResponses(q.responseId))[0])).toMatch(/users:read\.email/);
  });
});

describe('self-service in Discord: "me" by the explicit map', () => {
  let rig: DiscordRig;
  afterEach(async () => rig.stop());
  const jdoe = { id: JDOE_DISCORD, username: 'jdoe', roles: [] };
  const outsider = { id: '999999999999999999', username: 'eve', roles: [] };

  it('qwinsta me, rwinsta me with one session (confirm acts), and a person outside selfService denied', async () => {
    rig = await startDiscordRig({ harness: { access: ACCESS, identity: identity() } });
    const q = rig.emu.command('qwinsta', [opt.s('user', 'me')], jdoe);
    expect(bodyText((await rig.emu.waitForFollowUps(q.token))[0])).toMatch(/Your sessions \(CORP\\jdoe\): 2 on the 3 servers self-service covers\./);
    const one = rig.emu.command('tsdiscon', [opt.s('server', 'rds01'), opt.s('session', 'me')], jdoe);
    const [prompt] = await rig.emu.waitForEdits(one.token);
    expect(bodyText(prompt)).toMatch(/Confirm: disconnect session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    const press = rig.emu.button(customIds(prompt)[0] as string, jdoe, rig.emu.messageFor(prompt ?? {}));
    expect(bodyText((await rig.emu.waitForEdits(press.token))[0])).toMatch(/Disconnected session 3 \(CORP\\jdoe\) on rds01/);
    const denied = rig.emu.command('qwinsta', [opt.s('user', 'me')], outsider);
    expect(bodyText((await rig.emu.waitForFollowUps(denied.token))[0])).toMatch(/Denied: self-service is not open to you/);
    const helpdesk = rig.emu.command('rwinsta', [opt.s('session', 'me')], admin);
    expect(bodyText((await rig.emu.waitForFollowUps(helpdesk.token))[0])).toMatch(/Denied: self-service is not open to you/);
  });
});

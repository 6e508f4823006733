import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackAdapterFactory, slackUserGroupsOf } from '../../adapters/slack/index.js';
import type { ChatAdapter } from '../../adapters/shared/adapter.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { ConfigError } from '../../src/config/config-error.js';
import { silentLogger } from '../../src/core/logger.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { FULL_ACCESS, makeHarness } from '../support/core-harness.js';
import { messageText } from './slack-harness.js';

const ACCESS = {
  ...FULL_ACCESS,
  roles: {
    ...FULL_ACCESS.roles,
    admins: { ...FULL_ACCESS.roles.admins, members: { slackUsers: ['UADMIN1'], slackUserGroups: ['SRDSADMINS'] } },
  },
};

/** The factory as start() uses it: environment, access file, audit mirror. */
async function startFromEnv(emu: SlackEmulator, env: Record<string, string>): Promise<{ adapter: ChatAdapter; h: ReturnType<typeof makeHarness> }> {
  const h = makeHarness({ access: ACCESS });
  const adapter = await slackAdapterFactory.start({
    bot: h.bot,
    env: { SLACK_BOT_TOKEN: EMULATOR_TOKENS.bot, SLACK_APP_TOKEN: EMULATOR_TOKENS.app, SLACK_API_URL: emu.apiUrl, ...env },
    log: silentLogger,
    audit: h.mirror,
    access: buildAccessModel(ACCESS),
  });
  return { adapter, h };
}

describe('the Slack adapter factory, from the environment', () => {
  let emu: SlackEmulator;
  let running: ChatAdapter | undefined;
  beforeEach(async () => {
    emu = new SlackEmulator();
    await emu.start();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
    await emu.stop();
  });

  it('looks up only the user groups the access file names', () => {
    expect(slackUserGroupsOf(buildAccessModel(ACCESS))).toEqual(['SHELPDESK', 'SRDSADMINS']);
  });

  it('starts on the emulator: renamed commands, group lookups without a cache, the audit channel', async () => {
    emu.api.userGroups.set('SHELPDESK', ['UHELP1']);
    emu.api.userGroups.set('SRDSADMINS', ['UROOT']);
    emu.api.userGroups.set('SUNRELATED', ['UHELP1']);
    const { adapter } = await startFromEnv(emu, { SLACK_COMMAND_RWINSTA: '/reset-session', SLACK_USERGROUP_CACHE_SECONDS: '0', SLACK_AUDIT_CHANNEL: 'C0AUDIT' });
    running = adapter;
    await emu.connected();
    const cmd = emu.sendSlashCommand({ command: '/reset-session', text: 'rds01 6', user_id: 'UROOT', user_name: 'root' });
    await cmd.ack;
    expect(messageText((await emu.waitForResponses(cmd.responseId))[0])).toMatch(/Logged off session 6 \(CORP\\bwayne\) on rds01/);
    const list = emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UHELP1' });
    expect(messageText((await emu.waitForResponses(list.responseId))[0])).toMatch(/rds02: 4 sessions/);
    // No cache: each command looked its groups up again; a group no role names never was.
    expect(emu.callsTo('usergroups.users.list').map((c) => c.args.usergroup).sort()).toEqual(['SHELPDESK', 'SHELPDESK', 'SRDSADMINS', 'SRDSADMINS']);
    await expect.poll(() => emu.api.messagesIn('C0AUDIT').length).toBe(1);
    expect(emu.api.messagesIn('C0AUDIT')[0]?.text).toMatch(/root \(UROOT\) `\/rwinsta rds01 6` → allowed logoff on rds01: ok/);
  });

  it('a bot token Slack rejects fails the start, naming SLACK_BOT_TOKEN', async () => {
    const started = startFromEnv(emu, { SLACK_BOT_TOKEN: 'xoxb-revoked' });
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    await expect(started).rejects.toThrow(/^SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\)/);
    expect(emu.callsTo('apps.connections.open')).toEqual([]);
  });

  it('an app token Slack rejects fails the start, naming SLACK_APP_TOKEN', async () => {
    await expect(startFromEnv(emu, { SLACK_APP_TOKEN: 'xapp-revoked' })).rejects.toThrow(/^SLACK_APP_TOKEN: Slack rejected it \(invalid_auth\)/);
  });

  it('an unreachable Web API fails the start and says which URL', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(startFromEnv(emu, { SLACK_API_URL: `http://127.0.0.1:${port}/api/` })).rejects.toThrow(new RegExp(`auth\\.test at http://127\\.0\\.0\\.1:${port}/api/ failed`));
  });

  it('HTTP mode on a port already taken fails the start, naming SLACK_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, r));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(startFromEnv(emu, { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's', SLACK_PORT: String(port) })).rejects.toThrow(new RegExp(`^SLACK_PORT: cannot listen on port ${port} \\(EADDRINUSE\\)`));
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

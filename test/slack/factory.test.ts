import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackAdapterFactory, slackUserGroupsOf } from '../../adapters/slack/index.js';
import type { ChatAdapter } from '../../adapters/shared/adapter.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { FULL_ACCESS, makeHarness } from '../support/core-harness.js';
import { memoryLogger, messageText } from './slack-harness.js';
import { freePort } from '../support/redis-server.js';

const ACCESS = {
  ...FULL_ACCESS,
  roles: {
    ...FULL_ACCESS.roles,
    admins: { ...FULL_ACCESS.roles.admins, members: { slackUsers: ['UADMIN1'], slackUserGroups: ['SRDSADMINS'] } },
  },
};

/** The factory as start() uses it: environment, access file, audit mirror; it connects in the background. */
async function startFromEnv(emu: SlackEmulator, env: Record<string, string>): Promise<{ adapter: ChatAdapter; h: ReturnType<typeof makeHarness>; gaveUp: string[]; logs: string[] }> {
  const h = makeHarness({ access: ACCESS });
  const gaveUp: string[] = [];
  const logs: string[] = [];
  const adapter = await slackAdapterFactory.start({
    bot: h.bot,
    env: { SLACK_BOT_TOKEN: EMULATOR_TOKENS.bot, SLACK_APP_TOKEN: EMULATOR_TOKENS.app, SLACK_API_URL: emu.apiUrl, ...env },
    log: memoryLogger(logs),
    audit: h.mirror,
    access: buildAccessModel(ACCESS),
    onGaveUp: (why) => gaveUp.push(why),
    backoff: { initialMs: 200, factor: 2, maxMs: 1000 },
  });
  return { adapter, h, gaveUp, logs };
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

  it('a bot token Slack rejects stops the adapter with a sentence naming SLACK_BOT_TOKEN, and is not tried again', async () => {
    const { adapter, gaveUp, logs } = await startFromEnv(emu, { SLACK_BOT_TOKEN: 'xoxb-revoked' });
    running = adapter;
    await expect.poll(() => gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/^SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\); copy the Bot User OAuth Token/);
    expect(adapter.status()).toEqual({ ready: false, detail: `stopped: ${gaveUp[0]}` });
    expect(logs.join('\n')).toMatch(/error slack: stopped: SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\).*the other adapters carry on/);
    // Several backoff periods later: still the one attempt.
    await new Promise((r) => setTimeout(r, 1500));
    expect(emu.callsTo('auth.test')).toHaveLength(1);
    expect(emu.callsTo('apps.connections.open')).toEqual([]);
  });

  it('an app token Slack rejects stops the adapter, naming SLACK_APP_TOKEN', async () => {
    const { adapter, gaveUp } = await startFromEnv(emu, { SLACK_APP_TOKEN: 'xapp-revoked' });
    running = adapter;
    await expect.poll(() => gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/^SLACK_APP_TOKEN: Slack rejected it \(invalid_auth\)/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(emu.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('a Web API it cannot reach is tried again with backoff, each failure logged with the next attempt; it connects once Slack is there', async () => {
    const port = await freePort();
    const { adapter, logs } = await startFromEnv(emu, { SLACK_API_URL: `http://127.0.0.1:${port}/api/` });
    running = adapter;
    await expect.poll(() => logs.filter((l) => l.includes('next attempt at')).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(logs.find((l) => l.includes('next attempt at'))).toMatch(
      new RegExp(`^warn slack: cannot reach Slack \\(auth\\.test at http://127\\.0\\.0\\.1:${port}/api/ failed \\(.*ECONNREFUSED.*\\); next attempt at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in \\d+ s\\)$`),
    );
    expect(adapter.status().ready).toBe(false);
    expect(adapter.status().detail).toMatch(/^cannot reach Slack \(auth\.test at .* failed .*\); next attempt at /);
    const late = new SlackEmulator();
    await late.start(port);
    try {
      await late.connected();
      await expect.poll(() => adapter.status(), { timeout: 15_000 }).toEqual({ ready: true, detail: '' });
      expect(logs.join('\n')).toMatch(/info slack: connected to Slack \(attempt \d+\)/);
      const list = late.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
      expect(messageText((await late.waitForResponses(list.responseId))[0])).toMatch(/rds02: 4 sessions/);
    } finally {
      await adapter.stop();
      running = undefined;
      await late.stop();
    }
  });

  it('Slack gone after start (socket and Web API): reconnects with backoff, by itself, once Slack is back', async () => {
    const { adapter, logs } = await startFromEnv(emu, {});
    running = adapter;
    await emu.connected();
    await expect.poll(() => adapter.status()).toEqual({ ready: true, detail: '' });
    const port = emu.port;
    await emu.stop();
    await expect.poll(() => logs.some((l) => /^warn slack: lost the connection to Slack \(the Socket Mode connection closed\); reconnecting$/.test(l))).toBe(true);
    await expect.poll(() => logs.some((l) => /^warn slack: cannot reach Slack \(.*ECONNREFUSED.*\); next attempt at /.test(l)), { timeout: 15_000 }).toBe(true);
    expect(adapter.status().ready).toBe(false);
    emu = new SlackEmulator();
    await emu.start(port);
    await emu.connected();
    await expect.poll(() => adapter.status(), { timeout: 15_000 }).toEqual({ ready: true, detail: '' });
    const list = emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect(messageText((await emu.waitForResponses(list.responseId))[0])).toMatch(/rds02: 4 sessions/);
  }, 30_000);

  it('HTTP mode on a port already taken stops the adapter, naming SLACK_PORT', async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, r));
    const port = (taken.address() as { port: number }).port;
    try {
      const { adapter, gaveUp } = await startFromEnv(emu, { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's', SLACK_PORT: String(port) });
      running = adapter;
      await expect.poll(() => gaveUp).toHaveLength(1);
      expect(gaveUp[0]).toMatch(new RegExp(`^SLACK_PORT: cannot listen on port ${port} \\(EADDRINUSE\\)`));
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it('HTTP mode listens on SLACK_HOST; an address this host does not have stops the adapter, naming SLACK_HOST', async () => {
    const port = await freePort();
    const { adapter } = await startFromEnv(emu, { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's', SLACK_PORT: String(port), SLACK_HOST: '127.0.0.1' });
    running = adapter;
    await expect.poll(() => adapter.status().ready).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '' })).status).toBe(401);
    await adapter.stop();
    const elsewhere = await startFromEnv(emu, { SLACK_MODE: 'http', SLACK_SIGNING_SECRET: 's', SLACK_PORT: String(port), SLACK_HOST: '192.0.2.1' });
    running = elsewhere.adapter;
    await expect.poll(() => elsewhere.gaveUp).toHaveLength(1);
    expect(elsewhere.gaveUp[0]).toMatch(/^SLACK_HOST: cannot listen on "192\.0\.2\.1" \(EADDRNOTAVAIL\)/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { EMULATOR_TOKENS, SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { ADMIN_ROLE, admin, bodyText, opt } from '../discord/discord-harness.js';
import { messageText } from '../slack/slack-harness.js';
import { BotProcess } from '../support/bot-process.js';
import { FULL_ACCESS } from '../support/core-harness.js';
import { freePort } from '../support/redis-server.js';

/** The environment for both adapters, pointed at where the emulators are, or will be. */
function chatEnv(slack: { apiUrl: string }, discord: DiscordEmulator, discordApi: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: EMULATOR_TOKENS.bot,
    SLACK_APP_TOKEN: EMULATOR_TOKENS.app,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discordApi,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
  };
}

describe('start-up and outages: a platform that cannot be reached is waited for; one that refuses the token stops only its adapter', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('Slack and Discord both down at start: retried with backoff, /readyz says why; Slack up first serves while Discord is still down; then both, without a restart', async () => {
    const slackPort = await freePort();
    const discordPort = await freePort();
    const slack = new SlackEmulator();
    const discord = new DiscordEmulator();
    discord.guildRoles.push(ADMIN_ROLE);
    cleanup.push(() => slack.stop(), () => discord.stop());
    const bot = (await BotProcess.create(FULL_ACCESS, chatEnv({ apiUrl: `http://127.0.0.1:${slackPort}/api/` }, discord, `http://127.0.0.1:${discordPort}/api`))).start();
    cleanup.push(() => bot.stop());

    await bot.waitForLog(/warn slack: cannot reach Slack \(auth\.test at .* failed \(.*ECONNREFUSED.*\); next attempt at \S+Z \(in \d+ s\)/);
    await bot.waitForLog(/warn discord: cannot reach Discord \(http:\/\/127\.0\.0\.1:\d+\/api: .*ECONNREFUSED.*\); next attempt at \S+Z \(in \d+ s\)/);
    expect((await bot.health('/healthz')).status).toBe(200);
    const down = await bot.health('/readyz');
    expect(down.status).toBe(503);
    expect(down.text).toMatch(/^failing: slack connection: cannot reach Slack .*; next attempt at \S+Z$/m);
    expect(down.text).toMatch(/^failing: discord connection: cannot reach Discord .*; next attempt at \S+Z$/m);
    expect(down.text).toMatch(/^ok: state store$/m);

    await slack.start(slackPort);
    await slack.connected();
    const list = slack.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN1' });
    expect(messageText((await slack.waitForResponses(list.responseId))[0])).toMatch(/rds02: 4 sessions/);
    const half = await bot.health('/readyz');
    expect(half.status).toBe(503);
    expect(half.text).toMatch(/^ok: slack connection$/m);
    expect(half.text).toMatch(/^failing: discord connection: /m);

    await discord.start(discordPort);
    await discord.sessions(1);
    const i = discord.command('qwinsta', [opt.s('server', 'rds01')], admin);
    expect(bodyText((await discord.waitForEdits(i.token))[0])).toMatch(/rds01: 6 sessions/);
    await expect.poll(async () => (await bot.health('/readyz')).status, { timeout: 10_000 }).toBe(200);
    expect(bot.stderr).toMatch(/info slack: connected to Slack \(attempt \d+\)/);
    expect(bot.running).toBe(true);
  }, 90_000);

  it('Discord down after start: the gateway is restored by itself once Discord is back; /readyz says so meanwhile', async () => {
    const slack = new SlackEmulator();
    const discord = new DiscordEmulator();
    discord.guildRoles.push(ADMIN_ROLE);
    await slack.start();
    await discord.start();
    cleanup.push(() => slack.stop(), () => discord.stop());
    const bot = (await BotProcess.create(FULL_ACCESS, chatEnv(slack, discord, discord.apiUrl))).start();
    cleanup.push(() => bot.stop());
    await discord.sessions(1);
    await expect.poll(async () => (await bot.health('/readyz')).status, { timeout: 10_000 }).toBe(200);
    await discord.down();
    await expect.poll(async () => (await bot.health('/readyz')).text, { timeout: 10_000 }).toMatch(/^failing: discord connection: the gateway connection dropped; reconnecting$/m);
    await discord.up();
    await expect.poll(async () => (await bot.health('/readyz')).status, { timeout: 20_000 }).toBe(200);
    const i = discord.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect(bodyText((await discord.waitForEdits(i.token))[0])).toMatch(/rds02: 4 sessions/);
  }, 60_000);

  it('a bot token Slack refuses stops the Slack adapter with a sentence naming SLACK_BOT_TOKEN, once; Discord carries on', async () => {
    const slack = new SlackEmulator();
    const discord = new DiscordEmulator();
    discord.guildRoles.push(ADMIN_ROLE);
    await slack.start();
    await discord.start();
    cleanup.push(() => slack.stop(), () => discord.stop());
    const bot = (await BotProcess.create(FULL_ACCESS, { ...chatEnv(slack, discord, discord.apiUrl), SLACK_BOT_TOKEN: 'xoxb-revoked' })).start();
    cleanup.push(() => bot.stop());
    await bot.waitForLog(/error slack: stopped: SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\); copy the Bot User OAuth Token \(xoxb-…\) again from OAuth & Permissions\. Fix it and restart the bot; the other adapters carry on\./);
    await discord.sessions(1);
    const i = discord.command('qwinsta', [opt.s('server', 'rds02')], admin);
    expect(bodyText((await discord.waitForEdits(i.token))[0])).toMatch(/rds02: 4 sessions/);
    const ready = await bot.health('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.text).toMatch(/^failing: slack connection: stopped: SLACK_BOT_TOKEN: Slack rejected it \(invalid_auth\)/m);
    expect(ready.text).toMatch(/^ok: discord connection$/m);
    // No retry loop: still the one auth.test, well past the first backoff periods.
    await new Promise((r) => setTimeout(r, 4000));
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    expect(bot.running).toBe(true);
  }, 60_000);

  it('the only adapter refused (Discord closes the gateway with 4004): the process ends (exit 1) with the sentence naming DISCORD_TOKEN', async () => {
    const discord = new DiscordEmulator();
    discord.refuseIdentify = true;
    await discord.start();
    cleanup.push(() => discord.stop());
    const env = chatEnv({ apiUrl: '' }, discord, discord.apiUrl);
    delete env.SLACK_BOT_TOKEN;
    delete env.SLACK_APP_TOKEN;
    delete env.SLACK_API_URL;
    const bot = (await BotProcess.create(FULL_ACCESS, env)).start();
    cleanup.push(() => bot.stop());
    expect(await bot.exited).toBe(1);
    expect(bot.stderr).toMatch(/error discord: stopped: DISCORD_TOKEN: Discord refused it \(gateway close 4004: authentication failed\); copy the bot token again/);
    expect(bot.stderr).toMatch(/error every chat adapter has stopped \(discord; see above\): exiting/);
    expect(discord.identifies).toBe(0);
  }, 60_000);
});

describe('a graceful stop: replies under way are finished, for as long as RWINSTA_DRAIN_SECONDS allows', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function slackBot(env: Record<string, string>): Promise<{ slack: SlackEmulator; bot: BotProcess }> {
    const slack = new SlackEmulator();
    await slack.start();
    cleanup.push(() => slack.stop());
    const bot = (await BotProcess.create(FULL_ACCESS, { SLACK_BOT_TOKEN: EMULATOR_TOKENS.bot, SLACK_APP_TOKEN: EMULATOR_TOKENS.app, SLACK_API_URL: slack.apiUrl, ...env })).start();
    cleanup.push(() => bot.stop());
    await slack.connected();
    return { slack, bot };
  }

  it('SIGTERM while a command is under way: the socket closes at once, the reply still arrives, the process ends with 0', async () => {
    // The simulated servers answer in 1 to 4 s.
    const { slack, bot } = await slackBot({ RWINSTA_SIMULATED_LATENCY_MS: '2000' });
    const list = slack.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN1' });
    await list.ack;
    bot.signal('SIGTERM');
    await bot.waitForLog(/info stopping \(SIGTERM\): no new work is taken; 1 request under way, given up to 20 s to finish \(RWINSTA_DRAIN_SECONDS\)/);
    await expect.poll(() => slack.socket.isConnected, { timeout: 5000 }).toBe(false);
    expect(messageText((await slack.waitForResponses(list.responseId, 1, 15_000))[0])).toMatch(/rds01: 6 sessions/);
    expect(await bot.exited).toBe(0);
    expect(bot.stderr).toMatch(/every request under way has finished/);
  }, 60_000);

  it('an action still running when the drain time is up is recorded as interrupted, and the process ends', async () => {
    const { slack, bot } = await slackBot({ RWINSTA_SIMULATED_LATENCY_MS: '4000', RWINSTA_DRAIN_SECONDS: '1' });
    const cmd = slack.sendSlashCommand({ command: '/rwinsta', text: 'rds01 6 /f', user_id: 'UADMIN1' });
    await cmd.ack;
    await expect.poll(() => bot.audit().some((r) => r.phase === 'intent'), { timeout: 30_000, interval: 50 }).toBe(true);
    bot.signal('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr).toMatch(/warn stopping: timed out; 1 action still running recorded as interrupted in the audit log/);
    const outcome = bot.audit().find((r) => r.phase === 'outcome');
    expect(outcome).toMatchObject({ decision: 'allowed', action: 'logoff', server: 'rds01', outcome: 'interrupted' });
    expect(outcome?.detail).toMatch(/stopped \(SIGTERM, drain of 1 s elapsed\) before the outcome was known/);
  }, 60_000);
});

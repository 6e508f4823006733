import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIRM_ACTION } from '../../adapters/slack/blocks.js';
import { blockActionsPayload, slashCommandPayload } from '../emulators/slack/payloads.js';
import { EMULATOR_TOKENS, SlackEmulator, type StoredMessage } from '../emulators/slack/slack-emulator.js';
import { sample } from '../metrics/metrics-text.js';
import { buttonValue, messageText } from '../slack/slack-harness.js';
import { BotProcess } from '../support/bot-process.js';
import { FULL_ACCESS } from '../support/core-harness.js';
import { RedisServer } from '../support/redis-server.js';
import { onFakeFarm, skipInstances } from './fake-farm.js';

/** Each test has its own admin, so the rate limit (3 a minute) bites only the test about it. */
const ACCESS = {
  ...FULL_ACCESS,
  roles: { ...FULL_ACCESS.roles, admins: { ...FULL_ACCESS.roles.admins, members: { slackUsers: ['UADMIN1', 'UADMIN2', 'UADMIN3', 'UADMIN4', 'UADMIN5', 'URATE'] } } },
};

const asJson = (m: StoredMessage): Record<string, unknown> => ({ text: m.text, blocks: m.blocks });
const settle = (ms = 500): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipInstances())('two bot processes sharing one Redis, one Slack routing each envelope to either connection', () => {
  const emu = new SlackEmulator();
  let redis: RedisServer;
  let a: BotProcess;
  let b: BotProcess;
  /** Socket Mode connection numbers: A connected first, B second. */
  const A = 1;
  const B = 2;

  const intents = (): number => [...a.audit(), ...b.audit()].filter((r) => r.phase === 'intent').length;
  /** The prompt the bot posted in #helpdesk after `before` messages. */
  const nextPrompt = async (before: number): Promise<StoredMessage> => {
    await expect.poll(() => emu.api.messagesIn('C0HELPDESK').length, { timeout: 10_000 }).toBeGreaterThan(before);
    return emu.api.messagesIn('C0HELPDESK')[before] as StoredMessage;
  };
  const reply = async (responseId: number): Promise<string> => messageText((await emu.waitForResponses(responseId, 1, 15_000))[0]);

  beforeAll(async () => {
    redis = await new RedisServer().start();
    await emu.start();
    const env = {
      SLACK_BOT_TOKEN: EMULATOR_TOKENS.bot,
      SLACK_APP_TOKEN: EMULATOR_TOKENS.app,
      SLACK_API_URL: emu.apiUrl,
      RWINSTA_STATE_URL: redis.url,
      RWINSTA_STATE_PREFIX: 'two:',
      RWINSTA_RATE_LIMIT_PER_MINUTE: '3',
      RWINSTA_CONFIRM_TIMEOUT_SECONDS: '10',
    };
    a = onFakeFarm(await BotProcess.create(ACCESS, env));
    b = onFakeFarm(await BotProcess.create(ACCESS, env));
    a.start();
    await emu.connected(1);
    b.start();
    await emu.connected(2);
    expect(emu.socket.openConnections()).toEqual([A, B]);
  }, 60_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await emu.stop();
    await redis?.stop();
  });

  it('a command on A and the Confirm press on B: acted on once, by B', async () => {
    const before = emu.api.messagesIn('C0HELPDESK').length;
    await emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 3', user_id: 'UADMIN1', user_name: 'alice' }, A).ack;
    const prompt = await nextPrompt(before);
    expect(messageText(asJson(prompt))).toMatch(/Confirm: log off session 3 \(CORP\\jdoe, Active\) on rds01\?/);
    const press = emu.sendButton({ user_id: 'UADMIN1', user_name: 'alice', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts }, B);
    expect(await reply(press.responseId)).toMatch(/Logged off session 3 \(CORP\\jdoe\) on rds01/);
    expect(b.audit().filter((r) => r.phase === 'intent' && r.userId === 'UADMIN1')).toHaveLength(1);
    expect(a.audit().filter((r) => r.phase === 'intent' && r.userId === 'UADMIN1')).toHaveLength(0);
  }, 60_000);

  it('simultaneous presses of one Confirm on A and on B: acted on once, the other told it was used', async () => {
    const before = emu.api.messagesIn('C0HELPDESK').length;
    const started = intents();
    await emu.sendSlashCommand({ command: '/rwinsta', text: 'rds01 4', user_id: 'UADMIN2', user_name: 'bob' }, B).ack;
    const prompt = await nextPrompt(before);
    const press = { user_id: 'UADMIN2', user_name: 'bob', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts };
    const [onA, onB] = [emu.sendButton(press, A), emu.sendButton(press, B)];
    const answers = await Promise.all([reply(onA.responseId), reply(onB.responseId)]);
    expect(answers.filter((t) => /Logged off session 4 \(CORP\\pnguyen\) on rds01/.test(t))).toHaveLength(1);
    expect(answers.filter((t) => /already used, cancelled or has expired; nothing was done/.test(t))).toHaveLength(1);
    await settle();
    expect(intents()).toBe(started + 1);
  }, 60_000);

  it('a delivery replayed to the other instance (same trigger) is acknowledged and acts once', async () => {
    const started = intents();
    const { id, url } = emu.newResponseUrl();
    const payload = slashCommandPayload({ command: '/rwinsta', text: 'rds02 8 /f', user_id: 'UADMIN3', user_name: 'carol' }, url);
    await emu.socket.send('slash_commands', payload, true, undefined, A);
    expect(await reply(id)).toMatch(/Logged off session 8 \(CORP\\omartin\) on rds02/);
    await emu.socket.send('slash_commands', payload, true, undefined, B);
    await b.waitForLog(/slack: \/rwinsta from UADMIN3 delivered again \(trigger .+\); ignored/);
    expect(emu.api.responses.get(id)).toHaveLength(1);
    expect(intents()).toBe(started + 1);
    // A button press replayed across instances: the same.
    const before = emu.api.messagesIn('C0HELPDESK').length;
    await emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds02 3', user_id: 'UADMIN3' }, B).ack;
    const prompt = await nextPrompt(before);
    const pressed = emu.newResponseUrl();
    const press = blockActionsPayload({ user_id: 'UADMIN3', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts }, pressed.url);
    await emu.socket.send('interactive', press, false, undefined, B);
    expect(await reply(pressed.id)).toMatch(/Disconnected session 3/);
    await emu.socket.send('interactive', press, false, undefined, A);
    await a.waitForLog(/slack: a button press from UADMIN3 delivered again \(trigger .+\); ignored/);
    expect(emu.api.responses.get(pressed.id)).toHaveLength(1);
    expect(intents()).toBe(started + 2);
  }, 60_000);

  it('the rate limit (3 a minute) counts the actions on both instances together', async () => {
    const ran: string[] = [];
    for (const [to, text] of [
      [A, 'server01 2 /f'],
      [B, 'server01 2 /f'],
      [A, 'server01 3 /f'],
      [B, 'server01 3 /f'],
    ] as const) {
      const cmd = emu.sendSlashCommand({ command: '/rwinsta', text, user_id: 'URATE' }, to);
      ran.push(await reply(cmd.responseId));
    }
    expect(ran.slice(0, 3).every((t) => /^\S* ?Logged off session [23] /.test(t))).toBe(true);
    expect(ran[3]).toMatch(/Slow down: you may run 3 logoffs or disconnects per minute; try again in \d+ s\. Nothing was done\./);
    expect(b.audit().filter((r) => r.userId === 'URATE' && r.decision === 'rate-limited')).toHaveLength(1);
  }, 60_000);

  it('Redis paused (SIGSTOP): actions and confirmations refused with the sentence, queries answer, /readyz says why; resumed: it all works again', async () => {
    const before = emu.api.messagesIn('C0HELPDESK').length;
    await emu.sendSlashCommand({ command: '/rwinsta', text: 'rds03 2', user_id: 'UADMIN4' }, A).ack;
    const pending = await nextPrompt(before);
    const started = intents();
    redis.pause();
    try {
      const query = emu.sendSlashCommand({ command: '/qwinsta', text: 'rds02', user_id: 'UADMIN4' }, A);
      expect(await reply(query.responseId)).toMatch(/rds02: \d sessions?/);
      const find = emu.sendSlashCommand({ command: '/qwinsta', text: 'jdoe', user_id: 'UADMIN4' }, B);
      expect(await reply(find.responseId)).toMatch(/jdoe/);
      const forced = emu.sendSlashCommand({ command: '/rwinsta', text: 'rds03 5 /f', user_id: 'UADMIN4' }, B);
      expect(await reply(forced.responseId)).toMatch(/^\S* ?Refused: the shared state store cannot be reached \(.*\), so nothing was done\./);
      const asked = emu.sendSlashCommand({ command: '/tsdiscon', text: 'rds03 5', user_id: 'UADMIN4' }, A);
      expect(await reply(asked.responseId)).toMatch(/Refused: the shared state store cannot be reached/);
      const press = emu.sendButton({ user_id: 'UADMIN4', action_id: CONFIRM_ACTION, value: buttonValue(asJson(pending), CONFIRM_ACTION), message_ts: pending.ts }, B);
      expect(await reply(press.responseId)).toMatch(/Refused: the shared state store cannot be reached/);
      expect(intents()).toBe(started);
      const ready = await a.health('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.text).toMatch(/^failing: state store: state store \(Redis at redis:\/\/127\.0\.0\.1:\d+\/0\) unavailable during ping/m);
      expect(ready.text).toMatch(/^ok: slack connection$/m);
      expect(sample((await b.health('/metrics')).text, 'rwinsta_state_store_errors_total', { operation: 'mark' })).toBeGreaterThanOrEqual(1);
    } finally {
      redis.resume();
    }
    await expect.poll(async () => (await a.health('/readyz')).status, { timeout: 20_000, interval: 250 }).toBe(200);
    await expect.poll(async () => (await b.health('/readyz')).status, { timeout: 20_000, interval: 250 }).toBe(200);
    expect(a.stderr).toMatch(/state store: Redis at .* answers again/);
    // Confirmations work again (the one asked before the pause may have expired meanwhile: it lives 10 s).
    const again = emu.api.messagesIn('C0HELPDESK').length;
    await emu.sendSlashCommand({ command: '/rwinsta', text: 'rds03 2', user_id: 'UADMIN4' }, A).ack;
    const prompt = await nextPrompt(again);
    const press = emu.sendButton({ user_id: 'UADMIN4', action_id: CONFIRM_ACTION, value: buttonValue(asJson(prompt), CONFIRM_ACTION), message_ts: prompt.ts }, B);
    expect(await reply(press.responseId)).toMatch(/Logged off session 2 \(CORP\\mkhan\) on rds03/);
    const forced = emu.sendSlashCommand({ command: '/rwinsta', text: 'rds03 5 /f', user_id: 'UADMIN4' }, A);
    expect(await reply(forced.responseId)).toMatch(/Logged off session 5 \(CORP\\rgarcia\) on rds03/);
    expect(intents()).toBe(started + 2);
  }, 90_000);

  it('/metrics counts the requests each instance served, by verb and decision', async () => {
    const metrics = async (): Promise<number> => sample((await a.health('/metrics')).text, 'rwinsta_requests_total', { verb: 'qwinsta', decision: 'allowed' }) ?? 0;
    const was = await metrics();
    const q = emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN5' }, A);
    await reply(q.responseId);
    expect(await metrics()).toBe(was + 1);
    expect(sample((await a.health('/metrics')).text, 'rwinsta_ack_seconds_count', { platform: 'slack' })).toBeGreaterThan(0);
  }, 30_000);

  it('A dies (kill -9) with a prompt pending: B serves alone, and its expiry sweep marks the prompt A posted as expired', async () => {
    const before = emu.api.messagesIn('C0HELPDESK').length;
    await emu.sendSlashCommand({ command: '/rwinsta', text: 'rds04 2', user_id: 'UADMIN5' }, A).ack;
    const prompt = await nextPrompt(before);
    expect(a.audit().some((r) => r.decision === 'confirmation-requested' && r.userId === 'UADMIN5')).toBe(true);
    a.signal('SIGKILL');
    await a.exited;
    await expect.poll(() => emu.socket.openConnections(), { timeout: 10_000 }).toEqual([B]);
    // The confirmation lives 10 s and B sweeps every 5 s: this bounds a protocol, not a speed.
    await expect.poll(() => prompt.versions.length, { timeout: 30_000, interval: 250 }).toBe(2);
    expect(messageText(asJson(prompt))).toMatch(/expired/i);
    expect(b.audit().filter((r) => r.decision === 'expired' && r.userId === 'UADMIN5')).toHaveLength(1);
    const q = emu.sendSlashCommand({ command: '/qwinsta', text: 'rds01', user_id: 'UADMIN5' });
    expect(await reply(q.responseId)).toMatch(/rds01: \d sessions?/);
  }, 60_000);
});

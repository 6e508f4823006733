import { afterEach, describe, expect, it } from 'vitest';
import { MirroredAudit } from '../../adapters/shared/mirrored-audit.js';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { DiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { startHealthServer, type HealthServer } from '../../src/app/health-server.js';
import { buildAccessModel } from '../../src/config/access-file.js';
import { Bot } from '../../src/core/bot.js';
import type { Caller } from '../../src/core/caller.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import { StateUnavailable, type StateStore } from '../../src/core/ports/state-store.js';
import { Policy } from '../../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings.js';
import { BotMetrics, MeteredAudit, MeteredBackend, MeteredStateStore, poolStatsOf } from '../../src/metrics/index.js';
import { SimulatedFleet } from '../../src/wts/simulated/fleet.js';
import { WIN32 } from '../../src/wts/errors.js';
import { DiscordEmulator } from '../emulators/discord/discord-emulator.js';
import { SlackEmulator } from '../emulators/slack/slack-emulator.js';
import { admin, discordConfig, opt } from '../discord/discord-harness.js';
import { slackConfig } from '../slack/slack-harness.js';
import { FULL_ACCESS, ManualClock, MemoryAudit } from '../support/core-harness.js';
import { labelSets, sample } from './metrics-text.js';

/** A real Bot on the simulated fleet, with the metrics decorators where src/app puts them. */
function meteredBot(metrics: BotMetrics): { bot: Bot; fleet: SimulatedFleet; audit: MemoryAudit; as(user: string): Caller } {
  const clock = new ManualClock();
  const fleet = new SimulatedFleet({ latencyMs: 0, logoffDelayMs: 0, now: () => clock.now() });
  const audit = new MemoryAudit();
  let n = 0;
  const bot = new Bot({
    backend: new MeteredBackend(fleet, metrics),
    policy: new Policy(buildAccessModel(FULL_ACCESS)),
    audit: new MirroredAudit(new MeteredAudit(audit, metrics)),
    clock,
    newId: () => `id${++n}`,
    settings: { ...DEFAULT_SETTINGS, timeZone: 'UTC', logoffPollMs: 100, logoffVerifyMs: 2000 },
  });
  return { bot, fleet, audit, as: (user) => ({ platform: 'console', userId: user, userName: user, groups: [], channel: 'test' }) };
}

const METRICS = [
  ['rwinsta_requests_total', 'counter'],
  ['rwinsta_ack_seconds', 'histogram'],
  ['rwinsta_backend_call_seconds', 'histogram'],
  ['rwinsta_wts_threads_busy', 'gauge'],
  ['rwinsta_wts_threads_written_off', 'gauge'],
  ['rwinsta_pending_confirmations', 'gauge'],
  ['rwinsta_pending_approvals', 'gauge'],
  ['rwinsta_state_store_errors_total', 'counter'],
] as const;

describe('metrics', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it('/metrics has every metric with its type and help, and Node process metrics', async () => {
    const metrics = new BotMetrics();
    const server: HealthServer = await startHealthServer({ host: '127.0.0.1', port: 0, checks: [], metrics, log: silentLogger });
    stops.push(() => server.close());
    const text = await (await fetch(`${server.url}/metrics`)).text();
    for (const [name, type] of METRICS) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      expect(text).toContain(`# TYPE ${name} ${type}\n`);
    }
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('requests by verb and decision, and backend calls by operation and result, move as commands run through a real Bot', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const { bot, fleet, audit, as } = meteredBot(metrics);
    stops.push(() => fleet.close());
    expect(sample(await metrics.text(), 'rwinsta_requests_total', { verb: 'qwinsta', decision: 'allowed' })).toBeUndefined();

    await bot.handle({ caller: as('alice'), verb: 'qwinsta', text: 'rds01' });
    await bot.handle({ caller: as('alice'), verb: 'query', text: 'session /server:rds02' });
    let text = await metrics.text();
    expect(sample(text, 'rwinsta_requests_total', { verb: 'qwinsta', decision: 'allowed' })).toBe(2);
    expect(sample(text, 'rwinsta_backend_call_seconds_count', { operation: 'list', result: 'ok' })).toBe(2);

    // A logoff: asked, confirmed, done. The intent record is not a request of its own.
    const asked = await bot.handle({ caller: as('root'), verb: 'rwinsta', text: 'rds01 3' });
    const id = asked.confirmation?.id ?? '';
    expect(id).not.toBe('');
    await bot.confirm(id, as('root'));
    text = await metrics.text();
    expect(sample(text, 'rwinsta_requests_total', { verb: 'rwinsta', decision: 'confirmation-requested' })).toBe(1);
    expect(sample(text, 'rwinsta_requests_total', { verb: 'rwinsta', decision: 'confirmed' })).toBe(1);
    expect(audit.records.filter((r) => r.phase === 'intent')).toHaveLength(1);
    expect(sample(text, 'rwinsta_backend_call_seconds_count', { operation: 'logoff', result: 'ok' })).toBe(1);

    // Denied, invalid, and a server that does not answer (RPC 1722).
    await bot.handle({ caller: as('bob'), verb: 'tsdiscon', text: '3 /server:rds01' });
    await bot.handle({ caller: as('alice'), verb: 'qwinsta', text: '/server:' });
    fleet.setFailure('rds02', WIN32.RPC_SERVER_UNAVAILABLE);
    await bot.handle({ caller: as('alice'), verb: 'qwinsta', text: 'rds02' });
    text = await metrics.text();
    expect(sample(text, 'rwinsta_requests_total', { verb: 'tsdiscon', decision: 'denied' })).toBe(1);
    expect(sample(text, 'rwinsta_requests_total', { verb: 'qwinsta', decision: 'invalid' })).toBe(1);
    expect(sample(text, 'rwinsta_backend_call_seconds_count', { operation: 'list', result: '1722' })).toBe(1);

    // Each verb under its own label, whichever name it was typed with; one the grammar could not read by its words.
    await bot.handle({ caller: as('alice'), verb: 'query', text: 'process 3 /server:rds01' });
    await bot.handle({ caller: as('alice'), verb: 'quser', text: 'rds01' });
    await bot.handle({ caller: as('alice'), verb: 'query', text: 'user /server:rds01' });
    await bot.handle({ caller: as('alice'), verb: 'query', text: 'process /server:' });
    await bot.handle({ caller: as('alice'), verb: 'frobnicate', text: 'rds01' });
    text = await metrics.text();
    expect(sample(text, 'rwinsta_requests_total', { verb: 'qprocess', decision: 'allowed' })).toBe(1);
    expect(sample(text, 'rwinsta_requests_total', { verb: 'quser', decision: 'allowed' })).toBe(2);
    expect(sample(text, 'rwinsta_requests_total', { verb: 'qprocess', decision: 'invalid' })).toBe(1);
    expect(sample(text, 'rwinsta_requests_total', { verb: 'qwinsta', decision: 'allowed' })).toBe(3); // rds01 and rds02 earlier, and rds02 that did not answer
    expect(sample(text, 'rwinsta_requests_total', { verb: 'other', decision: 'invalid' })).toBe(1);
    // Every label value comes from a fixed set.
    for (const set of labelSets(text, 'rwinsta_requests_total')) expect(set).toMatch(/^verb=(rwinsta|qwinsta|quser|qprocess|tsdiscon|msg|help|confirm|cancel|other),decision=[a-z-]+$/);
  });

  it('pending confirmations and approvals are the live entries of their state namespaces', async () => {
    const store = new MemoryStateStore();
    const metrics = new BotMetrics({ processMetrics: false });
    metrics.watchPending(store);
    expect(sample(await metrics.text(), 'rwinsta_pending_confirmations')).toBe(0);
    const later = Date.now() + 60_000;
    await store.put('confirm', 'a', '{}', later, 60_000);
    await store.put('confirm', 'b', '{}', later, 60_000);
    await store.put('approval', 'c', '{}', later, 60_000);
    await store.put('replay', 'd', '{}', later, 60_000);
    const text = await metrics.text();
    expect(sample(text, 'rwinsta_pending_confirmations')).toBe(2);
    expect(sample(text, 'rwinsta_pending_approvals')).toBe(1);
  });

  it('state store errors are counted by operation; a pending gauge the store cannot fill is NaN, and /metrics still answers', async () => {
    const down = new StateUnavailable('Redis is away');
    const failing: StateStore = Object.assign(new MemoryStateStore(), {
      count: () => Promise.reject(down),
      take: () => Promise.reject(down),
    });
    const metrics = new BotMetrics({ processMetrics: false });
    const store = new MeteredStateStore(failing, metrics);
    metrics.watchPending(store);
    await expect(store.take('confirm', 'x')).rejects.toBe(down);
    await expect(store.take('confirm', 'y')).rejects.toBe(down);
    await store.put('confirm', 'z', 'v', Date.now(), 1000);
    expect(await store.get('confirm', 'z')).toBe('v');
    // One scrape: both pending gauges ask the store for a count; it cannot say.
    const text = await metrics.text();
    expect(sample(text, 'rwinsta_state_store_errors_total', { operation: 'take' })).toBe(2);
    expect(sample(text, 'rwinsta_state_store_errors_total', { operation: 'put' })).toBeUndefined();
    expect(sample(text, 'rwinsta_pending_confirmations')).toBeNaN();
    expect(sample(text, 'rwinsta_pending_approvals')).toBeNaN();
    // The counter is written before the gauges ask, so the next scrape shows those two failures.
    expect(sample(await metrics.text(), 'rwinsta_state_store_errors_total', { operation: 'count' })).toBe(2);
  });

  it('pool threads busy and written off come from the backend stats() when it has them', async () => {
    const fleet = new SimulatedFleet();
    stops.push(() => fleet.close());
    expect(poolStatsOf(fleet)).toBeUndefined();
    const pool = { stats: () => ({ threads: 8, busy: 3, abandoned: 1, queued: 0 }) };
    const metrics = new BotMetrics({ poolStats: poolStatsOf(pool), processMetrics: false });
    const text = await metrics.text();
    expect(sample(text, 'rwinsta_wts_threads_busy')).toBe(3);
    expect(sample(text, 'rwinsta_wts_threads_written_off')).toBe(1);
    expect(sample(await new BotMetrics({ processMetrics: false }).text(), 'rwinsta_wts_threads_busy')).toBe(0);
  });

  it('ack latency per platform: the Slack and Discord adapters report each acknowledgement', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    const { bot, fleet } = meteredBot(metrics);
    stops.push(() => fleet.close());

    const slackEmu = new SlackEmulator();
    await slackEmu.start();
    stops.push(() => slackEmu.stop());
    const slack = await SlackAdapter.start({ bot, config: slackConfig(slackEmu), log: silentLogger, userGroups: [], ackObserver: metrics });
    stops.push(() => slack.stop());
    await slackEmu.connected();
    // The reply comes after the ack: once it is in, the ack has been reported.
    for (const server of ['rds01', 'rds02']) await slackEmu.waitForResponses(slackEmu.sendSlashCommand({ command: '/qwinsta', text: server, user_id: 'UADMIN1' }).responseId);

    const discordEmu = new DiscordEmulator();
    discordEmu.guildRoles.push(admin.roles[0] as string);
    await discordEmu.start();
    stops.push(() => discordEmu.stop());
    const discord = await DiscordAdapter.start({ bot, config: discordConfig(discordEmu), log: silentLogger, readyTimeoutMs: 15_000, ackObserver: metrics });
    stops.push(() => discord.stop());
    await discordEmu.waitForEdits(discordEmu.command('qwinsta', [opt.s('server', 'rds01')], admin).token);

    const text = await metrics.text();
    expect(sample(text, 'rwinsta_ack_seconds_count', { platform: 'slack' })).toBe(2);
    expect(sample(text, 'rwinsta_ack_seconds_count', { platform: 'discord' })).toBe(1);
    expect(sample(text, 'rwinsta_ack_seconds_bucket', { platform: 'slack', le: '+Inf' })).toBe(2);
  });
});

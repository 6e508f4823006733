import { silentLogger } from '../src/core/logger.js';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { SlackEmulator } from '../test/emulators/slack/slack-emulator.js';
import { slackConfig } from '../test/slack/slack-harness.js';
import { benchState, type StateKind } from './bench-state.js';
import { hungBot, summarize, waitFor, type LatencyResult } from './hung-bot.js';

/**
 * Ack latency of the real Bolt app (Socket Mode, local Slack): time from the emulator sending a
 * slash command envelope to receiving its ack, while `hungCalls` wtsapi32 calls hang in the pool.
 * With `state: 'redis'` the bot keeps its state in a redis-server, as instances sharing it do.
 */
export async function runSlackAckBench(o: { commands: number; hungCalls: number; state?: StateKind }): Promise<LatencyResult> {
  const emu = new SlackEmulator();
  await emu.start();
  const store = await benchState(o.state);
  const hb = await hungBot(o.hungCalls, { state: store.state });
  const adapter = await SlackAdapter.start({
    bot: hb.bot,
    config: slackConfig(emu),
    log: silentLogger,
    userGroups: [],
  });
  try {
    await emu.connected();
    for (let i = 0; i < o.hungCalls; i++) await emu.sendSlashCommand({ command: '/qwinsta', text: '/server:hung', user_id: 'UADMIN1' }).ack;
    await waitFor(() => hb.busy() >= o.hungCalls, `${o.hungCalls} hung calls`);
    const latencies: number[] = [];
    for (let i = 0; i < o.commands; i++) {
      const text = i % 2 === 0 ? 'rds01' : '/server:hung';
      latencies.push((await emu.sendSlashCommand({ command: '/qwinsta', text, user_id: 'UADMIN1' }).ack).latencyMs);
    }
    return summarize(latencies, o.hungCalls);
  } finally {
    await adapter.stop();
    await hb.close();
    await emu.stop();
    await store.close();
  }
}

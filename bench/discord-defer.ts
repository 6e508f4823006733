import { silentLogger } from '../src/core/logger.js';
import { DiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { DiscordEmulator } from '../test/emulators/discord/discord-emulator.js';
import { discordConfig } from '../test/discord/discord-harness.js';
import { benchState, type StateKind } from './bench-state.js';
import { hungBot, summarize, waitFor, type LatencyResult } from './hung-bot.js';

const USER = { id: '100000000000000001', username: 'bench' };

/**
 * Time from the local Discord sending INTERACTION_CREATE to receiving the deferral callback, for the
 * real discord.js client, while `hungCalls` wtsapi32 calls hang in the pool. With `state: 'redis'`
 * the bot keeps its state in a redis-server: each interaction is checked against replays there
 * before it is deferred, which is the one round trip the Redis store adds to this path.
 */
export async function runDiscordDeferBench(o: { commands: number; hungCalls: number; state?: StateKind }): Promise<LatencyResult> {
  const emu = new DiscordEmulator();
  await emu.start();
  const store = await benchState(o.state);
  const hb = await hungBot(o.hungCalls, { state: store.state });
  const adapter = await DiscordAdapter.start({
    bot: hb.bot,
    config: discordConfig(emu),
    log: silentLogger,
  });
  const server = (name: string) => [{ name: 'server', type: 3, value: name }];
  try {
    for (let i = 0; i < o.hungCalls; i++) await emu.command('qwinsta', server('hung'), USER).callback;
    await waitFor(() => hb.busy() >= o.hungCalls, `${o.hungCalls} hung calls`);
    const latencies: number[] = [];
    for (let i = 0; i < o.commands; i++) {
      latencies.push((await emu.command('qwinsta', server(i % 2 === 0 ? 'rds01' : 'hung'), USER).callback).latencyMs);
    }
    return summarize(latencies, o.hungCalls);
  } finally {
    await adapter.stop();
    await hb.close();
    await emu.stop();
    await store.close();
  }
}

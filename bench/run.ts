import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CoreBenchResult } from './core.js';
import type { FanoutResult } from './fanout.js';
import type { FindStreamResult } from './find-stream.js';
import type { LatencyResult } from './hung-bot.js';
import type { MemoryResult } from './memory.js';
import { hasTool } from '../test/native/build-fakewts.js';

/**
 * `npm run bench`: each benchmark in its own process; a table on stdout, the figures in
 * bench/results/latest.json. `--sequential` also measures the one-server-at-a-time loop for real
 * (about three minutes per fan-out size); otherwise that loop's time is computed.
 */
const ONE = fileURLToPath(new URL('./run-one.js', import.meta.url));
const RESULTS = fileURLToPath(new URL('../../bench/results/', import.meta.url));
const sequential = process.argv.includes('--sequential');
const TIMEOUT_MS = 15_000;

function one<T>(name: string, opts: object): T {
  process.stderr.write(`bench: ${name} ${JSON.stringify(opts)}\n`);
  const out = execFileSync(process.execPath, ['--expose-gc', ONE, name, JSON.stringify(opts)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as T;
}

const core = one<CoreBenchResult>('core', { commands: 200_000 });
const fanout = [50, 200, 1000].map((servers) =>
  one<FanoutResult>('fanout', { servers, hung: 10, latencyMs: 100, timeoutMs: TIMEOUT_MS, concurrency: 32, threads: 32, measureSequential: sequential }),
);
// One match early in the list; 64 threads and concurrency (RWINSTA_WTS_THREADS, RWINSTA_FANOUT_CONCURRENCY).
const findStream = one<FindStreamResult>('findStream', { servers: 1000, hung: 10, latencyMs: 100, timeoutMs: TIMEOUT_MS, concurrency: 64, threads: 64, matchAt: 10, indexedRuns: 200 });
// Ack latency: a p99 of a few milliseconds on a shared machine moves with whatever else runs, so the
// four are taken in turn, in ROUNDS rounds, and each reports the round with its median p99 (every
// round's p99 is kept in the JSON). In-process and Redis then meet the same noise.
const ROUNDS = 3;
const withRedis = hasTool('redis-server');
if (!withRedis) process.stderr.write('bench: redis-server is not installed: slackRedis and discordRedis are skipped\n');
const ackNames = withRedis ? (['slack', 'slackRedis', 'discord', 'discordRedis'] as const) : (['slack', 'discord'] as const);
const rounds = new Map<string, LatencyResult[]>();
for (let r = 0; r < ROUNDS; r++) {
  for (const name of ackNames) rounds.set(name, [...(rounds.get(name) ?? []), one<LatencyResult>(name, { commands: 500, hungCalls: 32 })]);
}
type AckResult = LatencyResult & { p99Rounds: number[] };
const median = (name: string): AckResult | null => {
  const all = rounds.get(name);
  if (!all) return null;
  const sorted = [...all].sort((a, b) => a.p99 - b.p99);
  return { ...(sorted[Math.floor(sorted.length / 2)] as LatencyResult), p99Rounds: all.map((x) => x.p99) };
};
const slack = median('slack') as AckResult;
const discord = median('discord') as AckResult;
// The same with the state in a redis-server on this host, as instances sharing it keep it.
const slackRedis = median('slackRedis');
const discordRedis = median('discordRedis');
const memory = one<MemoryResult>('memory', { operations: 100_000, threads: 8 });

const f200 = fanout.find((f) => f.servers === 200) as FanoutResult;
const f1000 = fanout.find((f) => f.servers === 1000) as FanoutResult;
const targets = [
  { target: 'ack p99 ≤ 100 ms with 32 hung calls (Slack)', measured: `${slack.p99} ms`, met: slack.p99 <= 100 },
  { target: 'ack p99 ≤ 100 ms with 32 hung calls (Discord)', measured: `${discord.p99} ms`, met: discord.p99 <= 100 },
  ...(slackRedis && discordRedis
    ? [
        { target: 'ack p99 with the Redis store ≤ 2 × in-process (Slack)', measured: `${slackRedis.p99} ms (in-process ${slack.p99} ms)`, met: slackRedis.p99 <= 2 * slack.p99 },
        { target: 'ack p99 with the Redis store ≤ 2 × in-process (Discord)', measured: `${discordRedis.p99} ms (in-process ${discord.p99} ms)`, met: discordRedis.p99 <= 2 * discord.p99 },
      ]
    : []),
  { target: '200-server search ≤ timeout + 1 s', measured: `${(f200.wallMs / 1000).toFixed(1)} s`, met: f200.wallMs <= TIMEOUT_MS + 1000 },
  { target: '1,000-server search ≤ 2 × the 200-server time', measured: `${(f1000.wallMs / 1000).toFixed(1)} s`, met: f1000.wallMs <= 2 * f200.wallMs },
  { target: 'first match of a 1,000-server search ≤ 1,000 ms', measured: `${findStream.findFirstMatchMs} ms`, met: findStream.findFirstMatchMs <= 1000 },
  { target: 'the same search repeated ≤ 2,000 ms (hung servers known down)', measured: `${findStream.findRepeatMs} ms`, met: findStream.findRepeatMs <= 2000 },
  { target: 'search answered from the index (1,000 servers) p99 ≤ 50 ms', measured: `${findStream.findIndexedP99Ms} ms`, met: findStream.findIndexedP99Ms <= 50 },
  { target: '≥ 50,000 commands/s through the core', measured: `${core.parseAuthorizeRenderPerSecond}/s (handle: ${core.handlePerSecond}/s)`, met: core.parseAuthorizeRenderPerSecond >= 50_000 },
  { target: '0 outstanding allocations after 100,000 operations', measured: String(memory.outstandingAllocations), met: memory.outstandingAllocations === 0 && memory.openHandles === 0 },
  { target: '< 20 MB RSS growth after 100,000 operations (steady state)', measured: `${memory.steadyGrowthMb} MB (cold start: ${memory.coldGrowthMb} MB)`, met: memory.steadyGrowthMb < 20 },
];

const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}` };
const table = (rows: string[][]): string => {
  const w = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(w[i] ?? 0)).join('  ').trimEnd()).join('\n');
};

const signed = (x: number): string => (x >= 0 ? `+${x}` : String(x));

const lines = [
  `rwinsta-bot benchmark, ${new Date().toISOString()}, ${machine.cpu} ×${machine.cpus}, ${machine.memoryGb} GiB, Node ${machine.node}`,
  '',
  `core: ${core.parseAuthorizeRenderPerSecond} commands/s parsed, authorized and rendered; ${core.handlePerSecond}/s through Bot.handle (in-memory fleet and audit)`,
  '',
  'fan-out (find a user; 100 ms a server, 10 hung, timeout 15 s, 32 threads, concurrency 32):',
  table([
    ['servers', 'wall', 'ideal', 'sequential', 'answered', 'failed'],
    ...fanout.map((f) => [String(f.servers), `${(f.wallMs / 1000).toFixed(1)} s`, `${(f.idealMs / 1000).toFixed(1)} s`, `${(f.sequentialMs / 1000).toFixed(1)} s${f.sequentialMeasured ? '' : ' (computed)'}`, String(f.answered), String(f.failed)]),
  ]),
  '',
  `answers as they arrive (1,000 servers, 100 ms each, 10 hung, one match at position ${findStream.matchAt}, ${findStream.threads} threads, concurrency ${findStream.concurrency}): first match ${findStream.findFirstMatchMs} ms, whole search ${(findStream.findFullMs / 1000).toFixed(1)} s, repeated ${findStream.findRepeatMs} ms, from the index p50 ${findStream.findIndexedP50Ms} ms / p99 ${findStream.findIndexedP99Ms} ms (n=${findStream.indexedRuns})`,
  '',
  `ack latency with ${slack.hungCalls} hung calls (the round with the median p99 of ${ROUNDS}):`,
  table([
    ['state store', 'Slack p50', 'p99', 'max', 'Discord p50', 'p99', 'max', 'n', 'p99 of each round (Slack; Discord)'],
    ...[
      ['in-process', slack, discord],
      ['Redis', slackRedis, discordRedis],
    ].flatMap(([label, s, d]) => {
      const sl = s as AckResult | null;
      const dl = d as AckResult | null;
      if (!sl || !dl) return [[label as string, 'skipped (no redis-server)']];
      return [[label as string, `${sl.p50} ms`, `${sl.p99} ms`, `${sl.max} ms`, `${dl.p50} ms`, `${dl.p99} ms`, `${dl.max} ms`, String(sl.n), `${sl.p99Rounds.join(', ')}; ${dl.p99Rounds.join(', ')}`]];
    }),
  ]),
  '',
  `memory after ${memory.operations} operations on ${memory.threads} threads: ${memory.outstandingAllocations} outstanding allocations, ${memory.openHandles} open handles, RSS ${signed(memory.steadyGrowthMb)} MB steady (${signed(memory.coldGrowthMb)} MB from a cold start), ${memory.opsPerSecond} ops/s`,
  '',
  table([['target', 'measured', 'met'], ...targets.map((t) => [t.target, t.measured, t.met ? 'yes' : 'NO'])]),
];
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(RESULTS, { recursive: true });
const json = JSON.stringify({ date: new Date().toISOString(), machine, core, fanout, findFirstMatchMs: findStream.findFirstMatchMs, findRepeatMs: findStream.findRepeatMs, findIndexedP99Ms: findStream.findIndexedP99Ms, findStream, slack, discord, slackRedis, discordRedis, memory, targets }, null, 2);
writeFileSync(join(RESULTS, 'latest.json'), `${json}\n`);
process.stdout.write(`\nwritten: bench/results/latest.json\n`);

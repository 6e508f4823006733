import { runCoreBench } from './core.js';
import { runDiscordDeferBench } from './discord-defer.js';
import { runFanoutBench } from './fanout.js';
import { runFindStreamBench } from './find-stream.js';
import { runMemoryBench } from './memory.js';
import { runSlackAckBench } from './slack-ack.js';

/** One benchmark in its own process (clean memory and threads): prints its result as JSON. */
const [name = '', raw = '{}'] = process.argv.slice(2);
const o = JSON.parse(raw) as Record<string, number | boolean>;
const n = (k: string): number => Number(o[k]);

const runners: Record<string, () => Promise<unknown>> = {
  core: () => runCoreBench({ commands: n('commands') }),
  fanout: () =>
    runFanoutBench({ servers: n('servers'), hung: n('hung'), latencyMs: n('latencyMs'), timeoutMs: n('timeoutMs'), concurrency: n('concurrency'), threads: n('threads'), measureSequential: o.measureSequential === true }),
  findStream: () =>
    runFindStreamBench({ servers: n('servers'), hung: n('hung'), latencyMs: n('latencyMs'), timeoutMs: n('timeoutMs'), concurrency: n('concurrency'), threads: n('threads'), matchAt: n('matchAt'), indexedRuns: n('indexedRuns') }),
  memory: () => runMemoryBench({ operations: n('operations'), threads: n('threads') }),
  slack: () => runSlackAckBench({ commands: n('commands'), hungCalls: n('hungCalls') }),
  discord: () => runDiscordDeferBench({ commands: n('commands'), hungCalls: n('hungCalls') }),
};

const run = runners[name];
if (!run) {
  process.stderr.write(`unknown benchmark "${name}"; one of ${Object.keys(runners).join(', ')}\n`);
  process.exit(2);
}
run().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);

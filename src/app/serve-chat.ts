import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterFactory, ChatAdapter } from '../../adapters/shared/adapter.js';
import type { AppConfig } from '../config/app-config.js';
import { readInt, type Env } from '../config/env-readers.js';
import type { Logger } from '../core/logger.js';
import { finish } from './finish.js';
import { readHealthConfig, startHealthServer, type HealthServer } from './health-server.js';
import { keepRunningThroughStrayErrors } from './keep-running.js';
import { LeaseLeadership } from './lease-leadership.js';
import { auditFileReadiness, chatReadiness, stateStoreReadiness } from './readiness.js';
import { buildRuntime, type Runtime } from './runtime.js';

export const DEFAULT_DRAIN_SECONDS = 20;

/** RWINSTA_DRAIN_SECONDS: how long a stop waits for replies under way before it records them as interrupted. */
export function readDrainMs(env: Env): number {
  return readInt(env, 'RWINSTA_DRAIN_SECONDS', DEFAULT_DRAIN_SECONDS, 0, 600) * 1000;
}

/** Resolves on the first SIGTERM or SIGINT (with its name); `again` on the second. */
function stopSignals(): { first: Promise<string>; again: Promise<void> } {
  let count = 0;
  let onFirst: (s: string) => void = () => undefined;
  let onAgain: () => void = () => undefined;
  const first = new Promise<string>((r) => (onFirst = r));
  const again = new Promise<void>((r) => (onAgain = r));
  const on = (signal: NodeJS.Signals) => (): void => {
    count++;
    if (count === 1) onFirst(signal);
    else onAgain();
  };
  process.on('SIGTERM', on('SIGTERM'));
  process.on('SIGINT', on('SIGINT'));
  return { first, again };
}

/**
 * `start` with chat tokens set: every configured adapter, connecting in the background (a platform
 * unreachable at start is retried, the others serve meanwhile), the health server, and a graceful
 * stop: SIGTERM or SIGINT stops taking new work (sockets and listeners close, Discord's lease is
 * freed for a standby), lets replies under way finish for up to RWINSTA_DRAIN_SECONDS, records any
 * action still running as interrupted, then closes everything. A second signal skips the wait.
 * The process also ends (exit code 1) when every adapter has given up (their tokens refused).
 */
export async function serveChat(config: AppConfig, env: Env, log: Logger, factories: readonly AdapterFactory[]): Promise<number> {
  const health = readHealthConfig(env);
  const drainMs = readDrainMs(env);
  const rt = await buildRuntime(config, log, { env });
  if (rt.backend.kind === 'simulated') log.warn('backend: simulated fleet: every reply says so; set RWINSTA_BACKEND=wts on Windows');
  keepRunningThroughStrayErrors(log);
  const signals = stopSignals();
  const adapters: ChatAdapter[] = [];
  const gaveUp = new Set<string>();
  let everyAdapterGaveUp: () => void = () => undefined;
  const allGone = new Promise<void>((r) => (everyAdapterGaveUp = r));
  let server: HealthServer | undefined;
  const leases = rt.leases;
  try {
    for (const factory of factories) {
      adapters.push(
        await factory.start({
          bot: rt.bot,
          env,
          log,
          audit: rt.audit,
          access: rt.access,
          ackObserver: rt.metrics,
          exclusive: leases ? (name) => new LeaseLeadership(leases, name, log) : undefined,
          onGaveUp: () => {
            gaveUp.add(factory.name);
            if (gaveUp.size === factories.length) everyAdapterGaveUp();
          },
        }),
      );
      log.info(`${factory.name} adapter started`);
    }
    if (health) {
      const checks = [...adapters.map((a) => chatReadiness(a.name, () => a.status())), stateStoreReadiness(rt.state), auditFileReadiness(config.auditFile)];
      server = await startHealthServer({ ...health, checks, metrics: rt.metrics, log });
    }
  } catch (e) {
    for (const a of adapters) await a.stop().catch(() => undefined);
    await rt.close();
    throw e;
  }
  const why = await Promise.race([signals.first, allGone.then(() => undefined)]);
  if (why === undefined) {
    log.error(`every chat adapter has stopped (${[...gaveUp].join(', ')}; see above): exiting`);
    await shutDown(adapters, server, log);
    await finish(1, await rt.close());
    return 1;
  }
  await drain(adapters, rt, drainMs, signals.again, log, why);
  await shutDown(adapters, server, log);
  const stuck = await rt.close();
  if (stuck > 0) log.warn(`${stuck} thread(s) still blocked in hung server calls; exiting without waiting for them`);
  // Whatever still holds the event loop (a reply to a platform that does not answer) does not hold the exit.
  setTimeout(() => process.exit(0), 5_000).unref();
  await finish(0, stuck);
  return 0;
}

/** Stops taking work, then waits for what is under way, at most `drainMs` (or until a second signal). */
async function drain(adapters: readonly ChatAdapter[], rt: Runtime, drainMs: number, again: Promise<void>, log: Logger, signal: string): Promise<void> {
  await Promise.all(adapters.map((a) => a.quiesce().catch((e: unknown) => log.warn(`${a.name}: ${e instanceof Error ? e.message : String(e)}`))));
  const busy = adapters.reduce((n, a) => n + a.busy, 0);
  log.info(`stopping (${signal}): no new work is taken; ${busy} request${busy === 1 ? '' : 's'} under way, given up to ${drainMs / 1000} s to finish (RWINSTA_DRAIN_SECONDS)`);
  if (busy === 0) return;
  const timer = new AbortController();
  const outcome = await Promise.race([
    Promise.all(adapters.map((a) => a.idle())).then(() => 'finished' as const),
    sleep(drainMs, 'timed out' as const, { signal: timer.signal }).catch(() => 'finished' as const),
    again.then(() => 'signalled again' as const),
  ]);
  timer.abort();
  if (outcome === 'finished') {
    log.info('stopping: every request under way has finished');
    return;
  }
  const n = await rt.bot.interruptInFlight(`rwinsta-bot was stopped (${signal}, ${outcome === 'timed out' ? `drain of ${drainMs / 1000} s elapsed` : 'a second signal'}) before the outcome was known`);
  log.warn(`stopping: ${outcome}; ${n} action${n === 1 ? '' : 's'} still running recorded as interrupted in the audit log`);
}

async function shutDown(adapters: readonly ChatAdapter[], server: HealthServer | undefined, log: Logger): Promise<void> {
  for (const a of adapters) await a.stop().catch((e: unknown) => log.warn(`${a.name}: ${e instanceof Error ? e.message : String(e)}`));
  await server?.close();
}

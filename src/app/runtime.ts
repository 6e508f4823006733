import { loadAccessFileContents, demoAccessModel, emptyAccessModel } from '../config/access-file.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import { buildIdentityResolver, emptyIdentityConfig, type IdentityConfig } from '../identity/index.js';
import { JsonlFileAudit } from '../audit/jsonl-file-audit.js';
import { MirroredAudit } from '../../adapters/shared/mirrored-audit.js';
import { Bot } from '../core/bot.js';
import { systemClock } from '../core/clock.js';
import type { AccessModel } from '../core/policy/access-model.js';
import { Policy } from '../core/policy/policy.js';
import type { Logger } from '../core/logger.js';
import { MemoryStateStore } from '../core/ports/memory-state-store.js';
import { isStateUnavailable, type StateStore } from '../core/ports/state-store.js';
import { BotMetrics, MeteredAudit, MeteredBackend, MeteredStateStore, poolStatsOf } from '../metrics/index.js';
import { createStateStore, leaseStoreOf, type LeaseStore } from '../state/index.js';
import type { SessionBackend } from '../wts/backend.js';
import { createBackend } from './create-backend.js';

export type AccessSource = 'file' | 'demo' | 'none';

export interface Runtime {
  bot: Bot;
  backend: SessionBackend;
  audit: MirroredAudit;
  accessSource: AccessSource;
  access: AccessModel;
  /** Who "me" is for self-service, as the access file configures it. */
  identity: IdentityConfig;
  metrics: BotMetrics;
  /** The bot's state store, as the bot sees it (its failures counted at /metrics). */
  state: StateStore;
  /** Leases among instances sharing the store (Discord's gateway); none for the in-memory store. */
  leases: LeaseStore | undefined;
  /** Resolves with the number of threads still stuck in hung native calls. */
  close(): Promise<number>;
}

export interface RuntimeOptions {
  /** Sweep expired confirmations every few seconds (off for one-shot commands). */
  sweepExpired?: boolean;
  /** Where RWINSTA_STATE_URL is read; without it the state stays in this process. */
  env?: Env;
}

/**
 * Loads the access file (or the demo access) and wires backend, audit, state store, metrics and bot
 * together: the metrics decorators sit around the audit file, the backend and the state store.
 */
export async function buildRuntime(config: AppConfig, log: Logger, opts: RuntimeOptions = {}): Promise<Runtime> {
  const backend = await createBackend(config);
  let rawState: StateStore | undefined;
  let identity = emptyIdentityConfig();
  try {
    let access: AccessModel;
    let accessSource: AccessSource;
    if (config.accessFile) {
      ({ access, identity } = await loadAccessFileContents(config.accessFile));
      accessSource = 'file';
    } else if (backend.kind === 'simulated') {
      access = demoAccessModel(backend.knownServers());
      accessSource = 'demo';
    } else {
      access = emptyAccessModel();
      accessSource = 'none';
      log.warn('RWINSTA_ACCESS_FILE is not set: every request will be denied. Create an access file (see README, "The access file").');
    }
    const metrics = new BotMetrics({ poolStats: poolStatsOf(backend) });
    rawState = opts.env ? createStateStore(opts.env, systemClock, log) : new MemoryStateStore(() => systemClock.now());
    const state = new MeteredStateStore(rawState, metrics);
    metrics.watchPending(state);
    const file = new JsonlFileAudit(config.auditFile);
    await file.prepare().catch((e: NodeJS.ErrnoException) => {
      log.warn(`audit file ${config.auditFile} is not writable (${e.code ?? e.message}): every request will be refused until it is`);
    });
    const audit = new MirroredAudit(new MeteredAudit(file, metrics), (e) => log.warn(`audit mirror failed: ${e instanceof Error ? e.message : String(e)}`));
    const resolver = buildIdentityResolver(identity, opts.env ?? {}, log);
    const bot = new Bot({ backend: new MeteredBackend(backend, metrics), policy: new Policy(access), audit, settings: config.settings, state, log, identity: resolver });
    const sweep = (): void => {
      bot.sweepExpired().catch((e: unknown) => {
        // The store logs its own outage once; a sweep missed meanwhile is made by the next one.
        if (!isStateUnavailable(e)) log.warn(`expiry sweep failed: ${e instanceof Error ? e.message : String(e)}`);
      });
    };
    const timer = opts.sweepExpired === false ? undefined : setInterval(sweep, 5_000);
    timer?.unref();
    const store = rawState;
    // The live session index: swept at once, then every RWINSTA_INDEX_SECONDS (a sweep still running is not doubled).
    const indexMs = config.settings.indexIntervalMs;
    const sweepIndex = (): void => void bot.refreshIndex().catch((e: unknown) => log.warn(`session index: ${e instanceof Error ? e.message : String(e)}`));
    const indexTimer = opts.sweepExpired === false || indexMs === 0 ? undefined : setInterval(sweepIndex, indexMs);
    indexTimer?.unref();
    if (indexTimer) sweepIndex();
    return {
      bot,
      backend,
      audit,
      accessSource,
      access,
      identity,
      metrics,
      state,
      leases: leaseStoreOf(store),
      close: async () => {
        if (timer) clearInterval(timer);
        if (indexTimer) clearInterval(indexTimer);
        await store.close();
        await backend.close();
        return backend.stuckThreads?.() ?? 0;
      },
    };
  } catch (e) {
    await rawState?.close();
    await backend.close();
    throw e;
  }
}

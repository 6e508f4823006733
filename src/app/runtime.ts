import { loadAccessFileContents, demoAccessModel, emptyAccessModel } from '../config/access-file.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import { buildIdentityResolver, emptyIdentityConfig, type IdentityConfig } from '../identity/index.js';
import { JsonlFileAudit } from '../audit/jsonl-file-audit.js';
import { MirroredAudit } from '../../adapters/shared/mirrored-audit.js';
import { Bot } from '../core/bot.js';
import type { AccessModel } from '../core/policy/access-model.js';
import { Policy } from '../core/policy/policy.js';
import type { Logger } from '../core/logger.js';
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
  /** Resolves with the number of threads still stuck in hung native calls. */
  close(): Promise<number>;
}

/** Loads the access file (or the demo access) and wires backend, audit and bot together. */
export async function buildRuntime(config: AppConfig, log: Logger, opts: { sweepExpired?: boolean; env?: Env } = {}): Promise<Runtime> {
  const backend = await createBackend(config);
  let access: AccessModel;
  let accessSource: AccessSource;
  let identity = emptyIdentityConfig();
  try {
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
    const file = new JsonlFileAudit(config.auditFile);
    await file.prepare().catch((e: NodeJS.ErrnoException) => {
      log.warn(`audit file ${config.auditFile} is not writable (${e.code ?? e.message}): every request will be refused until it is`);
    });
    const audit = new MirroredAudit(file, (e) => log.warn(`audit mirror failed: ${e instanceof Error ? e.message : String(e)}`));
    const resolver = buildIdentityResolver(identity, opts.env ?? {}, log);
    const bot = new Bot({ backend, policy: new Policy(access), audit, settings: config.settings, log, identity: resolver });
    const timer = opts.sweepExpired === false ? undefined : setInterval(() => void bot.sweepExpired(), 5_000);
    timer?.unref();
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
      close: async () => {
        if (timer) clearInterval(timer);
        if (indexTimer) clearInterval(indexTimer);
        await backend.close();
        return backend.stuckThreads?.() ?? 0;
      },
    };
  } catch (e) {
    await backend.close();
    throw e;
  }
}

import type { SessionBackend } from '../backend.js';
import { WtsWorkerPool } from './pool.js';
import { spawnWtsWorker } from './spawn-worker.js';
import { WtsBackend } from './wts-backend.js';

export interface WtsBackendOptions {
  /** Another library with the wtsapi32 exports and GetLastError; wtsapi32.dll + kernel32.dll when unset. */
  libraryPath?: string;
  timeoutMs: number;
  threads: number;
  maxAbandonedThreads: number;
}

/** Threads started ahead and kept when idle; the rest start on demand and stop after a minute idle. */
const WARM_THREADS = 4;

export function createWtsBackend(opts: WtsBackendOptions): SessionBackend & Pick<WtsBackend, 'stats' | 'warmUp' | 'stuckThreads'> {
  const init = opts.libraryPath ? { libraryPath: opts.libraryPath } : {};
  const pool = new WtsWorkerPool({
    size: opts.threads,
    maxAbandoned: opts.maxAbandonedThreads,
    timeoutMs: opts.timeoutMs,
    spawn: () => spawnWtsWorker(init),
    minThreads: WARM_THREADS,
  });
  void pool.warm(WARM_THREADS);
  return new WtsBackend(pool);
}

export { WtsBackend } from './wts-backend.js';
export type { PoolStats } from './pool.js';

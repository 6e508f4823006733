import { Worker } from 'node:worker_threads';
import type { WorkerInit } from './protocol.js';

/**
 * Starts a WTS worker thread. From the build (dist/) it is plain JavaScript; when the sources run
 * directly (tests), the TypeScript worker is loaded through tsx, which Node 20 workers cannot do
 * with --import alone.
 */
// A worker only decodes session lists: a small heap keeps each thread near 10 MB instead of letting
// V8 grow it freely (the old generation needs about 5 MB for koffi and the modules alone).
const LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };

export function spawnWtsWorker(init: WorkerInit): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const url = new URL('./worker.ts', here).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url)}); })`;
    return new Worker(boot, { eval: true, workerData: init, resourceLimits: LIMITS });
  }
  return new Worker(new URL('./worker.js', here), { workerData: init, resourceLimits: LIMITS });
}

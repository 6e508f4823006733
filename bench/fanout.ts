import { performance } from 'node:perf_hooks';
import { Policy } from '../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { search, searchDepsFor } from '../src/core/usecases/find.js';
import { systemClock } from '../src/core/clock.js';
import { emptyAccessModel } from '../src/config/access-file.js';
import { createWtsBackend } from '../src/wts/koffi/index.js';
import { fakeFleet } from './fake-fleet.js';

export interface FanoutResult {
  servers: number;
  hung: number;
  latencyMs: number;
  timeoutMs: number;
  concurrency: number;
  threads: number;
  wallMs: number;
  /** latency × ⌈N / concurrency⌉ + timeout */
  idealMs: number;
  /** One server after another; measured when asked, else Σ latency + hung × timeout. */
  sequentialMs: number;
  sequentialMeasured: boolean;
  answered: number;
  failed: number;
}

export async function runFanoutBench(o: { servers: number; hung: number; latencyMs: number; timeoutMs: number; concurrency: number; threads: number; measureSequential?: boolean }): Promise<FanoutResult> {
  const fleet = fakeFleet(o.servers, o.hung, o.latencyMs);
  const backend = createWtsBackend({ libraryPath: fleet.lib, timeoutMs: o.timeoutMs, threads: o.threads, maxAbandonedThreads: Math.max(o.hung, 8) });
  await backend.warmUp(o.threads);
  const ctx = { backend, policy: new Policy(emptyAccessModel()), clock: systemClock, settings: { ...DEFAULT_SETTINGS, fanoutConcurrency: o.concurrency } };
  const t0 = performance.now();
  const r = await search(searchDepsFor(ctx), { user: { kind: 'name', name: 'jdoe' }, verbose: false, layout: 'qwinsta', servers: fleet.servers });
  const wallMs = performance.now() - t0;

  let sequentialMs = (o.servers - o.hung) * o.latencyMs + o.hung * o.timeoutMs;
  if (o.measureSequential) {
    fleet.fake.releaseHangs();
    const t1 = performance.now();
    for (const server of fleet.servers) await backend.listSessions(server).catch(() => undefined);
    sequentialMs = performance.now() - t1;
  }
  fleet.fake.releaseHangs();
  await backend.close();
  return {
    servers: o.servers,
    hung: o.hung,
    latencyMs: o.latencyMs,
    timeoutMs: o.timeoutMs,
    concurrency: o.concurrency,
    threads: o.threads,
    wallMs: Math.round(wallMs),
    idealMs: o.latencyMs * Math.ceil(o.servers / o.concurrency) + o.timeoutMs,
    sequentialMs: Math.round(sequentialMs),
    sequentialMeasured: o.measureSequential === true,
    answered: o.servers - r.failures.length,
    failed: r.failures.length,
  };
}

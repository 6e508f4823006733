import { performance } from 'node:perf_hooks';
import { emptyAccessModel } from '../src/config/access-file.js';
import { systemClock } from '../src/core/clock.js';
import { Policy } from '../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { search, searchDepsFor, type SearchQuery } from '../src/core/usecases/find.js';
import { createWtsBackend } from '../src/wts/koffi/index.js';
import { fakeFleet } from './fake-fleet.js';

export interface FindStreamResult {
  servers: number;
  hung: number;
  latencyMs: number;
  concurrency: number;
  threads: number;
  /** Where in the list the one match is. */
  matchAt: number;
  /** From the search's start to the first progress that shows the match. */
  findFirstMatchMs: number;
  /** The whole first search (it waits for the hung servers' timeout). */
  findFullMs: number;
  /** The same search again right after: the hung servers are known down and skipped. */
  findRepeatMs: number;
  /** With the index on, searches answered from it: p50 and p99 of `indexedRuns`. */
  findIndexedP50Ms: number;
  findIndexedP99Ms: number;
  indexedRuns: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** Time to the first match, a repeat search, and searches answered from the live session index. */
export async function runFindStreamBench(o: { servers: number; hung: number; latencyMs: number; timeoutMs: number; concurrency: number; threads: number; matchAt: number; indexedRuns: number }): Promise<FindStreamResult> {
  const fleet = fakeFleet(o.servers, o.hung, o.latencyMs, { onlyMatchAt: o.matchAt });
  const backend = createWtsBackend({ libraryPath: fleet.lib, timeoutMs: o.timeoutMs, threads: o.threads, maxAbandonedThreads: Math.max(o.hung, 8) });
  await backend.warmUp(o.threads);
  const ctx = { backend, policy: new Policy(emptyAccessModel()), clock: systemClock, settings: { ...DEFAULT_SETTINGS, fanoutConcurrency: o.concurrency, indexIntervalMs: 3_600_000 } };
  const deps = searchDepsFor(ctx);
  const q: SearchQuery = { user: { kind: 'name', name: 'jdoe' }, verbose: false, layout: 'qwinsta', servers: fleet.servers, fresh: true };

  let firstMatch = -1;
  const t0 = performance.now();
  await search(deps, q, (p) => {
    if (firstMatch < 0 && p.result.matches.length > 0) firstMatch = performance.now() - t0;
  });
  const full = performance.now() - t0;

  const t1 = performance.now();
  const repeat = await search(deps, q);
  const repeatMs = performance.now() - t1;
  if (repeat.matches.length !== 1) throw new Error(`expected one match on the repeat, got ${repeat.matches.length}`);

  await deps.index.sweep(fleet.servers);
  const indexed: number[] = [];
  for (let i = 0; i < o.indexedRuns; i++) {
    const t = performance.now();
    const r = await search(deps, { ...q, fresh: false });
    indexed.push(performance.now() - t);
    if (r.indexAgeMs === undefined) throw new Error('the indexed search did not use the index');
  }
  indexed.sort((a, b) => a - b);
  fleet.fake.releaseHangs();
  await backend.close();
  const ms = (x: number): number => Math.round(x * 10) / 10;
  return {
    servers: o.servers,
    hung: o.hung,
    latencyMs: o.latencyMs,
    concurrency: o.concurrency,
    threads: o.threads,
    matchAt: o.matchAt,
    findFirstMatchMs: ms(firstMatch),
    findFullMs: ms(full),
    findRepeatMs: ms(repeatMs),
    findIndexedP50Ms: ms(percentile(indexed, 50)),
    findIndexedP99Ms: ms(percentile(indexed, 99)),
    indexedRuns: o.indexedRuns,
  };
}

import { createWtsBackend } from '../src/wts/koffi/index.js';
import { buildFakeWts } from '../test/native/build-fakewts.js';
import { FakeWtsControl } from '../test/native/fake-wts-control.js';

export interface MemoryResult {
  operations: number;
  threads: number;
  /** RSS when the threads had just started. */
  rssStartMb: number;
  /** Growth over the first `operations`, from a cold start: each thread's heap reaches its working size. */
  coldGrowthMb: number;
  /** Growth over the next `operations`: what a long-running bot would leak. */
  steadyGrowthMb: number;
  outstandingAllocations: number;
  openHandles: number;
  badFrees: number;
  opsPerSecond: number;
}

const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;

async function settledRss(): Promise<number> {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  return process.memoryUsage().rss;
}

/** Mixed backend operations (lists, queries, misses, failures, messages, process listings) through the real binding. */
export async function runMemoryBench(o: { operations: number; threads: number }): Promise<MemoryResult> {
  const lib = buildFakeWts('linux');
  const fake = new FakeWtsControl(lib);
  fake.releaseHangs();
  fake.reset();
  fake.standardServer('rds01');
  fake.standardProcesses('rds01');
  fake.server('down', { failure: 1722 });
  const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 15_000, threads: o.threads, maxAbandonedThreads: 4 });
  await backend.warmUp(o.threads);
  const op = (i: number): Promise<unknown> => {
    switch (i % 7) {
      case 0:
        return backend.listSessions('rds01');
      case 1:
        return backend.querySession('rds01', 3);
      case 2:
        return backend.querySession('rds01', 42).catch(() => undefined);
      case 3:
        return backend.listSessions('down').catch(() => undefined);
      case 4:
        return backend.listProcesses('rds01');
      case 5:
        return backend.listProcesses('rds01', 3);
      default:
        return backend.sendMessage('rds01', 3, { title: 'bench', text: 'message text', timeoutSeconds: 0, wait: false });
    }
  };
  const run = async (n: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: o.threads * 2 }, async () => {
        while (next < n) await op(next++);
      }),
    );
  };
  const start = await settledRss();
  await run(o.operations);
  const afterCold = await settledRss();
  const t0 = performance.now();
  await run(o.operations);
  const seconds = (performance.now() - t0) / 1000;
  const afterSteady = await settledRss();
  const result: MemoryResult = {
    operations: o.operations,
    threads: o.threads,
    rssStartMb: mb(start),
    coldGrowthMb: mb(afterCold - start),
    steadyGrowthMb: mb(afterSteady - afterCold),
    outstandingAllocations: fake.outstanding(),
    openHandles: fake.openHandles(),
    badFrees: fake.badFrees(),
    opsPerSecond: Math.round(o.operations / seconds),
  };
  await backend.close();
  return result;
}

import type { AuditRecord, AuditSink } from '../src/core/audit.js';
import { Bot } from '../src/core/bot.js';
import type { StateStore } from '../src/core/ports/state-store.js';
import { Policy } from '../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { buildAccessModel } from '../src/config/access-file.js';
import { createWtsBackend } from '../src/wts/koffi/index.js';
import { buildFakeWts } from '../test/native/build-fakewts.js';
import { FakeWtsControl } from '../test/native/fake-wts-control.js';

export const BENCH_ACCESS = {
  serverGroups: { farm: ['rds01', 'hung'] },
  roles: {
    admins: {
      grants: [{ actions: ['*'], servers: ['@farm'] }],
      members: { slackUsers: ['UADMIN1'], discordUsers: ['100000000000000001'], consoleUsers: ['root'] },
    },
  },
};

class CountingAudit implements AuditSink {
  records = 0;
  async append(_r: AuditRecord): Promise<void> {
    this.records++;
  }
}

export interface HungBot {
  bot: Bot;
  /** Busy WTS threads right now. */
  busy(): number;
  close(): Promise<void>;
}

/**
 * A bot on the real koffi backend whose server `hung` never answers: each call to it holds a thread.
 * `state`: where it keeps confirmations, rate windows and deliveries seen (in its memory by default).
 */
export async function hungBot(threads: number, o: { state?: StateStore } = {}): Promise<HungBot> {
  const lib = buildFakeWts('linux');
  const fake = new FakeWtsControl(lib);
  fake.releaseHangs();
  fake.reset();
  fake.standardServer('rds01');
  fake.server('hung', { hang: true });
  const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 600_000, threads, maxAbandonedThreads: threads });
  await backend.warmUp(threads);
  const bot = new Bot({ backend, policy: new Policy(buildAccessModel(BENCH_ACCESS)), audit: new CountingAudit(), settings: { ...DEFAULT_SETTINGS, confirmTtlMs: 600_000 }, ...(o.state ? { state: o.state } : {}) });
  return {
    bot,
    busy: () => backend.stats().busy,
    close: async () => {
      fake.releaseHangs();
      await backend.close();
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export interface LatencyResult {
  n: number;
  p50: number;
  p99: number;
  max: number;
  hungCalls: number;
}

export function summarize(latencies: number[], hungCalls: number): LatencyResult {
  const s = [...latencies].sort((a, b) => a - b);
  const r = (x: number): number => Math.round(x * 100) / 100;
  return { n: s.length, p50: r(percentile(s, 50)), p99: r(percentile(s, 99)), max: r(s[s.length - 1] ?? 0), hungCalls };
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

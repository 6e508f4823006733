import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AuditRecord } from '../core/audit.js';
import type { StateStore } from '../core/ports/state-store.js';
import { verbLabel } from './verb-label.js';

/** The two numbers of the WTS thread pool the metrics show (WtsBackend.stats() has them). */
export interface PoolCounts {
  busy: number;
  abandoned: number;
}

export interface BotMetricsOptions {
  /** The WTS pool's counts; absent for the simulated fleet, which has no pool. */
  poolStats?: () => PoolCounts | undefined;
  /** Node's process metrics (memory, CPU, event loop lag); on unless false. */
  processMetrics?: boolean;
}

/** Namespaces of the StateStore whose live entries are the pending confirmations and approvals. */
export const CONFIRM_NAMESPACE = 'confirm';
export const APPROVAL_NAMESPACE = 'approval';

/**
 * Every metric rwinsta-bot exposes at /metrics, in one registry of its own. It is fed from the
 * outside (decorators around the audit sink, the backend and the state store; a hook the chat
 * adapters call on each acknowledgement), so the core knows nothing of it.
 */
export class BotMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'verb' | 'decision'>;
  private readonly ack: Histogram<'platform'>;
  private readonly backendCalls: Histogram<'operation' | 'result'>;
  private readonly stateErrors: Counter<'operation'>;
  /** Where pending confirmations and approvals are counted (watchPending). */
  private pendingIn: StateStore | undefined;

  constructor(o: BotMetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'rwinsta_requests_total',
      help: 'Requests by verb (rwinsta, qwinsta, tsdiscon, msg, help, confirm, cancel, other) and audit decision; an action counts once, at its outcome.',
      labelNames: ['verb', 'decision'],
      registers,
    });
    this.ack = new Histogram({
      name: 'rwinsta_ack_seconds',
      help: 'Time from a chat payload reaching the adapter to its acknowledgement (Slack ack, Discord defer), by platform.',
      labelNames: ['platform'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
      registers,
    });
    this.backendCalls = new Histogram({
      name: 'rwinsta_backend_call_seconds',
      help: 'Session backend calls by operation (list, query, logoff, disconnect, message) and result (ok, or the Win32 error code, or "error").',
      labelNames: ['operation', 'result'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60],
      registers,
    });
    this.stateErrors = new Counter({
      name: 'rwinsta_state_store_errors_total',
      help: 'State store calls that failed (the bot then refuses what needed them), by operation.',
      labelNames: ['operation'],
      registers,
    });
    const pool = o.poolStats;
    new Gauge({
      name: 'rwinsta_wts_threads_busy',
      help: 'WTS pool threads in a call right now (0 without the wts backend).',
      registers,
      collect() {
        this.set(pool?.()?.busy ?? 0);
      },
    });
    new Gauge({
      name: 'rwinsta_wts_threads_written_off',
      help: 'WTS pool threads written off, stuck in a call to a hung server (0 without the wts backend).',
      registers,
      collect() {
        this.set(pool?.()?.abandoned ?? 0);
      },
    });
    const store = (): StateStore | undefined => this.pendingIn;
    const pending = (name: string, help: string, ns: string): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const state = store();
          // NaN, not a stale number, while the store cannot say (its error is counted by the decorator).
          this.set(state ? await state.count(ns).catch(() => Number.NaN) : 0);
        },
      });
    };
    pending('rwinsta_pending_confirmations', 'Confirmations asked for and not yet answered or expired (across instances when the state is shared).', CONFIRM_NAMESPACE);
    pending('rwinsta_pending_approvals', 'Approvals asked for and not yet given, refused or expired (across instances when the state is shared).', APPROVAL_NAMESPACE);
    if (o.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Counts pending confirmations and approvals in this store (namespaces 'confirm' and 'approval').
   * Separate from the constructor so the store can be the MeteredStateStore that reports to these metrics.
   */
  watchPending(store: StateStore): void {
    this.pendingIn = store;
  }

  /** One audit record written. Intent records are skipped: their outcome record counts the action. */
  countRequest(r: AuditRecord): void {
    if (r.phase === 'intent') return;
    this.requests.inc({ verb: verbLabel(r.command, r.verb), decision: r.decision });
  }

  /** An adapter acknowledged a payload `ms` after it arrived (AckObserver, adapters/shared). */
  acked(platform: 'slack' | 'discord', ms: number): void {
    this.ack.observe({ platform }, ms / 1000);
  }

  backendCall(operation: string, result: string, seconds: number): void {
    this.backendCalls.observe({ operation, result }, seconds);
  }

  stateError(operation: string): void {
    this.stateErrors.inc({ operation });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The pool counts of a backend that has a thread pool (the wts one has stats()); undefined otherwise. */
export function poolStatsOf(backend: object): (() => PoolCounts | undefined) | undefined {
  const stats = (backend as { stats?: unknown }).stats;
  if (typeof stats !== 'function') return undefined;
  return () => stats.call(backend) as PoolCounts;
}

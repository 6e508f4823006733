import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../core/logger.js';
import { StateUnavailable, type StateStore } from '../core/ports/state-store.js';
import { SCRIPTS } from './redis-scripts.js';
import type { RedisConnection } from './state-config.js';

type Reply<T> = Promise<T>;

/** The scripts of redis-scripts.ts, as ioredis defines them on the client (EVALSHA, EVAL on NOSCRIPT). */
interface ScriptCommands {
  rwPut(value: string, due: string, forget: string, id: string, v: string, dueAt: number, ttlMs: number, forgetAt: number): Reply<number>;
  rwTake(value: string, due: string, forget: string, id: string): Reply<string | null>;
  rwSwap(value: string, expected: string, next: string): Reply<number>;
  rwDue(due: string, forget: string, storeNow: number, now: number, limit: number, valuePrefix: string): Reply<string[]>;
  rwCount(due: string, forget: string, storeNow: number): Reply<number>;
  rwAcquire(window: string, now: number, windowMs: number, limit: number, record: '0' | '1', member: string): Reply<number>;
}

export interface RedisStateStoreOptions {
  connection: RedisConnection;
  /** Put before every key (RWINSTA_STATE_PREFIX), so several bots or sites can share one Redis. */
  prefix: string;
  /** The bot's clock: times to live of put() are dueAt + keepMs - now(). */
  now?: () => number;
  log: Logger;
  /** Longest any call waits, for the connection and the answer together, before StateUnavailable. */
  timeoutMs?: number;
}

export const DEFAULT_STATE_TIMEOUT_MS = 1500;

const NAMESPACE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The StateStore shared by several instances, in Redis (or Valkey, or Memurai), 6.2 or later.
 *
 * Fails fast and closed: no command waits in an offline queue; a call made while the connection is
 * down waits for it at most `timeoutMs` (for example during a reconnection), and a call Redis does
 * not answer within that time rejects with StateUnavailable. The client reconnects by itself, with
 * capped backoff, and calls succeed again as soon as Redis answers. A call that timed out may still
 * have been applied (for example a take whose answer was lost): callers treat StateUnavailable as
 * "refuse", never as "retry the action", so that errs towards nothing done.
 *
 * Clocks: times given by callers (dueAt, now) are the bot's clock; key lifetimes are relative
 * (PX), so Redis's own clock does not matter. Instances' clocks must agree to well within the
 * shortest time kept (a confirmation's lifetime): a writer ahead of a reader by s ms makes entries
 * due s ms late on the reader, and count() may include an entry up to s ms after its key expired.
 */
export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly client: Redis & ScriptCommands;
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private readonly where: string;
  /** Whether the last thing heard from Redis was good: outages and recoveries are logged once each. */
  private healthy: boolean | undefined;
  private closed = false;
  /** The connection's last error, to say why a call found no connection. */
  private lastError: string | undefined;
  /** Calls waiting for a connection being made (one listener for all of them). */
  private readonly waiting = new Set<(err?: Error) => void>();

  constructor(o: RedisStateStoreOptions) {
    this.prefix = o.prefix;
    this.now = o.now ?? Date.now;
    this.timeoutMs = o.timeoutMs ?? DEFAULT_STATE_TIMEOUT_MS;
    this.log = o.log;
    this.where = o.connection.display;
    const c = o.connection;
    const options: RedisOptions = {
      host: c.host,
      port: c.port,
      db: c.db,
      // RESP2 works with every Redis-compatible server the README names.
      protocol: 2,
      connectionName: 'rwinsta-bot',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: this.timeoutMs,
      connectTimeout: Math.max(this.timeoutMs, 1000),
      // A connection that stops answering (host gone without a reset) is dropped and made again.
      socketTimeout: Math.max(this.timeoutMs * 2, 2000),
      // Reconnect for ever, quickly at first, then every 2 s.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      scripts: SCRIPTS,
    };
    if (c.username) options.username = c.username;
    if (c.password) options.password = c.password;
    if (c.tls) options.tls = c.ca ? { ca: c.ca, servername: c.host } : { servername: c.host };
    this.client = new Redis(options) as Redis & ScriptCommands;
    this.client.on('error', (e: Error) => {
      this.lastError = e.message;
      this.wentDown(e.message);
    });
    this.client.on('ready', () => {
      this.lastError = undefined;
      this.cameBack();
      for (const w of [...this.waiting]) w();
    });
    this.client.on('end', () => {
      for (const w of [...this.waiting]) w(new Error('the connection is closed'));
    });
  }

  async put(ns: string, id: string, value: string, dueAt: number, keepMs: number): Promise<void> {
    const k = this.keys(ns);
    const ttl = Math.ceil(dueAt + keepMs - this.now());
    await this.run('put', () => this.client.rwPut(k.value(id), k.due, k.forget, id, value, dueAt, ttl, dueAt + keepMs));
  }

  async get(ns: string, id: string): Promise<string | undefined> {
    const v = await this.run('get', () => this.client.get(this.keys(ns).value(id)));
    return v ?? undefined;
  }

  async take(ns: string, id: string): Promise<string | undefined> {
    const k = this.keys(ns);
    const v = await this.run('take', () => this.client.rwTake(k.value(id), k.due, k.forget, id));
    return v ?? undefined;
  }

  async swap(ns: string, id: string, expected: string, next: string): Promise<boolean> {
    return (await this.run('swap', () => this.client.rwSwap(this.keys(ns).value(id), expected, next))) === 1;
  }

  async due(ns: string, now: number, limit: number): Promise<string[]> {
    const k = this.keys(ns);
    if (limit <= 0) return [];
    return this.run('due', () => this.client.rwDue(k.due, k.forget, this.now(), now, Math.floor(limit), k.value('')));
  }

  async mark(ns: string, id: string, ttlMs: number): Promise<boolean> {
    const key = this.keys(ns).mark(id);
    const px = Math.max(1, Math.ceil(ttlMs));
    return (await this.run('mark', () => this.client.set(key, '1', 'PX', px, 'NX'))) === 'OK';
  }

  async acquire(ns: string, key: string, now: number, windowMs: number, limit: number, record: boolean): Promise<number> {
    const k = this.keys(ns).window(key);
    // Unique even when two instances record at the same millisecond: each event must count.
    const member = `${now}:${randomBytes(6).toString('base64url')}`;
    return this.run('acquire', () => this.client.rwAcquire(k, now, windowMs, limit, record ? '1' : '0', member));
  }

  async count(ns: string): Promise<number> {
    const k = this.keys(ns);
    return this.run('count', () => this.client.rwCount(k.due, k.forget, this.now()));
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.ping());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client.disconnect();
  }

  private keys(ns: string) {
    if (!NAMESPACE.test(ns)) throw new TypeError(`state namespace "${ns}" must be 1 to 64 letters, digits or _ . -`);
    const base = `${this.prefix}{${ns}}:`;
    return {
      value: (id: string) => `${base}v:${id}`,
      due: `${base}due`,
      forget: `${base}forget`,
      mark: (id: string) => `${base}m:${id}`,
      window: (key: string) => `${base}w:${key}`,
    };
  }

  /**
   * Runs one command within the time bound: waits for the connection if it is being made (never
   * longer than the bound), and turns every failure into StateUnavailable.
   */
  private async run<T>(operation: string, command: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    late.catch(() => undefined); // it may fire while the connection is still awaited
    try {
      if (this.closed) throw new Error('the store was closed');
      if (this.client.status !== 'ready') await this.connected(deadline);
      const result = await Promise.race([command(), late]);
      this.cameBack();
      return result;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.wentDown(why);
      throw new StateUnavailable(`state store (Redis at ${this.where}) unavailable during ${operation}: ${why}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Resolves when a connection being made is ready, or rejects at the deadline. Between attempts
   * (reconnecting after a loss) it rejects at once: Redis is known to be away, so nobody waits.
   */
  private connected(deadline: number): Promise<void> {
    const status = this.client.status;
    if (status !== 'wait' && status !== 'connecting' && status !== 'connect') return Promise.reject(new Error(this.notConnected()));
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => done(new Error(this.notConnected())), Math.max(0, deadline - Date.now()));
      this.waiting.add(done);
    });
  }

  private notConnected(): string {
    return `not connected (${this.client.status}${this.lastError ? `; last error: ${this.lastError}` : ''})`;
  }

  private wentDown(why: string): void {
    if (this.closed || this.healthy === false) return;
    this.healthy = false;
    this.log.warn(`state store: Redis at ${this.where} is unavailable (${why}): actions and confirmations are refused until it answers again; reconnecting`);
  }

  private cameBack(): void {
    if (this.healthy === true) return;
    if (this.healthy === false) this.log.info(`state store: Redis at ${this.where} answers again`);
    this.healthy = true;
  }
}

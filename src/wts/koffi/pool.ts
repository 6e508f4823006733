import type { Worker } from 'node:worker_threads';
import { WIN32, win32Label, type BackendOperation } from '../errors.js';
import { HungServers } from './hung-servers.js';
import { STOP, type WorkerHello, type WtsRequest, type WtsResponse, type WtsValue } from './protocol.js';

export interface PoolOptions {
  /** Threads making calls. */
  size: number;
  /** Threads stuck in a hung call that may linger (written off) before the pool stops replacing them. */
  maxAbandoned: number;
  timeoutMs: number;
  spawn: () => Worker;
  /** Threads kept ready when idle (a thread costs ~10 MB); more start on demand, up to `size`. */
  minThreads?: number;
  /** An idle thread beyond `minThreads` is stopped after this long. */
  idleMs?: number;
}

/** Why a pooled call failed: a Win32 code (WIN32.TIMEOUT for a timeout), or 0 with a detail for the pool's own troubles. */
export class PoolFailure extends Error {
  constructor(
    readonly code: number,
    readonly op: BackendOperation,
    readonly detail?: string,
  ) {
    super(detail ?? `Win32 error ${code}`);
  }
}

export interface PoolStats {
  threads: number;
  busy: number;
  abandoned: number;
  queued: number;
  spawned: number;
  timeouts: number;
  lateAnswers: number;
  /** Servers with a call still stuck past its deadline: further calls to them are answered at once. */
  hungServers: string[];
}

type Request = WtsRequest extends infer R ? (R extends WtsRequest ? Omit<R, 'id'> : never) : never;

interface Task {
  id: number;
  req: Request;
  /** How long the call may take once a thread runs it. */
  budgetMs: number;
  resolve: (v: WtsValue) => void;
  reject: (e: PoolFailure) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  abandoned: boolean;
  /** Stop once the call in progress is answered (the pool is closing). */
  stopWhenDone: boolean;
  idleSince: number;
  /** Resolves once the thread has exited, or was written off inside a hung call. */
  released: Promise<void>;
  release: () => void;
}

const TIMEOUT = WIN32.TIMEOUT;
/** What Windows says when a DLL cannot be loaded. */
const MOD_NOT_FOUND = WIN32.MOD_NOT_FOUND;

/**
 * A dedicated, bounded pool of threads for wtsapi32 calls (never libuv's shared pool). Each call has
 * a deadline; a thread still inside a call at its deadline is written off: the caller is answered,
 * a replacement starts (while fewer than `maxAbandoned` are written off), and the old thread is let
 * finish its call, free its buffers and close its handle before it stops, so nothing leaks. Until
 * then its server is answered at once, so one hung server holds one thread, not the whole pool.
 *
 * A thread is only ever stopped from inside, between two calls (see STOP): Worker.terminate() on a
 * thread that is loading koffi or inside a koffi call aborts the whole process (a fatal N-API error).
 */
export class WtsWorkerPool {
  private readonly active = new Set<Slot>();
  private readonly abandoned = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly hung = new HungServers();
  private seq = 0;
  private spawned = 0;
  private timeouts = 0;
  private lateAnswers = 0;
  private closed = false;
  private loadError: string | undefined;
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly o: PoolOptions) {
    const idleMs = o.idleMs ?? 60_000;
    this.reaper = setInterval(() => this.reapIdle(idleMs), Math.max(1000, idleMs / 2));
    this.reaper.unref();
  }

  /** Each call's deadline once a thread has it. */
  get timeoutMs(): number {
    return this.o.timeoutMs;
  }

  /** Runs one call; `budgetMs` (default: the pool's timeout) is how long it may take once a thread has it. */
  run(req: Request, budgetMs = this.o.timeoutMs): Promise<WtsValue> {
    if (this.closed) return Promise.reject(new PoolFailure(0, req.op, 'the WTS backend is closed'));
    if (this.loadError) return Promise.reject(new PoolFailure(MOD_NOT_FOUND, req.op, this.loadError));
    const stuck = this.hung.describe(req.server);
    if (stuck) return Promise.reject(new PoolFailure(TIMEOUT, req.op, stuck));
    return new Promise((resolve, reject) => {
      // Waiting for a thread has its own deadline; the server's deadline starts when a thread takes the call,
      // so time spent queued behind other calls never gets a healthy server's thread written off.
      const task: Task = { id: ++this.seq, req, budgetMs, resolve, reject, timer: setTimeout(() => this.timeout(task), this.o.timeoutMs) };
      this.queue.push(task);
      this.pump();
    });
  }

  stats(): PoolStats {
    let busy = 0;
    for (const s of this.active) if (s.task) busy++;
    return {
      threads: this.active.size + this.abandoned.size,
      busy,
      abandoned: this.abandoned.size,
      queued: this.queue.length,
      spawned: this.spawned,
      timeouts: this.timeouts,
      lateAnswers: this.lateAnswers,
      hungServers: this.hung.servers(),
    };
  }

  /**
   * Answers every waiting caller, lets the calls in progress finish (each within its deadline) and
   * stops every thread. A thread inside a hung call cannot be stopped: it is left unreferenced and
   * counted in the result, so the owner can exit the process hard.
   */
  async close(): Promise<number> {
    this.closed = true;
    clearInterval(this.reaper);
    for (const t of this.queue.splice(0)) this.settle(t, new PoolFailure(0, t.req.op, 'the WTS backend is closing'));
    const pending = [...this.active].map((s) => s.released);
    for (const s of [...this.active]) {
      if (s.task) s.stopWhenDone = true;
      else this.stop(s);
    }
    await Promise.all(pending);
    return this.abandoned.size;
  }

  /** Starts up to `n` threads ahead of the first calls; resolves when they are ready (or cannot be). */
  warm(n: number): Promise<void> {
    while (this.active.size < Math.min(n, this.o.size) && !this.closed && !this.loadError) this.start();
    return new Promise((resolve) => {
      const check = (): void => {
        const starting = [...this.active].some((s) => !s.ready);
        if (!starting || this.closed || this.loadError) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      let idle: Slot | undefined;
      let starting = 0;
      for (const s of this.active) {
        if (!s.ready) starting++;
        else if (!s.task) {
          idle = s;
          break;
        }
      }
      if (!idle) {
        const room = this.active.size < this.o.size && this.active.size + this.abandoned.size < this.o.size + this.o.maxAbandoned;
        if (room && starting < this.queue.length) {
          this.start();
          continue;
        }
        return;
      }
      const task = this.queue.shift() as Task;
      clearTimeout(task.timer);
      task.timer = setTimeout(() => this.timeout(task), task.budgetMs);
      idle.task = task;
      idle.worker.ref();
      idle.worker.postMessage({ ...task.req, id: task.id } as WtsRequest);
    }
  }

  private start(): void {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slot: Slot = { worker: this.o.spawn(), ready: false, abandoned: false, stopWhenDone: false, idleSince: Date.now(), released, release };
    this.spawned++;
    this.active.add(slot);
    slot.worker.on('message', (m: WtsResponse | WorkerHello) => this.onMessage(slot, m));
    slot.worker.on('error', (e) => this.onDeath(slot, `the WTS worker thread failed: ${e.message}`));
    slot.worker.on('exit', (code) => {
      slot.release();
      this.onDeath(slot, `the WTS worker thread exited (code ${code})`);
    });
  }

  private onMessage(slot: Slot, m: WtsResponse | WorkerHello): void {
    if (!this.active.has(slot) && !this.abandoned.has(slot)) return; // stopping: it answers nothing more
    if ('ready' in m) {
      if (!m.ready) {
        this.loadError = `cannot load wtsapi32: ${m.error}`;
        this.stop(slot);
        for (const t of this.queue.splice(0)) this.settle(t, new PoolFailure(MOD_NOT_FOUND, t.req.op, this.loadError));
        return;
      }
      slot.ready = true;
      // Idle from now, not from its start: a thread that took long to load is not stopped as soon as it is ready.
      slot.idleSince = Date.now();
      // Idle threads never keep the process alive; one that is loading koffi must (see STOP).
      slot.worker.unref();
      this.pump();
      return;
    }
    const task = slot.task;
    slot.task = undefined;
    if (slot.abandoned) {
      // The hung call came back: its buffers are freed and its handle closed; now the thread can go.
      this.lateAnswers++;
      if (task) this.hung.returned(task.req.server);
      this.stop(slot);
      this.pump();
      return;
    }
    slot.idleSince = Date.now();
    if (task && task.id === m.id) {
      if (m.ok) this.settle(task, undefined, m.value);
      else this.settle(task, new PoolFailure(m.code, m.op, m.detail));
    }
    if (slot.stopWhenDone) this.stop(slot);
    else slot.worker.unref();
    this.pump();
  }

  private onDeath(slot: Slot, why: string): void {
    if (!this.active.has(slot) && !this.abandoned.has(slot)) return;
    const task = slot.task;
    this.active.delete(slot);
    this.abandoned.delete(slot);
    slot.release();
    if (task && slot.abandoned) this.hung.returned(task.req.server);
    if (task && !slot.abandoned) this.settle(task, new PoolFailure(0, task.req.op, why));
    if (!slot.ready) {
      // A thread that dies before it is ready will not do better the next time: stop respawning.
      this.loadError = why;
      for (const t of this.queue.splice(0)) this.settle(t, new PoolFailure(0, t.req.op, why));
      return;
    }
    this.pump();
  }

  private timeout(task: Task): void {
    this.timeouts++;
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      const s = this.stats();
      const starting = [...this.active].filter((x) => !x.ready).length;
      const why = `${s.busy} calls are in progress, ${s.abandoned} are hung${starting ? ` and ${starting} threads are starting` : ''}`;
      this.settle(task, new PoolFailure(TIMEOUT, task.req.op, `${task.req.server}: ${win32Label(TIMEOUT)} waiting for a free thread: ${why}; try again`));
      return;
    }
    for (const slot of this.active) {
      if (slot.task !== task) continue;
      slot.abandoned = true;
      this.active.delete(slot);
      this.abandoned.add(slot);
      this.hung.stuck(task.req.server);
      // A call blocked in RPC still holds the thread; do not let it keep the process alive.
      slot.worker.unref();
      slot.release();
      break;
    }
    this.settle(task, new PoolFailure(TIMEOUT, task.req.op));
    this.pump();
  }

  private reapIdle(idleMs: number): void {
    const keep = this.o.minThreads ?? 4;
    const cutoff = Date.now() - idleMs;
    for (const slot of [...this.active]) {
      if (this.active.size <= keep) return;
      if (slot.ready && !slot.task && slot.idleSince < cutoff) this.stop(slot);
    }
  }

  /**
   * Asks the thread to exit between calls; one still loading koffi exits once it has loaded. It stays
   * referenced meanwhile: were the process to exit first, Node would terminate it mid-load.
   */
  private stop(slot: Slot): void {
    this.active.delete(slot);
    this.abandoned.delete(slot);
    slot.worker.ref();
    slot.worker.postMessage(STOP);
  }

  private settle(task: Task, error?: PoolFailure, value?: WtsValue): void {
    clearTimeout(task.timer);
    if (error) task.reject(error);
    else task.resolve(value ?? null);
  }
}

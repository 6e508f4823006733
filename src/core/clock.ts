/** Time, injected so the core stays testable (and so tests never wait for real). */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A wait that can be called off: how long a reply may wait on a slow server, injected so tests decide when it elapses. */
export interface Timer {
  /** `elapsed` resolves after `ms` unless `cancel()` came first. */
  after(ms: number): { elapsed: Promise<void>; cancel(): void };
}

export const systemTimer: Timer = {
  after(ms) {
    let handle: ReturnType<typeof setTimeout> | undefined;
    const elapsed = new Promise<void>((resolve) => {
      handle = setTimeout(resolve, ms);
    });
    return { elapsed, cancel: () => clearTimeout(handle) };
  },
};

/** `work`'s value, or `late` when it is not there within `ms`; its later failure is then ignored. */
export async function within<T>(timer: Timer, ms: number, work: Promise<T>): Promise<{ late: false; value: T } | { late: true }> {
  const wait = timer.after(ms);
  const settled = work.then(
    (value) => ({ late: false as const, ok: true as const, value }),
    (error: unknown) => ({ late: false as const, ok: false as const, error }),
  );
  try {
    const r = await Promise.race([settled, wait.elapsed.then(() => ({ late: true as const }))]);
    if (r.late) return r;
    if (!r.ok) throw r.error;
    return { late: false, value: r.value };
  } finally {
    wait.cancel();
  }
}

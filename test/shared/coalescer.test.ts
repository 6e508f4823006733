import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../../adapters/shared/coalescer.js';

describe('Coalescer: at most one send per interval, the latest value', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first at once, then only the latest of each second', async () => {
    const sent: number[] = [];
    const c = new Coalescer<number>(async (v) => void sent.push(v), () => undefined, 1000, () => Date.now());
    c.push(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([1]);
    c.push(2);
    c.push(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toEqual([1]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([1, 3]);
    expect(c.started).toBe(true);
  });
  it('close drops what is pending and waits for the send in progress', async () => {
    const sent: number[] = [];
    let release: () => void = () => undefined;
    const c = new Coalescer<number>((v) => new Promise<void>((r) => ((release = r), sent.push(v))), () => undefined, 1000, () => Date.now());
    c.push(1);
    await vi.advanceTimersByTimeAsync(0);
    c.push(2);
    let closed = false;
    const closing = c.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(5000);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(sent).toEqual([1]);
    c.push(3);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual([1]);
  });
  it('a failed send is reported and the next value still goes', async () => {
    const errors: unknown[] = [];
    const sent: number[] = [];
    const c = new Coalescer<number>(async (v) => {
      if (v === 1) throw new Error('ratelimited');
      sent.push(v);
    }, (e) => errors.push(e), 1000, () => Date.now());
    c.push(1);
    await vi.advanceTimersByTimeAsync(0);
    c.push(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(sent).toEqual([2]);
  });
});

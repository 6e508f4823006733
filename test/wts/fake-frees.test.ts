import koffi from 'koffi';
import { beforeEach, describe, expect, it } from 'vitest';
import { WTS_HANDLE } from '../../src/wts/koffi/structs.js';
import { fakeWtsPerTest, skipWithoutGcc } from './wts-harness.js';

type Ptr = bigint | null;

/**
 * The leak checks are only worth their zero if the fake counts a wrong free. Here the fake's own
 * exports are called directly, freeing its buffers the wrong ways on purpose.
 */
describe.skipIf(skipWithoutGcc())('the fake wtsapi32 catches a buffer freed with the wrong function, type or count', () => {
  const w = fakeWtsPerTest();
  let api: {
    open(name: string): Ptr;
    close(h: Ptr): void;
    enumEx(h: Ptr, level: [number], session: number, out: [Ptr], count: [number]): number;
    enumOld(h: Ptr, reserved: number, version: number, out: [Ptr], count: [number]): number;
    free(p: Ptr): void;
    freeEx(type: number, p: Ptr, n: number): number;
  };

  beforeEach(() => {
    const lib = koffi.load(w.lib);
    const out = (t: string) => koffi.out(koffi.pointer(t));
    api = {
      open: lib.func('WTSOpenServerW', WTS_HANDLE, ['str16']),
      close: lib.func('WTSCloseServer', 'void', [WTS_HANDLE]),
      enumEx: lib.func('WTSEnumerateProcessesExW', 'int32', [WTS_HANDLE, koffi.inout(koffi.pointer('uint32')), 'uint32', out('void *'), out('uint32')]),
      enumOld: lib.func('WTSEnumerateProcessesW', 'int32', [WTS_HANDLE, 'uint32', 'uint32', out('void *'), out('uint32')]),
      free: lib.func('WTSFreeMemory', 'void', ['void *']),
      freeEx: lib.func('WTSFreeMemoryExW', 'int32', ['int32', 'void *', 'uint32']),
    };
    w.fake.standardServer('rds01');
    w.fake.standardProcesses('rds01');
  });

  const enumerate = (ex: boolean): { p: Ptr; n: number; close: () => void } => {
    const h = api.open('rds01');
    const out: [Ptr] = [null];
    const count: [number] = [0];
    const ok = ex ? api.enumEx(h, [1], 0xfffffffe, out, count) : api.enumOld(h, 0, 1, out, count);
    expect(ok).not.toBe(0);
    expect(count[0]).toBe(12);
    return { p: out[0], n: count[0], close: () => api.close(h) };
  };

  it.each([
    ['an Ex process buffer freed with WTSFreeMemory', true, (p: Ptr) => api.free(p)],
    ['an Ex process buffer freed as session info (type 2)', true, (p: Ptr, n: number) => api.freeEx(2, p, n)],
    ['an Ex process buffer freed as level 0', true, (p: Ptr, n: number) => api.freeEx(0, p, n)],
    ['an Ex process buffer freed with the wrong count', true, (p: Ptr, n: number) => api.freeEx(1, p, n - 1)],
    ['an old-call process buffer freed with WTSFreeMemoryExW', false, (p: Ptr, n: number) => api.freeEx(1, p, n)],
  ])('%s is a bad free, and the buffer stays outstanding', (_name, ex, wrongFree) => {
    // The counts are the library's for the life of this process: compare with before.
    const bad = w.fake.badFrees();
    const b = enumerate(ex);
    wrongFree(b.p, b.n);
    expect(w.fake.badFrees()).toBe(bad + 1);
    expect(w.fake.outstanding()).toBe(1);
    // Freed properly after all, it is gone.
    if (ex) expect(api.freeEx(1, b.p, b.n)).not.toBe(0);
    else api.free(b.p);
    expect(w.fake.outstanding()).toBe(0);
    b.close();
  });

  it('each buffer freed with its own function, type and count leaves nothing behind', () => {
    const bad = w.fake.badFrees();
    const ex = enumerate(true);
    expect(api.freeEx(1, ex.p, ex.n)).not.toBe(0);
    ex.close();
    const old = enumerate(false);
    api.free(old.p);
    old.close();
    expect(w.fake.badFrees()).toBe(bad);
    expect(w.fake.outstanding()).toBe(0);
    expect(w.fake.openHandles()).toBe(0);
  });
});

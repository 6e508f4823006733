import { beforeAll, beforeEach, expect } from 'vitest';
import { WtsError } from '../../src/wts/errors.js';
import { buildFakeWts, hasTool, requireOrSkip } from '../native/build-fakewts.js';
import { FakeWtsControl } from '../native/fake-wts-control.js';

/** Whether to skip the koffi suites: only where gcc is missing and RWINSTA_REQUIRE_ALL_SUITES is unset. */
export const skipWithoutGcc = (): boolean => requireOrSkip('gcc (builds the fake wtsapi32 for the koffi binding tests)', hasTool('gcc'));

/** The fake wtsapi32 built for Linux, and the handle the test drives it with (the same state the workers see). */
export function fakeWts(): { lib: string; fake: FakeWtsControl } {
  const lib = buildFakeWts('linux');
  return { lib, fake: new FakeWtsControl(lib) };
}

/** The WtsError a promise rejects with. */
export async function rejection(p: Promise<unknown>): Promise<WtsError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WtsError);
    return e as WtsError;
  }
  throw new Error('expected a rejection');
}

/**
 * For a describe block: the fake built once, and every hang released and every server forgotten
 * before each test, so no test inherits another's state.
 */
export function fakeWtsPerTest(): { readonly lib: string; readonly fake: FakeWtsControl } {
  const built = { lib: '', fake: undefined as unknown as FakeWtsControl };
  beforeAll(() => {
    Object.assign(built, fakeWts());
  });
  beforeEach(() => {
    built.fake.releaseHangs();
    built.fake.reset();
  });
  return built;
}

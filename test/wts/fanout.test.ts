import { beforeAll, describe, expect, it } from 'vitest';
import { emptyAccessModel } from '../../src/config/access-file.js';
import { Policy } from '../../src/core/policy/policy.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings.js';
import { search, searchDepsFor } from '../../src/core/usecases/find.js';
import { createWtsBackend } from '../../src/wts/koffi/index.js';
import type { FakeWtsControl } from '../native/fake-wts-control.js';
import { ManualClock } from '../support/core-harness.js';
import { fakeWts, skipWithoutGcc } from './wts-harness.js';

describe.skipIf(skipWithoutGcc())('finding a user across a server group on the real binding', () => {
  let lib: string;
  let fake: FakeWtsControl;

  beforeAll(() => {
    ({ lib, fake } = fakeWts());
    fake.releaseHangs();
    fake.reset();
  });

  it('40 servers, 4 down and 2 hung: results beside each failure, the searches running side by side', async () => {
    const backend = createWtsBackend({ libraryPath: lib, timeoutMs: 1500, threads: 8, maxAbandonedThreads: 8 });
    const servers: string[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `rds${String(i).padStart(2, '0')}`;
      servers.push(name);
      if (i % 10 === 3) fake.server(name, { failure: 1722 });
      else if (i === 7 || i === 27) fake.server(name, { hang: true });
      else fake.standardServer(name, { latencyMs: 10 });
    }
    await backend.warmUp(8);
    const ctx = { backend, policy: new Policy(emptyAccessModel()), clock: new ManualClock(), settings: { ...DEFAULT_SETTINGS, fanoutConcurrency: 8 } };
    const r = await search(searchDepsFor(ctx), { user: { kind: 'name', name: 'jdoe' }, verbose: false, layout: 'qwinsta', servers });
    expect(r.matches).toHaveLength(34);
    expect(r.failures.map((f) => [f.server, f.code])).toEqual([
      ['rds03', 1722],
      ['rds07', 1460],
      ['rds13', 1722],
      ['rds23', 1722],
      ['rds27', 1460],
      ['rds33', 1722],
    ]);
    expect(r.summary).toBe('jdoe: 34 sessions on 34 servers (6 of 40 servers did not answer).');
    // Both hung calls were still blocked while later servers were being asked: the searches overlapped.
    expect(fake.maxConcurrent()).toBeGreaterThanOrEqual(3);
    fake.releaseHangs();
    await expect.poll(() => backend.stats().abandoned, { timeout: 10_000 }).toBe(0);
    expect(fake.outstanding()).toBe(0);
    expect(fake.openHandles()).toBe(0);
    await backend.close();
  });
});

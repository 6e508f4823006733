import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../adapters/shared/replay-guard.js';
import { MemoryStateStore } from '../../src/core/index.js';

describe('ReplayGuard', () => {
  it('lets an ID through once within its window, and again only after the window', async () => {
    let now = 0;
    const g = new ReplayGuard(new MemoryStateStore(() => now), 'slack', 1000);
    expect(await g.firstTime('a')).toBe(true);
    now = 500;
    expect(await g.firstTime('a')).toBe(false);
    expect(await g.firstTime('b')).toBe(true);
    now = 999;
    expect(await g.firstTime('a')).toBe(false);
    now = 1000;
    expect(await g.firstTime('a')).toBe(true);
  });

  it('keeps platforms apart: the same ID on Slack and Discord are two deliveries', async () => {
    const store = new MemoryStateStore(() => 0);
    expect(await new ReplayGuard(store, 'slack', 1000).firstTime('x')).toBe(true);
    expect(await new ReplayGuard(store, 'discord', 1000).firstTime('x')).toBe(true);
    expect(await new ReplayGuard(store, 'discord', 1000).firstTime('x')).toBe(false);
  });

  it('forgets IDs older than the window once many are remembered, and still refuses recent ones', async () => {
    let now = 0;
    const g = new ReplayGuard(new MemoryStateStore(() => now), 'slack', 1000);
    for (let i = 0; i < 10_050; i++) await g.firstTime(`old${i}`);
    now = 5000;
    for (let i = 0; i < 10; i++) await g.firstTime(`new${i}`);
    now = 5500;
    expect(await g.firstTime('new3')).toBe(false);
    expect(await g.firstTime('old3')).toBe(true);
  });

  it('the clean-up keeps every ID still inside its window, including the one that set it off', async () => {
    let now = 0;
    const g = new ReplayGuard(new MemoryStateStore(() => now), 'slack', 1000);
    // 10,000 remembered IDs are kept as they are; the next one starts a clean-up of the expired.
    for (let i = 0; i < 9_999; i++) await g.firstTime(`old${i}`);
    now = 600;
    expect(await g.firstTime('recent')).toBe(true);
    now = 1_500;
    expect(await g.firstTime('trigger')).toBe(true);
    now = 1_550;
    expect(await g.firstTime('recent')).toBe(false);
    expect(await g.firstTime('trigger')).toBe(false);
    expect(await g.firstTime('old1')).toBe(true);
  });
});

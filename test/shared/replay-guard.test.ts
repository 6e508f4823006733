import { describe, expect, it } from 'vitest';
import { ReplayGuard } from '../../adapters/shared/replay-guard.js';

describe('ReplayGuard', () => {
  it('lets an ID through once within its window, and again only after the window', () => {
    const g = new ReplayGuard(1000);
    expect(g.firstTime('a', 0)).toBe(true);
    expect(g.firstTime('a', 500)).toBe(false);
    expect(g.firstTime('b', 500)).toBe(true);
    expect(g.firstTime('a', 1000)).toBe(false);
    expect(g.firstTime('a', 1001)).toBe(true);
  });

  it('forgets IDs older than the window once many are remembered, and still refuses recent ones', () => {
    const g = new ReplayGuard(1000);
    for (let i = 0; i < 1000; i++) g.firstTime(`old${i}`, 0);
    for (let i = 0; i < 10; i++) g.firstTime(`new${i}`, 5000);
    expect(g.size).toBeLessThanOrEqual(11);
    expect(g.firstTime('new3', 5500)).toBe(false);
  });
});

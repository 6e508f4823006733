import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { ConfirmationStore } from '../../src/core/confirmations.js';
import type { Plan } from '../../src/core/plan.js';

const alice: Caller = { platform: 'slack', userId: 'UALICE', userName: 'alice', groups: [] };
const aliceOnDiscord: Caller = { platform: 'discord', userId: 'UALICE', userName: 'alice', groups: [] };
const bob: Caller = { platform: 'slack', userId: 'UBOB', userName: 'bob', groups: [] };
const plan: Plan = { action: 'logoff', server: 'rds01', sessions: [], verbose: false };

function store(): ConfirmationStore {
  let n = 0;
  return new ConfirmationStore(120_000, () => `c${++n}`);
}

describe('confirmation store', () => {
  it('belongs to its requester: another user cannot take it, and it stays pending for the owner', () => {
    const s = store();
    const p = s.create(alice, plan, 0, 'r1', '/rwinsta rds01 3');
    expect(s.claim(p.id, bob, 1)).toMatchObject({ ok: false, reason: 'not-requester' });
    expect(s.claim(p.id, aliceOnDiscord, 1)).toMatchObject({ ok: false, reason: 'not-requester' });
    expect(s.claim(p.id, alice, 2)).toMatchObject({ ok: true });
  });
  it('is single-use', () => {
    const s = store();
    const p = s.create(alice, plan, 0, 'r1', 'x');
    expect(s.claim(p.id, alice, 1).ok).toBe(true);
    expect(s.claim(p.id, alice, 1)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('expires after its TTL, and is gone after that', () => {
    const s = store();
    const p = s.create(alice, plan, 1000, 'r1', 'x');
    expect(p.expiresAt).toBe(121_000);
    expect(s.claim(p.id, alice, 121_000)).toMatchObject({ ok: false, reason: 'expired' });
    expect(s.claim(p.id, alice, 121_001)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('takeExpired removes only the expired ones', () => {
    const s = store();
    s.create(alice, plan, 0, 'r1', 'x');
    const fresh = s.create(alice, plan, 100_000, 'r2', 'y');
    expect(s.takeExpired(130_000).map((p) => p.id)).toEqual(['c1']);
    expect(s.size).toBe(1);
    expect(s.claim(fresh.id, alice, 130_000).ok).toBe(true);
  });
});

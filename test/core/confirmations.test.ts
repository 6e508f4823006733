import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/core/caller.js';
import { ConfirmationStore } from '../../src/core/confirmations.js';
import type { Plan } from '../../src/core/plan.js';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';

const alice: Caller = { platform: 'slack', userId: 'UALICE', userName: 'alice', groups: [] };
const aliceOnDiscord: Caller = { platform: 'discord', userId: 'UALICE', userName: 'alice', groups: [] };
const bob: Caller = { platform: 'slack', userId: 'UBOB', userName: 'bob', groups: [] };
const logon = new Date('2026-11-25T08:00:00Z');
const plan: Plan = { action: 'logoff', server: 'rds01', sessions: [{ server: 'rds01', id: 3, name: 'RDP-Tcp#7', user: 'jdoe', domain: 'CORP', state: 'Active', logonTime: logon }], verbose: false };

function store(now = { t: 0 }): ConfirmationStore {
  let n = 0;
  return new ConfirmationStore(new MemoryStateStore(() => now.t), 120_000, () => `c${++n}`);
}

describe('confirmation store', () => {
  it('belongs to its requester: another user cannot take it, and it stays pending for the owner', async () => {
    const s = store();
    const p = await s.create(alice, plan, 0, 'r1', '/rwinsta rds01 3');
    expect(await s.claim(p.id, bob, 1)).toMatchObject({ ok: false, reason: 'not-requester' });
    expect(await s.claim(p.id, aliceOnDiscord, 1)).toMatchObject({ ok: false, reason: 'not-requester' });
    expect(await s.claim(p.id, alice, 2)).toMatchObject({ ok: true });
  });
  it('is single-use, also when many presses arrive at once', async () => {
    const s = store();
    const p = await s.create(alice, plan, 0, 'r1', 'x');
    const claims = await Promise.all(Array.from({ length: 20 }, () => s.claim(p.id, alice, 1)));
    expect(claims.filter((c) => c.ok)).toHaveLength(1);
    expect(await s.claim(p.id, alice, 1)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('keeps the plan whole through the store: sessions, their dates, the requester', async () => {
    const s = store();
    const p = await s.create(alice, plan, 0, 'r1', 'x');
    const c = await s.claim(p.id, alice, 1);
    if (!c.ok) throw new Error('expected the claim to succeed');
    expect(c.pending.plan.sessions[0]?.logonTime).toEqual(logon);
    expect(c.pending.plan.sessions[0]?.logonTime).toBeInstanceOf(Date);
    expect(c.pending.requester).toEqual(alice);
  });
  it('expires after its TTL, and is gone after that', async () => {
    const s = store();
    const p = await s.create(alice, plan, 1000, 'r1', 'x');
    expect(p.expiresAt).toBe(121_000);
    expect(await s.claim(p.id, alice, 120_999)).toMatchObject({ ok: true });
    const q = await s.create(alice, plan, 1000, 'r2', 'x');
    expect(await s.claim(q.id, alice, 121_000)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await s.claim(q.id, alice, 121_001)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('takeExpired takes only the expired ones, each once', async () => {
    const now = { t: 0 };
    const s = store(now);
    await s.create(alice, plan, 0, 'r1', 'x');
    const fresh = await s.create(alice, plan, 100_000, 'r2', 'y');
    now.t = 130_000;
    expect((await s.takeExpired(130_000)).map((p) => p.id)).toEqual(['c1']);
    expect(await s.takeExpired(130_000)).toEqual([]);
    expect(await s.size()).toBe(1);
    expect((await s.claim(fresh.id, alice, 130_000)).ok).toBe(true);
  });
  it('discard withdraws a confirmation', async () => {
    const s = store();
    const p = await s.create(alice, plan, 0, 'r1', 'x');
    await s.discard(p.id);
    expect(await s.claim(p.id, alice, 1)).toEqual({ ok: false, reason: 'unknown' });
  });
  it('is kept in the shared state store under "confirm", where every instance finds it', async () => {
    const state = new MemoryStateStore(() => 0);
    const p = await new ConfirmationStore(state, 120_000, () => 'c1').create(alice, plan, 0, 'r1', 'x');
    expect(await state.get('confirm', p.id)).toBeDefined();
    expect(await state.due('confirm', 120_000, 10)).toEqual(['c1']);
    const other = new ConfirmationStore(state, 120_000, () => 'c2');
    expect(await other.claim('c1', alice, 1)).toMatchObject({ ok: true, pending: { id: 'c1', command: 'x' } });
  });
  it('takeExpired skips a confirmation another instance took between listing and taking it', async () => {
    const now = { t: 0 };
    const state = new MemoryStateStore(() => now.t);
    // Another instance's sweep wins the race for the first expired confirmation.
    const racing = new Proxy(state, {
      get(target, prop, receiver) {
        if (prop !== 'due') return Reflect.get(target, prop, receiver) as unknown;
        return async (ns: string, at: number, limit: number) => {
          const ids = await target.due(ns, at, limit);
          await target.take(ns, ids[0] ?? '');
          return ids;
        };
      },
    });
    let n = 0;
    const s = new ConfirmationStore(racing, 120_000, () => `c${++n}`);
    await s.create(alice, plan, 0, 'r1', 'x');
    await s.create(alice, plan, 1, 'r2', 'y');
    now.t = 130_000;
    expect((await s.takeExpired(130_000)).map((p) => p.id)).toEqual(['c2']);
  });
});

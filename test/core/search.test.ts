import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/results.js';
import { renderText } from '../../src/core/render/text.js';
import type { SessionBackend } from '../../src/wts/backend.js';
import type { Session } from '../../src/wts/session.js';
import { makeHarness } from '../support/core-harness.js';

/** Counts listSessions per server; `hold` keeps one server's answer until released. */
function watched(calls: string[], hold?: { server: string; release?: () => void }) {
  return (inner: SessionBackend): SessionBackend =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop !== 'listSessions') return Reflect.get(target, prop, receiver);
        return async (server: string): Promise<Session[]> => {
          calls.push(server);
          if (hold && server === hold.server) await new Promise<void>((resolve) => (hold.release = resolve));
          return target.listSessions(server);
        };
      },
    });
}

describe('known-down servers', () => {
  it('a server that failed with 1722 is skipped by the next search, said so, and one background probe retries it', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: watched(calls) });
    await h.run('alice', 'qwinsta jdoe');
    expect(calls.filter((s) => s === 'rds05')).toHaveLength(1);
    calls.length = 0;
    h.clock.advance(5_000);
    const again = await h.run('alice', 'qwinsta jdoe');
    expect(renderText(again)).toMatch(/! rds05: down since 09:00 \(not retried; it failed with 1722\)/);
    expect(again.summary).toBe('jdoe: 2 sessions on 2 servers (2 of 6 servers did not answer).');
    // The probe: one call, in the background.
    expect(calls.filter((s) => s === 'rds05')).toHaveLength(1);
  });
  it('a command that names the server alone still tries it, and what it finds is what is known', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: watched(calls) });
    await h.run('root', 'qwinsta jdoe');
    h.fleet.setFailure('rds05', undefined);
    expect((await h.run('root', 'qwinsta rds05')).status).toBe('ok');
    calls.length = 0;
    const r = await h.run('root', 'qwinsta jdoe');
    expect(renderText(r)).not.toMatch(/down since/);
    expect(calls).toContain('rds05');
  });
  it('a timeout (1460) counts; the mark lapses after RWINSTA_DOWN_SECONDS; 0 turns it off', async () => {
    const h = makeHarness({ settings: { downMs: 60_000 } });
    h.fleet.setFailure('rds03', 1460);
    await h.run('root', 'qwinsta jdoe');
    expect(renderText(await h.run('root', 'qwinsta jdoe'))).toMatch(/rds03: down since .* it failed with 1460/);
    h.fleet.setFailure('rds03', undefined);
    h.clock.advance(61_000);
    expect(renderText(await h.run('root', 'qwinsta jdoe'))).not.toMatch(/rds03: down/);
    const off = makeHarness({ settings: { downMs: 0 } });
    await off.run('root', 'qwinsta jdoe');
    expect(renderText(await off.run('root', 'qwinsta jdoe'))).toMatch(/rds05: unreachable \(RPC 1722\)/);
  });
  it('a probe that finds the server answering clears the mark', async () => {
    const h = makeHarness();
    await h.run('root', 'qwinsta jdoe');
    h.fleet.setFailure('rds05', undefined);
    await h.run('root', 'qwinsta jdoe');
    await new Promise((r) => setImmediate(r));
    expect(renderText(await h.run('root', 'qwinsta jdoe'))).not.toMatch(/rds05/);
  });
});

describe('answers as they arrive', () => {
  it('a search tells the matches found before the slow servers answer, then the whole answer', async () => {
    const hold: { server: string; release?: () => void } = { server: 'rds02' };
    const h = makeHarness({ wrapBackend: watched([], hold), settings: { fanoutConcurrency: 32 } });
    const partials: Reply[] = [];
    const done = h.bot.handle({ caller: h.as('root'), verb: 'qwinsta', text: 'jdoe', onProgress: (r) => partials.push(r) });
    await expect.poll(() => partials.some((p) => /rds01\s+RDP-Tcp#7\s+CORP\\jdoe/.test(renderText(p)))).toBe(true);
    const first = partials.find((p) => /CORP\\jdoe/.test(renderText(p)));
    expect(first?.summary).toMatch(/^jdoe: 1 session so far; \d+ of 13 servers answered, still searching…$/);
    hold.release?.();
    const final = await done;
    expect(final.summary).toBe('jdoe: 2 sessions on 2 servers (2 of 13 servers did not answer).');
    expect(partials.every((p) => p.requestId === final.requestId)).toBe(true);
  });
});

describe('qwinsta @group', () => {
  it('lists every session of the servers of a group, or a user on them', async () => {
    const h = makeHarness();
    const r = await h.run('alice', 'qwinsta @farm');
    expect(r.summary).toMatch(/^@farm: \d+ sessions on 4 servers \(2 of 6 servers did not answer\)\.$/);
    expect(renderText(r)).toMatch(/^rds04\s+/m);
    expect((await h.run('alice', 'quser @farm jdoe')).summary).toBe('jdoe: 2 sessions on 2 servers (2 of 6 servers did not answer).');
    expect((await h.run('alice', 'qwinsta @nope')).summary).toBe('Error: no server group "nope" (groups: farm).');
    expect((await h.run('alice', 'qwinsta @farm 3')).summary).toMatch(/across a group, name a user/);
  });
});

describe('the live session index (RWINSTA_INDEX_SECONDS)', () => {
  it('answers at once from the last sweep, marked with its age; /fresh reads live; acting reads live', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: watched(calls), settings: { indexIntervalMs: 30_000 } });
    expect(await h.bot.refreshIndex()).toBe(11);
    calls.length = 0;
    h.clock.advance(12_000);
    const r = await h.run('alice', 'qwinsta jdoe');
    expect(r.summary).toBe('jdoe: 2 sessions on 2 servers (2 of 6 servers did not answer) (as of 12 s ago; /fresh reads them live).');
    expect(calls.filter((s) => s !== 'rds05' && s !== 'rds06')).toEqual([]);
    const fresh = await h.run('alice', 'qwinsta jdoe /fresh');
    expect(fresh.summary).not.toMatch(/as of/);
    expect(calls.length).toBeGreaterThan(4);
    calls.length = 0;
    h.fleet.setState('rds01', 3, 'Disconnected');
    // The index saw session 3 Active; the action reads it live, finds it Disconnected, and needs no confirmation.
    const act = await h.run('root', 'rwinsta rds01 3');
    expect(act.summary).toMatch(/^Logged off session 3 \(CORP\\jdoe\) on rds01/);
    expect(calls).toContain('rds01');
  });
  it('an entry older than three sweeps is not used', async () => {
    const calls: string[] = [];
    const h = makeHarness({ wrapBackend: watched(calls), settings: { indexIntervalMs: 30_000 } });
    await h.bot.refreshIndex();
    h.clock.advance(91_000);
    calls.length = 0;
    expect((await h.run('alice', 'qwinsta jdoe')).summary).not.toMatch(/as of/);
    expect(calls).toContain('rds01');
  });
  it('off by default: no sweep', async () => {
    const h = makeHarness();
    expect(await h.bot.refreshIndex()).toBe(0);
  });
});

describe('autocomplete never comes back empty when the index knows the server', () => {
  it('a hung server answers from the index within the deadline', async () => {
    const h = makeHarness({ settings: { indexIntervalMs: 30_000 } });
    await h.bot.refreshIndex();
    h.fleet.setHang('rds01', true);
    const sessions = await h.bot.peekSessions(h.as('root'), 'rds01', 50);
    expect(sessions.map((s) => s.id)).toEqual([2, 3, 4, 6, 7]);
    expect(await h.bot.peekSessions(h.as('mallory'), 'rds01', 50)).toEqual([]);
    await h.fleet.close();
  });
});

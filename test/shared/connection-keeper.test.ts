import { describe, expect, it } from 'vitest';
import { ConnectionKeeper } from '../../adapters/shared/connection-keeper.js';
import { ConfigError } from '../../src/config/config-error.js';
import { MemoryLog } from '../support/core-harness.js';

const BACKOFF = { initialMs: 40, factor: 2, maxMs: 160 };

/** A connect() that fails `failures` times (with `error`), then succeeds; records when each attempt was made. */
function flaky(failures: number, error: () => Error = () => new Error('connect ECONNREFUSED 127.0.0.1:9')) {
  const at: number[] = [];
  return {
    at,
    connect: async (): Promise<void> => {
      at.push(performance.now());
      if (at.length <= failures) throw error();
    },
  };
}

describe('ConnectionKeeper', () => {
  it('tries until it connects, waiting longer each time up to the cap, and logs every failure with the next attempt', async () => {
    const log = new MemoryLog();
    const c = flaky(5);
    const k = new ConnectionKeeper({ tag: 'slack', platform: 'Slack', log, connect: c.connect, backoff: BACKOFF });
    k.start();
    await expect.poll(() => k.status(), { timeout: 5000 }).toEqual({ ready: true, detail: '' });
    expect(c.at).toHaveLength(6);
    const gaps = c.at.slice(1).map((t, i) => t - (c.at[i] as number));
    // 40, 80, 160, 160, 160 ms (each up to 10% more): doubling, then capped. Lower bounds only: a busy machine is late, never early.
    const expected = [40, 80, 160, 160, 160];
    gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual((expected[i] as number) - 5));
    const warnings = log.lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(5);
    for (const w of warnings) expect(w).toMatch(/^warn slack: cannot reach Slack \(connect ECONNREFUSED 127\.0\.0\.1:9\); next attempt at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1 s\)$/);
    expect(log.lines.at(-1)).toBe('info slack: connected to Slack (attempt 6)');
  });

  it('while waiting, status says why and when the next attempt is', async () => {
    const k = new ConnectionKeeper({ tag: 'discord', platform: 'Discord', log: new MemoryLog(), connect: flaky(100).connect, backoff: { initialMs: 60_000, factor: 2, maxMs: 60_000 } });
    k.start();
    await expect.poll(() => k.status().detail).toMatch(/^cannot reach Discord \(connect ECONNREFUSED 127\.0\.0\.1:9\); next attempt at \S+Z$/);
    expect(k.status().ready).toBe(false);
    k.close('stopped');
    expect(k.status()).toEqual({ ready: false, detail: 'stopped' });
  });

  it('a ConfigError (a refused token) stops it at once: no retry, told once', async () => {
    const gaveUp: string[] = [];
    const log = new MemoryLog();
    const c = flaky(100, () => new ConfigError('SLACK_BOT_TOKEN', 'Slack rejected it (invalid_auth)'));
    const k = new ConnectionKeeper({ tag: 'slack', platform: 'Slack', log, connect: c.connect, backoff: BACKOFF, onGaveUp: (w) => gaveUp.push(w) });
    k.start();
    await expect.poll(() => gaveUp).toEqual(['SLACK_BOT_TOKEN: Slack rejected it (invalid_auth)']);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.at).toHaveLength(1);
    expect(k.status()).toEqual({ ready: false, detail: 'stopped: SLACK_BOT_TOKEN: Slack rejected it (invalid_auth)' });
    expect(log.lines).toEqual(['error slack: stopped: SLACK_BOT_TOKEN: Slack rejected it (invalid_auth). Fix it and restart the bot; the other adapters carry on.']);
    k.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(c.at).toHaveLength(1);
  });

  it('a loss the library does not repair: reconnects at once, then with backoff; one it repairs is only reported', async () => {
    const log = new MemoryLog();
    let calls = 0;
    const k = new ConnectionKeeper({ tag: 'slack', platform: 'Slack', log, connect: async () => void calls++, backoff: BACKOFF });
    await k.connectNow();
    k.recovering('the gateway connection dropped; reconnecting');
    expect(k.status()).toEqual({ ready: false, detail: 'the gateway connection dropped; reconnecting' });
    k.recovered();
    expect(k.status().ready).toBe(true);
    expect(calls).toBe(1);
    k.lost('the Socket Mode connection closed');
    await expect.poll(() => calls).toBe(2);
    expect(k.status().ready).toBe(true);
    expect(log.lines).toEqual([
      'warn slack: the gateway connection dropped; reconnecting',
      'info slack: connected to Slack again',
      'warn slack: lost the connection to Slack (the Socket Mode connection closed); reconnecting',
      'info slack: connected to Slack (attempt 1)',
    ]);
  });

  it('closed: an attempt under way or a wait in progress makes no further attempt', async () => {
    let release: () => void = () => undefined;
    let calls = 0;
    const k = new ConnectionKeeper({
      tag: 'slack',
      platform: 'Slack',
      log: new MemoryLog(),
      connect: () => {
        calls++;
        return new Promise<void>((_, reject) => (release = () => reject(new Error('late failure'))));
      },
      backoff: BACKOFF,
    });
    k.start();
    k.close('stopping: no new work is taken');
    release();
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    expect(k.status()).toEqual({ ready: false, detail: 'stopping: no new work is taken' });
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { StateUnavailable, type StateStore } from '../../src/core/ports/state-store.js';
import { createStateStore } from '../../src/state/index.js';
import { memoryLogger } from '../slack/slack-harness.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';

/** The README's least-privilege user ("Running more than one instance"), as written there, with a test password. */
function readmeAcl(): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const line = /^\s*ACL SETUSER (rwinsta .+)$/m.exec(readme)?.[1];
  if (!line) throw new Error('README.md has no "ACL SETUSER rwinsta …" line');
  return line.split(/\s+/).map((w) => (w.startsWith('>') ? '>s3cret' : w));
}

describe.skipIf(skipWithoutRedis())('Redis with the least-privilege ACL user the README gives', () => {
  let server: RedisServer;
  const opened: StateStore[] = [];
  const logs: string[] = [];
  const open = (env: Record<string, string>): StateStore => {
    const s = createStateStore(env, systemClock, memoryLogger(logs));
    opened.push(s);
    return s;
  };
  beforeAll(async () => {
    const acl = readmeAcl();
    expect(acl).toContain('~rwinsta:*');
    server = await new RedisServer(() => ['--user', 'default', 'off', '--user', ...acl]).start();
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await server?.stop();
  });

  it('every operation works, including the pruning of forgotten entries', async () => {
    const s = open({ RWINSTA_STATE_URL: `redis://rwinsta:s3cret@127.0.0.1:${server.port}/0` });
    const now = Date.now();
    await s.put('confirm', 'a', 'v', now, 60_000);
    await s.put('confirm', 'old', 'v', now - 5000, 10);
    expect(await s.get('confirm', 'a')).toBe('v');
    expect(await s.due('confirm', now, 5)).toEqual(['a']);
    expect(await s.count('confirm')).toBe(1);
    expect(await s.swap('confirm', 'a', 'v', 'w')).toBe(true);
    expect(await s.take('confirm', 'a')).toBe('w');
    expect(await s.mark('replay', 'x', 60_000)).toBe(true);
    expect(await s.acquire('rate', 'u', now, 60_000, 1, true)).toBe(0);
    expect(await s.acquire('rate', 'u', now + 1, 60_000, 1, true)).toBe(59_999);
    await s.ping();
  });

  it('a wrong password or a prefix outside the user\'s keys is StateUnavailable, saying why', async () => {
    const wrong = open({ RWINSTA_STATE_URL: `redis://rwinsta:nope@127.0.0.1:${server.port}/0` });
    await expect(wrong.ping()).rejects.toThrow(StateUnavailable);
    await expect(wrong.ping()).rejects.toThrow(/WRONGPASS/);
    const elsewhere = open({ RWINSTA_STATE_URL: `redis://rwinsta:s3cret@127.0.0.1:${server.port}/0`, RWINSTA_STATE_PREFIX: 'other:' });
    await expect(elsewhere.mark('replay', 'x', 1000)).rejects.toThrow(/NOPERM/);
  });
});

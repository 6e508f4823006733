import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createStateStore, readStateConfig } from '../../src/state/index.js';

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('RWINSTA_STATE_URL, RWINSTA_STATE_PREFIX, RWINSTA_STATE_CA_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rwinsta-state-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without a URL the state stays in this process', async () => {
    expect(readStateConfig({})).toEqual({ kind: 'memory' });
    const store = createStateStore({ RWINSTA_STATE_URL: '  ' }, systemClock, silentLogger);
    expect(store.kind).toBe('memory');
    await store.close();
  });

  it('reads host, port, database and credentials, and never shows the password', () => {
    const c = readStateConfig({ RWINSTA_STATE_URL: 'redis://bot:s%40cret@redis.corp.example:6380/2', RWINSTA_STATE_PREFIX: 'site1:' });
    expect(c).toEqual({
      kind: 'redis',
      prefix: 'site1:',
      redis: { host: 'redis.corp.example', port: 6380, db: 2, tls: false, username: 'bot', password: 's@cret', display: 'redis://redis.corp.example:6380/2' },
    });
  });

  it('defaults: port 6379, database 0, prefix rwinsta:; rediss:// is TLS; a password alone is fine', () => {
    const c = readStateConfig({ RWINSTA_STATE_URL: 'rediss://:pw@10.0.0.5' });
    expect(c).toEqual({ kind: 'redis', prefix: 'rwinsta:', redis: { host: '10.0.0.5', port: 6379, db: 0, tls: true, password: 'pw', display: 'rediss://10.0.0.5/0' } });
  });

  it.each([
    ['http://redis:6379', /"http:\/\/" is not redis:\/\/ or rediss:\/\//],
    ['redis.corp.example:6379', /is not redis:\/\/ or rediss:\/\/|is not a URL/],
    ['not a url', /is not a URL/],
    ['redis://redis/db1', /"\/db1" is not a database number/],
    ['redis://redis:6379/0?tls=true', /takes no \?options/],
  ])('refuses RWINSTA_STATE_URL=%s, naming the variable and showing an example', (url, why) => {
    const e = configError(() => readStateConfig({ RWINSTA_STATE_URL: url }));
    expect(e.key).toBe('RWINSTA_STATE_URL');
    expect(e.message).toMatch(why);
    expect(e.message).toMatch(/e\.g\. redis:\/\/redis\.corp\.example:6379\/0/);
  });

  it('refuses a prefix with spaces or braces (braces would break the keys\' hash tags)', () => {
    for (const prefix of ['my prefix', 'a{b}', 'x'.repeat(65)]) {
      const e = configError(() => readStateConfig({ RWINSTA_STATE_URL: 'redis://r', RWINSTA_STATE_PREFIX: prefix }));
      expect(e.key).toBe('RWINSTA_STATE_PREFIX');
    }
  });

  it('reads the CA file for rediss://, and refuses one that is missing, not PEM, or given without TLS', () => {
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const c = readStateConfig({ RWINSTA_STATE_URL: 'rediss://r', RWINSTA_STATE_CA_FILE: 'ca.pem' }, dir);
    expect(c.kind === 'redis' ? c.redis.ca : undefined).toMatch(/BEGIN CERTIFICATE/);
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello');
    const cases: [Record<string, string>, RegExp][] = [
      [{ RWINSTA_STATE_URL: 'rediss://r', RWINSTA_STATE_CA_FILE: join(dir, 'absent.pem') }, /does not exist/],
      [{ RWINSTA_STATE_URL: 'rediss://r', RWINSTA_STATE_CA_FILE: junk }, /holds no PEM certificate/],
      [{ RWINSTA_STATE_URL: 'redis://r', RWINSTA_STATE_CA_FILE: pem }, /applies to TLS only/],
      [{ RWINSTA_STATE_CA_FILE: pem }, /RWINSTA_STATE_URL is not/],
    ];
    for (const [env, why] of cases) {
      const e = configError(() => readStateConfig(env, dir));
      expect(e.key).toBe('RWINSTA_STATE_CA_FILE');
      expect(e.message).toMatch(why);
    }
  });

  it('createStateStore picks Redis for a redis:// URL (and says so in the log, without the password)', async () => {
    const lines: string[] = [];
    const store = createStateStore({ RWINSTA_STATE_URL: 'redis://:topsecret@127.0.0.1:1/0' }, systemClock, { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) });
    expect(store.kind).toBe('redis');
    await store.close();
    expect(lines.join('\n')).toMatch(/state store: Redis at redis:\/\/127\.0\.0\.1:1\/0, keys under "rwinsta:"/);
    expect(lines.join('\n')).not.toMatch(/topsecret/);
  });
});

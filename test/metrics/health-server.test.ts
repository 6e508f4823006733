import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, readHealthConfig, type HealthServer } from '../../src/app/health-server.js';
import { auditFileReadiness, chatReadiness, stateStoreReadiness } from '../../src/app/readiness.js';
import { ConfigError } from '../../src/config/config-error.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryStateStore } from '../../src/core/ports/memory-state-store.js';
import { BotMetrics } from '../../src/metrics/index.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import { freePort } from '../support/redis-server.js';

describe('RWINSTA_HTTP_PORT and RWINSTA_HTTP_HOST', () => {
  it('off unless the port is set; loopback unless a host is given', () => {
    expect(readHealthConfig({})).toBeUndefined();
    expect(readHealthConfig({ RWINSTA_HTTP_PORT: '9464' })).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(readHealthConfig({ RWINSTA_HTTP_PORT: '9464', RWINSTA_HTTP_HOST: '0.0.0.0' })).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it('a bad port names the variable', () => {
    for (const bad of ['0', '70000', 'http']) {
      expect(() => readHealthConfig({ RWINSTA_HTTP_PORT: bad })).toThrow(ConfigError);
      expect(() => readHealthConfig({ RWINSTA_HTTP_PORT: bad })).toThrow(/^RWINSTA_HTTP_PORT: /);
    }
  });
});

describe('the health server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rwinsta-health-'));
  let server: HealthServer | undefined;
  const closeLater: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    for (const c of closeLater.splice(0)) await c.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('/healthz answers 200 on 127.0.0.1 by default, whatever the checks say', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, checks: [{ name: 'broken', check: () => Promise.reject(new Error('down')) }], log: silentLogger });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ok\n');
  });

  it('/readyz is 200 when every check passes, listing them', async () => {
    const store = new MemoryStateStore();
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      checks: [chatReadiness('slack', () => true), stateStoreReadiness(store), auditFileReadiness(fileURLToPath(import.meta.url))],
      log: silentLogger,
    });
    const r = await fetch(`${server.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('ready\nok: slack connection\nok: state store\nok: audit file\n');
  });

  it('/readyz is 503 with the reason of each failing check: Redis unreachable, audit file not writable, a chat platform down, a check that hangs', async () => {
    const port = await freePort();
    const redis = new RedisStateStore({ connection: { host: '127.0.0.1', port, db: 0, tls: false, display: `redis://127.0.0.1:${port}/0` }, prefix: 'r:', log: silentLogger, timeoutMs: 300 });
    closeLater.push(redis);
    server = await startHealthServer({
      host: '127.0.0.1',
      port: 0,
      checks: [
        chatReadiness('slack', () => true),
        chatReadiness('discord', () => 'gateway unreachable (ECONNREFUSED); next attempt at 10:42:07'),
        stateStoreReadiness(redis),
        auditFileReadiness(join(dir, 'missing', 'audit.jsonl')),
        { name: 'slow', check: () => new Promise(() => undefined) },
      ],
      log: silentLogger,
      checkTimeoutMs: 1000,
    });
    const r = await fetch(`${server.url}/readyz`);
    expect(r.status).toBe(503);
    const lines = (await r.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('not ready');
    expect(lines).toContain('ok: slack connection');
    expect(lines).toContain('failing: discord connection: gateway unreachable (ECONNREFUSED); next attempt at 10:42:07');
    expect(lines.find((l) => l.startsWith('failing: state store: '))).toMatch(new RegExp(`Redis at redis://127\\.0\\.0\\.1:${port}/0\\) unavailable during ping`));
    expect(lines.find((l) => l.startsWith('failing: audit file: '))).toMatch(/missing\/audit\.jsonl is not writable \(ENOENT\)/);
    expect(lines).toContain('failing: slow: no answer within 1000 ms');
  });

  it('/metrics serves the Prometheus text with its content type; unknown paths 404; other methods 405', async () => {
    const metrics = new BotMetrics({ processMetrics: false });
    server = await startHealthServer({ host: '127.0.0.1', port: 0, checks: [], metrics, log: silentLogger });
    const r = await fetch(`${server.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await r.text()).toMatch(/^# HELP rwinsta_requests_total /m);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/readyz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('a port in use is a ConfigError naming RWINSTA_HTTP_PORT', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, checks: [], log: silentLogger });
    await expect(startHealthServer({ host: '127.0.0.1', port: server.port, checks: [], log: silentLogger })).rejects.toThrow(/^RWINSTA_HTTP_PORT: cannot listen on port \d+ \(EADDRINUSE\)/);
  });
});

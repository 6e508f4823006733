import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateUnavailable, type StateStore } from '../../src/core/ports/state-store.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createStateStore } from '../../src/state/index.js';
import { requireOrSkip } from '../native/build-fakewts.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = skipWithoutRedis() || requireOrSkip('openssl (makes the throwaway certificates for the TLS test)', hasOpenssl());

/** A CA and a server certificate for 127.0.0.1, valid a day, made for this run only. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const f = (n: string): string => join(dir, n);
  const ssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '1', '-subj', '/CN=rwinsta test CA');
  ssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '1', '-extfile', f('san.ext'));
  return { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key') };
}

describe.skipIf(skip)('rediss:// (TLS) with RWINSTA_STATE_CA_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rwinsta-tls-'));
  let server: RedisServer;
  let certs: { ca: string; cert: string; key: string };
  const opened: StateStore[] = [];
  const open = (env: Record<string, string>): StateStore => {
    const s = createStateStore(env, systemClock, silentLogger);
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    certs = makeCertificates(dir);
    // TLS only: the plain port is off.
    server = await new RedisServer((port) => ['--tls-port', String(port), '--port', '0', '--tls-cert-file', certs.cert, '--tls-key-file', certs.key, '--tls-ca-cert-file', certs.ca, '--tls-auth-clients', 'no']).start();
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the CA given, verifying the server certificate', async () => {
    const store = open({ RWINSTA_STATE_URL: `rediss://127.0.0.1:${server.port}`, RWINSTA_STATE_CA_FILE: certs.ca });
    expect(store.kind).toBe('redis');
    await store.ping();
    await store.put('confirm', 'tls', 'over TLS', Date.now() + 60_000, 60_000);
    expect(await store.take('confirm', 'tls')).toBe('over TLS');
  });

  it('refuses a server whose certificate it cannot verify (no CA given): StateUnavailable, not a hang', async () => {
    const store = open({ RWINSTA_STATE_URL: `rediss://127.0.0.1:${server.port}` });
    await expect(store.ping()).rejects.toBeInstanceOf(StateUnavailable);
  });

  it('redis:// to a TLS port does not pass for a connection', async () => {
    const store = open({ RWINSTA_STATE_URL: `redis://127.0.0.1:${server.port}` });
    await expect(store.ping()).rejects.toBeInstanceOf(StateUnavailable);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { readString, type Env } from '../config/env-readers.js';

export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** PEM text of the CA that signed the server's certificate (RWINSTA_STATE_CA_FILE); the system's CAs otherwise. */
  ca?: string;
  /** Where it is, without credentials, for logs and check-config. */
  display: string;
}

export type StateConfig = { kind: 'memory' } | { kind: 'redis'; prefix: string; redis: RedisConnection };

export const DEFAULT_STATE_PREFIX = 'rwinsta:';

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * RWINSTA_STATE_URL (redis:// or rediss://) selects the shared store; without it the state lives in
 * this process. Everything is checked here, at start, with messages naming the variable.
 */
export function readStateConfig(env: Env, cwd = process.cwd()): StateConfig {
  const raw = readString(env, 'RWINSTA_STATE_URL');
  const prefix = readString(env, 'RWINSTA_STATE_PREFIX') ?? DEFAULT_STATE_PREFIX;
  const caFile = readString(env, 'RWINSTA_STATE_CA_FILE');
  if (raw === undefined) {
    if (caFile) throw new ConfigError('RWINSTA_STATE_CA_FILE', 'is set but RWINSTA_STATE_URL is not: set RWINSTA_STATE_URL=rediss://… to use it, or remove it');
    return { kind: 'memory' };
  }
  if (!PREFIX.test(prefix)) {
    throw new ConfigError('RWINSTA_STATE_PREFIX', `"${prefix}" must be 1 to 64 letters, digits or _ . : - (default ${DEFAULT_STATE_PREFIX})`);
  }
  const redis = parseRedisUrl(raw);
  if (caFile) {
    if (!redis.tls) throw new ConfigError('RWINSTA_STATE_CA_FILE', 'applies to TLS only: use a rediss:// URL in RWINSTA_STATE_URL, or remove it');
    const path = resolve(cwd, caFile);
    if (!existsSync(path)) throw new ConfigError('RWINSTA_STATE_CA_FILE', `${path} does not exist: give the PEM file of the CA that signed the Redis server's certificate`);
    const pem = readFileSync(path, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('RWINSTA_STATE_CA_FILE', `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    redis.ca = pem;
  }
  return { kind: 'redis', prefix, redis };
}

const EXAMPLE = 'e.g. redis://redis.corp.example:6379/0, or rediss://:password@redis.corp.example:6380 for TLS';

function parseRedisUrl(raw: string): RedisConnection {
  const bad = (why: string): ConfigError => new ConfigError('RWINSTA_STATE_URL', `${why} (${EXAMPLE})`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw bad('is not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw bad(`"${u.protocol}//" is not redis:// or rediss://`);
  if (!u.hostname) throw bad('names no host');
  if (u.search || u.hash) throw bad('takes no ?options or #fragment');
  const db = u.pathname === '' || u.pathname === '/' ? '0' : u.pathname.slice(1);
  if (!/^\d{1,2}$/.test(db)) throw bad(`"${u.pathname}" is not a database number such as /0`);
  const tls = u.protocol === 'rediss:';
  const port = u.port ? Number(u.port) : 6379;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const c: RedisConnection = { host, port, db: Number(db), tls, display: `${u.protocol}//${u.host}/${db}` };
  if (u.username) c.username = decodeURIComponent(u.username);
  if (u.password) c.password = decodeURIComponent(u.password);
  return c;
}

import { ConfigError } from './config-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function readString(env: Env, key: string): string | undefined {
  const v = env[key]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

export function readInt(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, key);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(key, `"${raw}" is not a whole number from ${min} to ${max} (default ${fallback})`);
  }
  return Number(raw);
}

export function readBool(env: Env, key: string, fallback: boolean): boolean {
  const raw = readString(env, key);
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(key, `"${raw}" is not true or false`);
}

export function readEnum<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const raw = readString(env, key);
  if (raw === undefined) return fallback;
  const v = raw.toLowerCase() as T;
  if (!allowed.includes(v)) throw new ConfigError(key, `"${raw}" is not one of ${allowed.join(', ')}`);
  return v;
}

export function readUrl(env: Env, key: string, fallback: string): string {
  const raw = readString(env, key) ?? fallback;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http(s)');
    return raw;
  } catch {
    throw new ConfigError(key, `"${raw}" is not an http(s) URL`);
  }
}

import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { checkServerName } from '../core/grammar/hostname.js';
import { DEFAULT_SETTINGS, type BotSettings } from '../core/settings.js';
import type { WtsBackendOptions } from '../wts/koffi/index.js';
import { ConfigError } from './config-error.js';
import { readEnum, readInt, readString, type Env } from './env-readers.js';

export type BackendKind = 'wts' | 'simulated';

/** Everything the core, the backend and the console need; the chat adapters read their own keys. */
export interface AppConfig {
  backend: BackendKind;
  wts: WtsBackendOptions;
  accessFile?: string;
  auditFile: string;
  consoleUser: string;
  simulatedLatencyMs: [number, number];
  settings: BotSettings;
}

export const MAX_CONSOLE_IDENTITY = 64;
export const MAX_MESSAGE_TITLE = 255;

const IDENTITY_RULE = `one word of printable characters, at most ${MAX_CONSOLE_IDENTITY}, as listed under consoleUsers in the access file`;

/** A value as it can be shown in a message: control characters as "?", long ones cut. */
function shown(value: string): string {
  const chars = [...value.replace(/\p{C}/gu, '?')];
  return `"${chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('')}"`;
}

/**
 * Why a console identity (RWINSTA_CONSOLE_USER, `exec --as`) is refused, or undefined. Like a chat
 * user ID it is one printable word, so it reads unambiguously in prompts, the access file and the audit log.
 */
export function consoleIdentityProblem(name: string): string | undefined {
  const chars = [...name];
  let reason: string | undefined;
  if (chars.length === 0) reason = 'is empty';
  else if (chars.length > MAX_CONSOLE_IDENTITY) reason = `is ${chars.length} characters long`;
  else {
    const bad = chars.find((c) => /[\p{C}\p{Z}]/u.test(c));
    if (bad !== undefined) {
      const what = /\p{Zs}/u.test(bad) ? 'a space' : 'an invisible or control character';
      reason = `contains ${what} (U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
    }
  }
  return reason && `${chars.length ? `${shown(name)} ` : ''}${reason}; a console identity is ${IDENTITY_RULE}`;
}

function consoleUserFrom(env: Env): string {
  const configured = readString(env, 'RWINSTA_CONSOLE_USER');
  if (configured !== undefined) {
    const problem = consoleIdentityProblem(configured);
    if (problem) throw new ConfigError('RWINSTA_CONSOLE_USER', problem);
    return configured;
  }
  let os: string;
  try {
    os = userInfo().username;
  } catch {
    os = readString(env, 'USER') ?? readString(env, 'USERNAME') ?? 'console';
  }
  const problem = consoleIdentityProblem(os);
  if (problem) throw new ConfigError('RWINSTA_CONSOLE_USER', `is not set, and your login name ${problem}: set RWINSTA_CONSOLE_USER`);
  return os;
}

function messageTitleFrom(env: Env): string {
  const title = readString(env, 'RWINSTA_MESSAGE_TITLE');
  if (title === undefined) return DEFAULT_SETTINGS.messageTitle;
  const length = [...title].length;
  if (length > MAX_MESSAGE_TITLE) throw new ConfigError('RWINSTA_MESSAGE_TITLE', `is ${length} characters long; a message box title has at most ${MAX_MESSAGE_TITLE}`);
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(title)) throw new ConfigError('RWINSTA_MESSAGE_TITLE', 'contains a control or invisible character; use printable text on one line');
  return title;
}

function timeZoneFrom(env: Env): string | undefined {
  const tz = readString(env, 'RWINSTA_TIMEZONE');
  if (tz === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError('RWINSTA_TIMEZONE', `"${tz}" is not an IANA time zone such as Europe/Paris or America/New_York`);
  }
  return tz;
}

export function readAppConfig(env: Env, platform: NodeJS.Platform = process.platform, cwd = process.cwd()): AppConfig {
  const backend = readEnum<BackendKind>(env, 'RWINSTA_BACKEND', ['wts', 'simulated'], platform === 'win32' ? 'wts' : 'simulated');
  const wts: WtsBackendOptions = {
    timeoutMs: readInt(env, 'RWINSTA_WTS_TIMEOUT_SECONDS', 15, 1, 600) * 1000,
    threads: readInt(env, 'RWINSTA_WTS_THREADS', 32, 1, 256),
    maxAbandonedThreads: readInt(env, 'RWINSTA_WTS_MAX_ABANDONED_THREADS', 32, 0, 1024),
  };
  const lib = readString(env, 'RWINSTA_WTS_LIBRARY');
  if (lib) wts.libraryPath = resolve(cwd, lib);

  const settings: BotSettings = {
    ...DEFAULT_SETTINGS,
    confirmTtlMs: readInt(env, 'RWINSTA_CONFIRM_TIMEOUT_SECONDS', DEFAULT_SETTINGS.confirmTtlMs / 1000, 10, 3600) * 1000,
    approvalTtlMs: readInt(env, 'RWINSTA_APPROVAL_TIMEOUT_SECONDS', DEFAULT_SETTINGS.approvalTtlMs / 1000, 60, 86_400) * 1000,
    bulkMax: readInt(env, 'RWINSTA_BULK_MAX', DEFAULT_SETTINGS.bulkMax, 1, 1000),
    destructivePerMinute: readInt(env, 'RWINSTA_RATE_LIMIT_PER_MINUTE', DEFAULT_SETTINGS.destructivePerMinute, 0, 10_000),
    fanoutConcurrency: readInt(env, 'RWINSTA_FANOUT_CONCURRENCY', DEFAULT_SETTINGS.fanoutConcurrency, 1, 256),
    logoffVerifyMs: readInt(env, 'RWINSTA_LOGOFF_VERIFY_SECONDS', DEFAULT_SETTINGS.logoffVerifyMs / 1000, 0, 600) * 1000,
    messageTitle: messageTitleFrom(env),
    downMs: readInt(env, 'RWINSTA_DOWN_SECONDS', DEFAULT_SETTINGS.downMs / 1000, 0, 86_400) * 1000,
    indexIntervalMs: readInt(env, 'RWINSTA_INDEX_SECONDS', 0, 0, 86_400) * 1000,
  };
  const defaultServer = readString(env, 'RWINSTA_DEFAULT_SERVER');
  if (defaultServer) {
    const check = checkServerName(defaultServer);
    if (!check.ok) throw new ConfigError('RWINSTA_DEFAULT_SERVER', check.message);
    settings.defaultServer = check.name;
  }
  const tz = timeZoneFrom(env);
  if (tz) settings.timeZone = tz;

  // The simulated fleet answers in latency/2 .. latency*2 ms, like servers across a site.
  const latency = readInt(env, 'RWINSTA_SIMULATED_LATENCY_MS', 40, 0, 60_000);
  const config: AppConfig = {
    backend,
    wts,
    auditFile: resolve(cwd, readString(env, 'RWINSTA_AUDIT_FILE') ?? 'audit/rwinsta-audit.jsonl'),
    consoleUser: consoleUserFrom(env),
    simulatedLatencyMs: [Math.round(latency / 2), latency * 2],
    settings,
  };
  const access = readString(env, 'RWINSTA_ACCESS_FILE');
  if (access) config.accessFile = resolve(cwd, access);
  return config;
}

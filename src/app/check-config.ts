import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ADAPTERS } from './adapters-registry.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import { silentLogger } from '../core/logger.js';
import { buildRuntime } from './runtime.js';
import { readHealthConfig } from './health-server.js';
import { readDrainMs } from './serve-chat.js';
import { readStateConfig } from '../state/index.js';

async function writable(path: string): Promise<string> {
  try {
    await access(path, constants.W_OK);
    return 'writable';
  } catch {
    try {
      await access(dirname(path), constants.W_OK);
      return 'will be created';
    } catch (e) {
      return `NOT writable (${(e as NodeJS.ErrnoException).code ?? String(e)})`;
    }
  }
}

/** `rwinsta-bot check-config`: validates everything start would, and prints a summary. */
export async function checkConfig(config: AppConfig, env: Env): Promise<{ output: string; ok: boolean }> {
  const lines: string[] = [];
  let ok = true;
  const rt = await buildRuntime(config, silentLogger, { sweepExpired: false });
  try {
    lines.push(`backend:        ${config.backend}${config.wts.libraryPath && config.backend === 'wts' ? ` (library ${config.wts.libraryPath})` : ''}`);
    if (rt.accessSource === 'file') {
      const roles = [...rt.access.roles.keys()];
      lines.push(`access file:    ${config.accessFile} (${roles.length} role${roles.length === 1 ? '' : 's'}: ${roles.join(', ')}; ${rt.access.serverGroups.size} server group(s))`);
    } else if (rt.accessSource === 'demo') {
      lines.push('access file:    none: demo access (the console user may do everything on the simulated fleet only)');
    } else {
      lines.push('access file:    none: EVERY REQUEST WILL BE DENIED (set RWINSTA_ACCESS_FILE)');
      ok = false;
    }
    const auditState = await writable(config.auditFile);
    if (auditState.startsWith('NOT')) ok = false;
    lines.push(`audit file:     ${config.auditFile} (${auditState})`);
    lines.push(`servers known:  ${rt.bot.knownServers().join(', ') || '(none named)'}`);
    const s = config.settings;
    lines.push(`default server: ${s.defaultServer ?? '(none)'}`);
    lines.push(`confirmations:  expire after ${s.confirmTtlMs / 1000} s; bulk max ${s.bulkMax}; ${s.destructivePerMinute || 'unlimited'} destructive actions per user per minute`);
    if (config.backend === 'wts') lines.push(`wts calls:      timeout ${config.wts.timeoutMs / 1000} s, ${config.wts.threads} threads`);
    const state = readStateConfig(env);
    lines.push(`state store:    ${state.kind === 'memory' ? 'in this process (one instance)' : `Redis at ${state.redis.display}${state.redis.tls ? ' (TLS)' : ''}, keys under "${state.prefix}"; Discord connects on the instance holding the lease`}`);
    const health = readHealthConfig(env);
    lines.push(`health:         ${health ? `http://${health.host.includes(':') ? `[${health.host}]` : health.host}:${health.port}/ (healthz, readyz, metrics)` : 'off (set RWINSTA_HTTP_PORT)'}; a stop waits ${readDrainMs(env) / 1000} s for replies under way`);
    for (const a of ADAPTERS) {
      if (!a.isConfigured(env)) {
        lines.push(`${a.name.padEnd(15)} not configured`);
        continue;
      }
      for (const l of a.checkConfig(env)) lines.push(`${`${a.name}:`.padEnd(15)} ${l}`);
    }
    return { output: lines.join('\n'), ok };
  } finally {
    await rt.close();
  }
}

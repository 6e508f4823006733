import { checkAuditFile } from '../audit/audit-file-check.js';
import { loadAdapters } from './adapters-registry.js';
import { accessFeatures, accessProblems } from '../config/access-checks.js';
import type { AppConfig } from '../config/app-config.js';
import type { Env } from '../config/env-readers.js';
import { silentLogger } from '../core/logger.js';
import { checkDiscordOnline, checkSlackOnline, type OnlineCheck } from './check-online.js';
import { wtsLibraryProblem } from './check-wts-library.js';
import { buildRuntime } from './runtime.js';
import { describeIdentity } from '../identity/index.js';

const ONLINE: Readonly<Record<string, (env: Env) => Promise<OnlineCheck>>> = { slack: checkSlackOnline, discord: checkDiscordOnline };

export interface ConfigCheck {
  /** The summary, one setting a line. */
  output: string;
  /** One sentence per problem, each naming the variable to fix. */
  problems: string[];
  /** A file-system call never returned: the process must exit rather than wait for it. */
  hung: boolean;
}

/**
 * `rwinsta-bot check-config [--online]`: validates everything start would, tries what start would do
 * first (append to the audit file; load the wts library and resolve its functions; with --online,
 * sign in to Slack and Discord), and prints a summary.
 */
export async function checkConfig(config: AppConfig, env: Env, opts: { online?: boolean } = {}): Promise<ConfigCheck> {
  const lines: string[] = [];
  const problems: string[] = [];
  const audit = await checkAuditFile(config.auditFile);
  if (!audit.ok) problems.push(`RWINSTA_AUDIT_FILE: ${audit.problem}`);
  if (!audit.ok && audit.hung) return { output: `audit file:     ${config.auditFile} (NOT usable)`, problems, hung: true };
  if (config.backend === 'wts') {
    const problem = await wtsLibraryProblem(config.wts.libraryPath);
    if (problem) problems.push(problem);
  }

  const rt = await buildRuntime(config, silentLogger, { sweepExpired: false, env });
  try {
    lines.push(`backend:        ${config.backend}${config.wts.libraryPath && config.backend === 'wts' ? ` (library ${config.wts.libraryPath})` : ''}`);
    if (rt.accessSource === 'file') {
      const roles = [...rt.access.roles.keys()];
      lines.push(`access file:    ${config.accessFile} (${roles.length} role${roles.length === 1 ? '' : 's'}: ${roles.join(', ')}; ${rt.access.serverGroups.size} server group(s))`);
      lines.push(`four eyes:      ${accessFeatures(rt.access)}; approvals expire after ${config.settings.approvalTtlMs / 1000} s`);
      for (const p of accessProblems(rt.access)) problems.push(`RWINSTA_ACCESS_FILE: ${p}`);
    } else if (rt.accessSource === 'demo') {
      lines.push('access file:    none: demo access (the console user may do everything on the simulated fleet only)');
    } else {
      lines.push('access file:    none: EVERY REQUEST WILL BE DENIED (set RWINSTA_ACCESS_FILE)');
      problems.push('RWINSTA_ACCESS_FILE: is not set, so every request on real servers will be denied; create an access file (see access.example.yaml) and name it here');
    }
    const created = audit.ok && audit.created.length ? `; created ${audit.created.join(', ')}` : '';
    lines.push(`audit file:     ${config.auditFile} (${audit.ok ? `writable${created}` : 'NOT writable'})`);
    lines.push(`servers known:  ${rt.bot.knownServers().join(', ') || '(none named)'}`);
    const ss = rt.access.selfService;
    if (ss) {
      const everyone = (Object.entries(ss.everyone) as [string, boolean][]).filter(([, on]) => on).map(([p]) => p);
      lines.push(`self-service:   ${ss.actions.join(', ')} on ${ss.servers.join(', ')}${everyone.length ? `; everyone on ${everyone.join(', ')}` : ''}`);
      for (const l of describeIdentity(rt.identity, env)) lines.push(`identity:       ${l}`);
    } else {
      lines.push('self-service:   off (no selfService block)');
    }
    const s = config.settings;
    lines.push(`default server: ${s.defaultServer ?? '(none)'}`);
    lines.push(`confirmations:  expire after ${s.confirmTtlMs / 1000} s; bulk max ${s.bulkMax}; ${s.destructivePerMinute || 'unlimited'} destructive actions per user per minute`);
    if (config.backend === 'wts') lines.push(`wts calls:      timeout ${config.wts.timeoutMs / 1000} s, ${config.wts.threads} threads`);
    const adapters = await loadAdapters();
    for (const a of adapters) {
      const label = `${a.name}:`.padEnd(15);
      if (!a.isConfigured(env)) {
        lines.push(`${a.name.padEnd(15)} not configured`);
        continue;
      }
      for (const l of a.checkConfig(env)) lines.push(`${label} ${l}`);
      const online = ONLINE[a.name];
      if (!opts.online || !online) continue;
      const r = await online(env);
      for (const l of r.lines) lines.push(`${label} ${l}`);
      problems.push(...r.problems);
    }
    if (!opts.online && adapters.some((a) => a.isConfigured(env))) lines.push('(tokens checked for shape only; --online signs in to check them for real)');
    return { output: lines.join('\n'), problems, hung: false };
  } finally {
    await rt.close();
  }
}

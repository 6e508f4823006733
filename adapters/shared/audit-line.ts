import type { AuditRecord } from '../../src/core/index.js';

const ACTIONS = new Set(['logoff', 'disconnect', 'message']);

/** Whether an audit record belongs in a chat audit channel: actions and denials, not plain queries. */
export function isChannelWorthy(r: AuditRecord): boolean {
  if (r.phase === 'intent') return false;
  if (r.decision === 'denied' || r.decision === 'rate-limited') return true;
  return r.action !== undefined && ACTIONS.has(r.action);
}

/** One line per record: who, from where, what, and how it ended. */
export function auditLine(r: AuditRecord): string {
  const targets = (r.targets ?? []).map((t) => `${t.id}${t.user ? ` ${t.user}` : ''} (${t.state})`).join(', ');
  const outcome = r.outcome ? `: ${r.outcome}${r.errorCode ? ` (error ${r.errorCode})` : ''}` : '';
  const what = [r.decision, r.action, r.server ? `on ${r.server}` : ''].filter(Boolean).join(' ');
  const sim = r.simulated ? ' [simulated]' : '';
  return `[${r.platform}] ${r.userName} (${r.userId}) \`${r.command.replace(/`/g, "'")}\` → ${what}${outcome}${targets ? ` · ${targets}` : ''}${sim}`;
}

import { participantsLine, type AuditParticipant, type AuditRecord } from '../../src/core/index.js';

const ACTIONS = new Set(['logoff', 'disconnect', 'message']);

/** Whether an audit record belongs in a chat audit channel: actions and denials, not plain queries. */
export function isChannelWorthy(r: AuditRecord): boolean {
  if (r.phase === 'intent') return false;
  if (r.decision === 'denied' || r.decision === 'rate-limited') return true;
  return r.action !== undefined && ACTIONS.has(r.action);
}

/** How a platform writes an audit line: its text escaped, people and times shown its own way. */
export interface LineStyle {
  /** Text as typed (a command, a reason, a name), made safe for the platform. */
  text(s: string): string;
  /** Someone who took part, as the platform shows people (a mention that pings nobody). */
  person(p: Pick<AuditParticipant, 'platform' | 'userId' | 'userName'>): string;
  /** When they did it. */
  time(atMs: number): string;
}

/** Plain text: names with their IDs, times in UTC. */
export const PLAIN_LINE: LineStyle = {
  text: (s) => s,
  person: (p) => `${p.userName} (${p.userId})`,
  time: (at) => `${new Date(at).toISOString().slice(11, 19)}Z`,
};

/**
 * One line per record: who, from where, what, how it ended, and for an action who requested,
 * confirmed and approved it, when, and why.
 */
export function auditLine(r: AuditRecord, style: LineStyle = PLAIN_LINE): string {
  const t = style.text;
  const targets = (r.targets ?? []).map((x) => `${x.id}${x.user ? ` ${x.user}` : ''} (${x.state})`).join(', ');
  const outcome = r.outcome ? `: ${r.outcome}${r.errorCode ? ` (error ${r.errorCode})` : ''}` : '';
  const what = [r.decision, r.action, r.server ? `on ${r.server}` : ''].filter(Boolean).join(' ');
  let line = t(`[${r.platform}] ${r.userName} (${r.userId}) \`${r.command.replace(/`/g, "'")}\` → ${what}${outcome}${targets ? ` · ${targets}` : ''}`);
  if (r.reason !== undefined) line += t(` · reason: ${r.reason.replace(/`/g, "'")}`);
  if (r.participants?.length) {
    const people = r.participants.map((p) => ({ ...p, at: Date.parse(p.at) }));
    line += ` · ${participantsLine(people, (p) => style.person(p), (at) => style.time(at))}`;
  }
  if (r.simulated) line += t(' [simulated]');
  return line;
}

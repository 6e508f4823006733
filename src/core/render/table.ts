import { qualifiedUser, type Session } from '../../wts/session.js';
import type { Layout } from '../grammar/command.js';
import { formatIdle, formatTime, shortState, timeZoneLabel } from './format.js';

export interface TableOptions {
  showServer: boolean;
  verbose: boolean;
  layout?: Layout;
  timeZone?: string;
  /** `qwinsta /counter`: each session's traffic. */
  counters?: boolean;
}

const count = (n: number | undefined): string => (n === undefined ? '' : n.toLocaleString('en-US'));

function qwinstaRows(sessions: readonly Session[], o: TableOptions): string[][] {
  const header = ['SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'IDLE', `LOGON (${timeZoneLabel(o.timeZone)})`, 'CLIENT'];
  if (o.verbose) header.push('ADDRESS');
  if (o.counters) header.push(...COUNTER_COLUMNS);
  const rows = sessions.map((s) => {
    const row = [s.name, qualifiedUser(s), String(s.id), shortState(s.state), s.user ? formatIdle(s.idleMs) : '', formatTime(s.logonTime, o.timeZone), s.clientName ?? ''];
    if (o.verbose) row.push(s.clientAddress ?? '');
    if (o.counters) row.push(count(s.counters?.bytesIn), count(s.counters?.bytesOut), count(s.counters?.framesIn), count(s.counters?.framesOut));
    return row;
  });
  return [header, ...rows];
}

/** quser's columns: the user first, its domain left out as quser does, state in full. */
function quserRows(sessions: readonly Session[], o: TableOptions): string[][] {
  const header = ['USERNAME', 'SESSIONNAME', 'ID', 'STATE', 'IDLE TIME', `LOGON TIME (${timeZoneLabel(o.timeZone)})`];
  const rows = sessions.map((s) => [s.user, s.name, String(s.id), shortState(s.state), formatIdle(s.idleMs) || 'none', formatTime(s.logonTime, o.timeZone)]);
  return [header, ...rows];
}

/** Rows of a session table, header first, in the layout asked for (qwinsta's by default). */
export function sessionRows(sessions: readonly Session[], o: TableOptions): string[][] {
  const rows = o.layout === 'quser' ? quserRows(sessions, o) : qwinstaRows(sessions, o);
  if (o.showServer) {
    (rows[0] as string[]).unshift('SERVER');
    sessions.forEach((s, i) => (rows[i + 1] as string[]).unshift(s.server));
  }
  return rows;
}

/** Columns of numbers, right-aligned. */
const COUNTER_COLUMNS = ['BYTES IN', 'BYTES OUT', 'FRAMES IN', 'FRAMES OUT'];
const NUMERIC = new Set(['ID', 'PID', 'WORKING SET', ...COUNTER_COLUMNS]);

/** Aligns rows into columns separated by two spaces; the number columns (ID, PID…) are right-aligned. */
export function alignRows(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const numeric = new Set((rows[0] ?? []).flatMap((h, i) => (NUMERIC.has(h) ? [i] : [])));
  return rows.map((r) =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function sessionTable(sessions: readonly Session[], o: TableOptions): string[] {
  return alignRows(sessionRows(sessions, o));
}

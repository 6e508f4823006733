import { qualifiedUser, type Session } from '../../wts/session.js';
import { formatIdle, formatTime, shortState } from './format.js';

export interface TableOptions {
  showServer: boolean;
  verbose: boolean;
  timeZone?: string;
}

/** Rows of the quser-style table, header first: SESSIONNAME USERNAME ID STATE IDLE LOGON CLIENT. */
export function sessionRows(sessions: readonly Session[], o: TableOptions): string[][] {
  const header = ['SESSIONNAME', 'USERNAME', 'ID', 'STATE', 'IDLE', 'LOGON', 'CLIENT'];
  if (o.verbose) header.push('ADDRESS');
  if (o.showServer) header.unshift('SERVER');
  const rows = sessions.map((s) => {
    const row = [
      s.name,
      qualifiedUser(s),
      String(s.id),
      shortState(s.state),
      s.user ? formatIdle(s.idleMs) : '',
      formatTime(s.logonTime, o.timeZone),
      s.clientName ?? '',
    ];
    if (o.verbose) row.push(s.clientAddress ?? '');
    if (o.showServer) row.unshift(s.server);
    return row;
  });
  return [header, ...rows];
}

/** Aligns rows into columns separated by two spaces; the ID column is right-aligned. */
export function alignRows(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const idCol = rows[0]?.indexOf('ID') ?? -1;
  return rows.map((r) =>
    r
      .map((c, i) => (i === idCol ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

export function sessionTable(sessions: readonly Session[], o: TableOptions): string[] {
  return alignRows(sessionRows(sessions, o));
}

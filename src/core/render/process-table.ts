import type { ProcessLine } from '../results.js';
import { alignRows } from './table.js';

/** Working sets as Task Manager's details and tasklist show them: `97,280 K`. */
export function formatWorkingSet(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  return `${Math.round(bytes / 1024).toLocaleString('en-US')} K`;
}

/** qprocess's columns (USERNAME SESSIONNAME ID PID IMAGE), plus the working set; an account without a name shows its SID. */
export function processTable(lines: readonly ProcessLine[]): string[] {
  const header = ['USERNAME', 'SESSIONNAME', 'ID', 'PID', 'IMAGE', 'WORKING SET'];
  const rows = lines.map((p) => [p.user || p.sid || '', p.sessionName, String(p.sessionId), String(p.pid), p.image, formatWorkingSet(p.workingSetBytes)]);
  return alignRows([header, ...rows]);
}

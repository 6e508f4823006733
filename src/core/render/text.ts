import { participantsLine } from '../participants.js';
import type { Reply, Section } from '../results.js';
import { formatClockSeconds, formatMs, timeZoneLabel } from './format.js';
import { processTable } from './process-table.js';
import { alignRows, sessionTable } from './table.js';

export interface TextOptions {
  timeZone?: string;
}

export const SIMULATED_NOTE = 'simulated fleet: no real session was touched';

/** Plain-text lines of one section; adapters reuse this inside their code blocks. */
export function sectionLines(section: Section, o: TextOptions = {}): string[] {
  switch (section.kind) {
    case 'sessions': {
      if (section.sessions.length === 0) return ['(no sessions)'];
      const lines = sessionTable(section.sessions, { showServer: section.showServer, verbose: section.verbose, layout: section.layout, timeZone: o.timeZone, counters: section.counters === true });
      if (section.hidden) lines.push(`(${section.hidden} system session${section.hidden === 1 ? '' : 's'} hidden: services and listeners; /v shows them)`);
      return lines;
    }
    case 'processes': {
      const lines = section.processes.length === 0 ? ['(no processes)'] : processTable(section.processes);
      if (section.hidden) lines.push(`(${section.hidden} system process${section.hidden === 1 ? '' : 'es'} hidden: Windows' own accounts; /system shows them)`);
      return lines;
    }
    case 'server-errors':
      return section.errors.map((e) => `! ${e.message}`);
    case 'outcomes':
      return alignRows([
        ['SERVER', 'ID', 'USERNAME', 'STATE', 'RESULT', 'DETAIL'],
        ...section.outcomes.map((x) => [x.server, String(x.id), x.user, x.state, x.result, x.detail]),
      ]);
    case 'steps':
      return section.steps.map((s) => `  ${s.label} (${formatMs(s.ms)})`);
    case 'text':
      return section.text.split('\n');
    case 'usage':
      return ['Usage:', ...section.text.split('\n').map((l) => `  ${l}`)];
  }
}

export function renderText(reply: Reply, o: TextOptions = {}): string {
  const out: string[] = [reply.summary];
  for (const s of reply.sections) {
    out.push('');
    out.push(...sectionLines(s, o));
  }
  if (reply.participants?.length) {
    out.push('', `${participantsLine(reply.participants, (p) => p.userName || p.userId, (at) => formatClockSeconds(at, o.timeZone))} (${timeZoneLabel(o.timeZone)}).`);
  }
  if (reply.simulated) out.push('', `(${SIMULATED_NOTE})`);
  return out.join('\n');
}

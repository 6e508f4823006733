import { qualifiedUser, type Reply, type Section, type Session } from '../../src/core/index.js';

type SessionsSection = Extract<Section, { kind: 'sessions' }>;
type ErrorsSection = Extract<Section, { kind: 'server-errors' }>;

function row(s: Session): string {
  return `  found: ${s.server} session ${s.id}${s.name ? ` (${s.name})` : ''} ${qualifiedUser(s) || 'no user'} ${s.state}`;
}

/**
 * A search's progress as console lines: each match and each server that failed, once, as they
 * arrive; the complete, aligned answer follows when the search ends.
 */
export function progressLines(write: (line: string) => void): (partial: Reply) => void {
  const seen = new Set<string>();
  return (partial) => {
    for (const section of partial.sections) {
      if (section.kind === 'sessions') {
        for (const s of (section as SessionsSection).sessions) {
          const key = `${s.server}\u0000${s.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          write(row(s));
        }
      } else if (section.kind === 'server-errors') {
        for (const e of (section as ErrorsSection).errors) {
          const key = `!${e.server}`;
          if (seen.has(key)) continue;
          seen.add(key);
          write(`  ! ${e.message}`);
        }
      }
    }
  };
}

import type { Session } from '../wts/session.js';

const DATE_FIELDS = ['logonTime', 'disconnectTime', 'lastInputTime'] as const;

/** JSON for the state store: Dates inside sessions survive the round trip. */
export function encode(value: unknown): string {
  return JSON.stringify(value);
}

function reviveSession(s: Session): Session {
  for (const f of DATE_FIELDS) {
    const v = s[f] as unknown;
    if (typeof v === 'string') s[f] = new Date(v);
  }
  return s;
}

/** Parses what `encode` wrote; `sessionLists` are the paths (in the object) of session arrays to revive. */
export function decode<T>(text: string, revive: (value: T, sessions: (list: Session[] | undefined) => void) => void): T {
  const value = JSON.parse(text) as T;
  revive(value, (list) => list?.forEach(reviveSession));
  return value;
}

import type { Verb } from './command.js';

const ALIASES: Record<string, Verb> = {
  rwinsta: 'rwinsta',
  reset: 'rwinsta',
  logoff: 'rwinsta',
  qwinsta: 'qwinsta',
  query: 'qwinsta',
  quser: 'qwinsta',
  tsdiscon: 'tsdiscon',
  msg: 'msg',
  help: 'help',
};

export function normalizeVerb(word: string): Verb | undefined {
  const w = word.replace(/^[/!]/, '').toLowerCase();
  return Object.hasOwn(ALIASES, w) ? ALIASES[w] : undefined;
}

export const VERBS: readonly Verb[] = ['rwinsta', 'qwinsta', 'tsdiscon', 'msg', 'help'];

/**
 * Splits a whole line (`/rwinsta rds01 3`, `reset session 3 /server:rds01`, `query user jdoe`) into
 * its verb word and the rest. The verb word is returned as typed, for the error message.
 */
export function splitVerb(line: string): { verbWord: string; rest: string } {
  const trimmed = line.trimStart();
  const m = /^(\S+)(\s+(?:session|user)\b)?/i.exec(trimmed);
  if (!m) return { verbWord: '', rest: '' };
  const first = m[1] ?? '';
  const base = first.replace(/^[/!]/, '').toLowerCase();
  const takesNoun = base === 'reset' || base === 'query';
  const consumed = takesNoun && m[2] ? m[0].length : first.length;
  return { verbWord: first, rest: trimmed.slice(consumed) };
}

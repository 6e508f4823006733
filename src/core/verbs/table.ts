import type { ActingAction } from '../actions.js';
import type { Verb } from '../grammar/command.js';
import { HELP } from './help.js';
import { MSG } from './msg.js';
import { QUSER } from './quser.js';
import { QWINSTA } from './qwinsta.js';
import { RWINSTA } from './rwinsta.js';
import type { ActingSpec, VerbSpec } from './spec.js';
import { TSDISCON } from './tsdiscon.js';

/** Every verb, in the order help and the README show them. */
export const VERB_TABLE: readonly VerbSpec[] = [QWINSTA, QUSER, RWINSTA, TSDISCON, MSG, HELP];

const BY_VERB = new Map<Verb, VerbSpec>(VERB_TABLE.map((s) => [s.verb, s]));
const BY_NAME = new Map<string, VerbSpec>(VERB_TABLE.flatMap((s) => s.names.map((n) => [n, s] as const)));
const BY_ACTION = new Map<ActingAction, ActingSpec>(VERB_TABLE.flatMap((s) => (s.acting ? [[s.acting.action, s.acting] as const] : [])));

export function specOf(verb: Verb): VerbSpec {
  return BY_VERB.get(verb) as VerbSpec;
}

/** The verb a typed name (`rwinsta`, `/rwinsta`, `!quser`, `reset session`, `Query User`) stands for. */
export function verbNamed(word: string): Verb | undefined {
  const w = word.replace(/^[/!]/, '').trim().toLowerCase().replace(/\s+/g, ' ');
  return BY_NAME.get(w)?.verb;
}

export function actingSpec(action: ActingAction): ActingSpec {
  return BY_ACTION.get(action) as ActingSpec;
}

/** Names of two words (`reset session`, `query user`): their first words take the second. */
const TWO_WORD = new Map<string, Set<string>>();
for (const s of VERB_TABLE) {
  for (const n of s.names) {
    const [a, b] = n.split(' ');
    if (a && b) TWO_WORD.set(a, (TWO_WORD.get(a) ?? new Set()).add(b));
  }
}

/**
 * Splits a whole line (`/rwinsta rds01 3`, `reset session 3 /server:rds01`, `query user jdoe`) into
 * its verb name and the rest. The verb name is returned as typed, for the error message.
 */
export function splitVerb(line: string): { verbWord: string; rest: string } {
  const trimmed = line.trimStart();
  const m = /^(\S+)(?:(\s+)(\S+))?/.exec(trimmed);
  if (!m) return { verbWord: '', rest: '' };
  const first = m[1] ?? '';
  const second = m[3]?.toLowerCase();
  const nouns = TWO_WORD.get(first.replace(/^[/!]/, '').toLowerCase());
  if (second && nouns?.has(second)) return { verbWord: `${first} ${m[3]}`, rest: trimmed.slice(m[0].length) };
  return { verbWord: first, rest: trimmed.slice(first.length) };
}

import { splitVerb, verbNamed, type Verb } from '../core/index.js';

/** A button press's record: `confirm <id>`, `cancel <id>`. */
const PRESSES = new Set(['confirm', 'cancel']);

/**
 * The verb of an audit record as a metric label, from a fixed set: an unknown word must not make a
 * new time series. The verb the grammar read wins; a command it could not read (`qwinsta /server:`)
 * is labelled by its verb word as the grammar's verb table names it (`query process` is qprocess),
 * and a button press by its own word.
 */
export function verbLabel(command: string, verb?: Verb): string {
  if (verb !== undefined) return verb;
  const { verbWord } = splitVerb(command);
  const named = verbNamed(verbWord);
  if (named) return named;
  const word = verbWord.toLowerCase();
  return PRESSES.has(word) ? word : 'other';
}

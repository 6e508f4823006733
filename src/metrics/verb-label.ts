import type { Verb } from '../core/index.js';

/**
 * The verb of an audit record as a metric label, from a fixed set: an unknown word must not make a
 * new time series. The verb the grammar read wins; a command it could not read (`qwinsta /server:`)
 * or a button press (`confirm <id>`) is labelled by its first words, with the grammar's aliases.
 */
const LABEL: Readonly<Record<string, string>> = {
  rwinsta: 'rwinsta',
  reset: 'rwinsta',
  logoff: 'rwinsta',
  qwinsta: 'qwinsta',
  quser: 'quser',
  qprocess: 'qprocess',
  tsdiscon: 'tsdiscon',
  msg: 'msg',
  rdmsg: 'msg',
  help: 'help',
  confirm: 'confirm',
  cancel: 'cancel',
};

/** `query session|user|process`: Microsoft's long forms. */
const QUERY: Readonly<Record<string, string>> = { session: 'qwinsta', user: 'quser', process: 'qprocess' };

export function verbLabel(command: string, verb?: Verb): string {
  if (verb !== undefined) return verb;
  const m = /^[/!]*([A-Za-z]+)(?:\s+([A-Za-z]+))?/.exec(command.trim());
  const word = m?.[1]?.toLowerCase() ?? '';
  if (word === 'query') {
    const next = m?.[2]?.toLowerCase() ?? '';
    return Object.hasOwn(QUERY, next) ? (QUERY[next] as string) : 'qwinsta';
  }
  return Object.hasOwn(LABEL, word) ? (LABEL[word] as string) : 'other';
}

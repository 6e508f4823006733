/**
 * The verb of an audit record's command (`/rwinsta rds01 3`, `/reset session 3`, `confirm <id>`),
 * as a metric label from a fixed set: an unknown word must not make a new time series.
 * The aliases are the grammar's (src/core/grammar/verbs.ts).
 */
const LABEL: Readonly<Record<string, string>> = {
  rwinsta: 'rwinsta',
  reset: 'rwinsta',
  logoff: 'rwinsta',
  qwinsta: 'qwinsta',
  query: 'qwinsta',
  quser: 'qwinsta',
  tsdiscon: 'tsdiscon',
  msg: 'msg',
  help: 'help',
  confirm: 'confirm',
  cancel: 'cancel',
};

export function verbLabel(command: string): string {
  const word = /^[/!]*([A-Za-z]+)/.exec(command.trim())?.[1]?.toLowerCase() ?? '';
  return Object.hasOwn(LABEL, word) ? (LABEL[word] as string) : 'other';
}

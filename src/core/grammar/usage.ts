import type { Verb } from './command.js';

export const USAGE: Record<Verb, string> = {
  rwinsta: [
    'rwinsta <server> <session> [/v] [/f]            log off (reset) a session: ID, IDs 1,2,3, name or user',
    'rwinsta /server:<server> [<session>] [/v] [/f]   without a session: list the sessions',
    'rwinsta /server:<server> /disc | /all [/v] [/f]  log off every disconnected / every user session',
  ].join('\n'),
  qwinsta: [
    'qwinsta <server> [<session or user>] [/state:<state>] [/v]   list sessions (also: quser, query session)',
    'qwinsta /server:<server> [<session or user>]',
    'qwinsta <user>                                               find a user on every server you may see',
  ].join('\n'),
  tsdiscon: 'tsdiscon <server> <session> [/v] [/f]    disconnect a session (its programs keep running)\ntsdiscon /server:<server> <session>',
  msg: [
    'msg <server> <session | user | *> [/time:<seconds>] [/w] [/v] <text>   send a message box',
    'msg /server:<server> <session> "text in quotes"',
    'switches go before the text; everything after the session is the message',
  ].join('\n'),
  help: 'help [rwinsta | qwinsta | tsdiscon | msg]',
};

const DETAILS: Record<Verb, string> = {
  rwinsta:
    'Logs off (resets) a session: programs close and unsaved work is lost. Logging off an Active session, ' +
    'several sessions, or /disc and /all asks you to confirm first; /f skips that when your role grants "force". ' +
    '/reset is accepted and means the same. /v reports each step with its duration. ' +
    'With a default server configured, `rwinsta <session>` works too.',
  qwinsta:
    'Lists sessions as SESSIONNAME USERNAME ID STATE IDLE LOGON CLIENT. A user name alone searches every server ' +
    'you may query. /state:disc (or active, conn, listen, down) filters; j* matches user names by wildcard.',
  tsdiscon:
    'Disconnects a session: the user is dropped but programs keep running, and they can reconnect. Asks to confirm.',
  msg: 'Shows a message box in a session (or every session with *). /time:<seconds> closes it after that long; /w waits for OK.',
  help: 'Shows these lines; `help <verb>` shows one verb.',
};

export function helpText(topic?: Verb): string {
  if (topic) return `${USAGE[topic]}\n\n${DETAILS[topic]}`;
  return (['qwinsta', 'rwinsta', 'tsdiscon', 'msg', 'help'] as const).map((v) => USAGE[v]).join('\n\n');
}

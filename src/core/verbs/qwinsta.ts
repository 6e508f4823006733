import { parseQuery } from './query.js';
import type { VerbSpec } from './spec.js';

export const QWINSTA: VerbSpec = {
  verb: 'qwinsta',
  names: ['qwinsta', 'query session'],
  summary: 'List Remote Desktop sessions, or find a user on every server',
  switches: ['server', 'v', 'state', 'fresh', '?'],
  takesText: false,
  usage: [
    { form: 'qwinsta <server> [<session or user>] [/state:<state>] [/v]', says: 'list the sessions on a server' },
    { form: 'qwinsta /server:<server> [<session or user>]', says: "the same, in Microsoft's order" },
    { form: 'qwinsta <user>', says: 'find a user on every server you may query' },
    { form: 'qwinsta @<group> [<user>]', says: 'every session (or a user\'s) on the servers of a group' },
  ],
  details:
    'Lists sessions as SESSIONNAME USERNAME ID STATE IDLE LOGON CLIENT (/v adds the client address and the ' +
    'services session and listeners). A user name alone searches every server you may query; j* matches user ' +
    'names by wildcard. /state:disc (or active, conn, idle, listen, down) shows the sessions in that state. ' +
    'A DNS name (two dots or more) or an IPv4 address is always a server.',
  action: 'query',
  chat: { slash: '/qwinsta', hint: 'rds01  ·  jdoe  ·  rds01 /state:disc', target: { option: 'user', description: 'A user (jdoe, CORP\\jdoe, j*) or session; alone: search every server' } },
  parse: parseQuery('qwinsta', 'qwinsta'),
};

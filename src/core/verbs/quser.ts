import { parseQuery } from './query.js';
import type { VerbSpec } from './spec.js';

export const QUSER: VerbSpec = {
  verb: 'quser',
  names: ['quser', 'query user'],
  summary: "List the users' sessions in quser's layout, or find a user",
  switches: ['server', 'v', 'state', 'fresh', '?'],
  takesText: false,
  usage: [
    { form: 'quser <server> [<user or session>] [/state:<state>]', says: "the users' sessions on a server" },
    { form: 'quser /server:<server> [<user or session>]', says: "the same, in Microsoft's order" },
    { form: 'quser <user>', says: 'find a user on every server you may query' },
    { form: 'quser @<group> [<user>]', says: 'the users\' sessions on the servers of a group' },
  ],
  details:
    "Lists user sessions only, as quser does: USERNAME SESSIONNAME ID STATE IDLE TIME LOGON TIME. IDLE TIME is " +
    "quser's: . under a minute, then minutes, H:MM or D+HH:MM; for a disconnected session it counts from the disconnection.",
  action: 'query',
  chat: { slash: '/quser', hint: 'rds01  ·  jdoe', target: { option: 'user', description: 'A user (jdoe, CORP\\jdoe, j*) or session; alone: search every server' } },
  parse: parseQuery('quser', 'quser'),
};

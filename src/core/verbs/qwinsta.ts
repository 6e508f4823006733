import type { SettingsSwitch } from '../grammar/command.js';
import { parseQuery } from './query.js';
import type { VerbSpec } from './spec.js';

export const QWINSTA: VerbSpec = {
  verb: 'qwinsta',
  names: ['qwinsta', 'query session'],
  summary: 'List Remote Desktop sessions, or find a user on every server',
  switches: ['server', 'v', 'state', 'idle', 'logon', 'fresh', 'counter', 'mode', 'flow', 'connect', 'vm', '?'],
  takesText: false,
  usage: [
    { form: 'qwinsta <server> [<session or user>] [/state:<state>] [/v]', says: 'list the sessions on a server' },
    { form: 'qwinsta /server:<server> [<session or user>]', says: "the same, in Microsoft's order" },
    { form: 'qwinsta <user>', says: 'find a user on every server you may query' },
    { form: 'qwinsta @<group> [<user>]', says: 'every session (or a user\'s) on the servers of a group' },
    { form: 'qwinsta <server> /idle:<duration> [/logon:<duration>]', says: 'only the sessions idle at least that long: 90m, 8h, 2d (/logon: logged on that long)' },
    { form: 'qwinsta /server:<server> /counter', says: 'with the traffic of each session: bytes and frames in and out' },
  ],
  details:
    'Lists sessions as SESSIONNAME USERNAME ID STATE IDLE LOGON CLIENT (/v adds the client address and the ' +
    'services session and listeners). A user name alone searches every server you may query; j* matches user ' +
    'names by wildcard. /state:disc (or active, conn, idle, listen, down) shows the sessions in that state. ' +
    '/idle:<duration> shows the sessions idle at least that long (a disconnected one counts from its disconnection), ' +
    '/logon:<duration> those logged on at least that long: 90m, 8h, 2d. ' +
    'A DNS name (two dots or more) or an IPv4 address is always a server. /counter adds the traffic Windows counts for ' +
    "each session; Microsoft's /mode, /flow, /connect and /vm are accepted and say why they add nothing here.",
  action: 'query',
  chat: { slash: '/qwinsta', hint: 'rds01  ·  jdoe  ·  rds01 /state:disc', target: { option: 'user', description: 'A user (jdoe, CORP\\jdoe, j*) or session; alone: search every server' } },
  parse: parseQuery('qwinsta', 'qwinsta'),
};

/** What a listing with /counter says under its table. */
export const COUNTER_NOTE =
  "Counters: bytes and frames (protocol packets) from and to the client, as Windows counts them for each session (they wrap at 4 GB). " +
  "Microsoft's /counter also prints the server's totals of sessions created, disconnected and reconnected: those come from a call " +
  'outside the documented Remote Desktop API, which the bot does not make.';

/** What Microsoft's other display switches add here, and why. */
export const SETTINGS_NOTES: Readonly<Record<SettingsSwitch, string>> = {
  mode: '/mode: line settings (baud rate, parity, stop bits) belong to serial (async) connections, which Remote Desktop Services no longer offers: these sessions have none.',
  flow: '/flow: flow control (XON/XOFF, hardware) belongs to serial (async) connections, which Remote Desktop Services no longer offers: these sessions have none.',
  connect:
    "/connect: a session's connect settings (client drives and printers at logon, the main client printer as default) come from a call " +
    "outside the documented Remote Desktop API, which the bot does not make; the server's Remote Desktop settings or Group Policy show them.",
  vm: "/vm: sessions inside the virtual machines of a Remote Desktop Virtualization Host (VDI) are not the bot's to manage; the server's own sessions are listed.",
};

/** The notes a listing's display switches ask for, as one text section's lines (none: empty). */
export function displayNotes(q: { counters?: boolean; settings?: readonly SettingsSwitch[] }): string[] {
  return [...(q.counters ? [COUNTER_NOTE] : []), ...(q.settings ?? []).map((s) => SETTINGS_NOTES[s])];
}

import { ageSwitches, ageText } from '../age-filter.js';
import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { ageFilterOf } from '../grammar/durations.js';
import { isMe, parseSelf } from '../grammar/self.js';
import { namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import type { Token } from '../grammar/tokens.js';
import { shown } from '../grammar/words.js';
import { actingSwitches } from './acting-switches.js';
import type { VerbSpec } from './spec.js';

function parse(c: Collected, ctx: ParseContext): Command {
  if (c.positionals.some(isMe)) return parseSelf('tsdiscon', 'disconnect', 'qwinsta', c, ctx);
  const base = { kind: 'disconnect' as const, verb: 'tsdiscon' as const, ...actingSwitches(c) };
  const p = c.positionals;
  const explicit = c.switches.get('server');
  const age = ageFilterOf(c.switches);
  if (age) {
    // Like rwinsta /disc: the first word is the server, and no session is named.
    const named = explicit !== undefined ? p[0] : p[1];
    if (named) throw new Usage(`${ageSwitches(age)} disconnects every connected session ${ageText(age)}; do not name a session (${shown(named.text)}) too`);
    const raw = explicit ?? p[0]?.text;
    const server = raw !== undefined ? serverAt(raw, ctx) : ctx.defaultServer;
    if (!server) needServer('tsdiscon', '/idle:8h', ctx);
    return { server, target: { kind: 'every' }, age, ...base };
  }
  if (explicit !== undefined) {
    const server = serverAt(explicit, ctx);
    if (p.length > 1) unexpected(p[1]);
    if (!p[0]) throw new Usage(`which session? e.g. ${ctx.names.of('tsdiscon')} /server:${server} 3 (${ctx.names.of('qwinsta')} ${server} lists them)`);
    return { server, target: targetAt(p[0]), ...base };
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return { server: serverAt((p[0] as Token).text, ctx), target: targetAt(p[1] as Token), ...base };
  const only = p[0];
  if (!only) throw new Usage(`which session? e.g. ${ctx.names.of('tsdiscon')} rds01 3`);
  if (namesServer(only, ctx)) {
    const server = serverAt(only.text, ctx);
    throw new Usage(`which session on ${server}? e.g. ${ctx.names.of('tsdiscon')} ${server} 3 (${ctx.names.of('qwinsta')} ${server} lists them)`);
  }
  const target = targetAt(only);
  if (!ctx.defaultServer) needServer('tsdiscon', only.text, ctx);
  return { server: ctx.defaultServer, target, ...base };
}

export const TSDISCON: VerbSpec = {
  verb: 'tsdiscon',
  names: ['tsdiscon'],
  summary: 'Disconnect a Remote Desktop session (programs keep running)',
  switches: ['server', 'v', 'idle', 'logon', 'f', 'reason', '?'],
  takesText: false,
  usage: [
    { form: 'tsdiscon <server> <session> [/v] [/f]', says: 'disconnect: the user is dropped, programs keep running' },
    { form: 'tsdiscon /server:<server> <session> [/v] [/f]', says: "the same, in Microsoft's order" },
    { form: 'tsdiscon /server:<server> /idle:<duration> [/logon:<duration>]', says: 'every connected session idle at least that long: 90m, 8h, 2d' },
    { form: 'tsdiscon … /reason:"<text>"', says: 'why, or the ticket (where the access file asks for one)' },
  ],
  details:
    'Disconnects a session: the user is dropped but their programs keep running, and they can reconnect. Always asks to confirm ' +
    '(/f skips that when your role grants "force"). The console cannot be disconnected remotely. /idle:<duration> without a session ' +
    'disconnects every connected user session idle at least that long, /logon:<duration> every one logged on at least that long; ' +
    'the prompt says how many it leaves alone, and a session that is no longer idle when re-checked is left alone.',
  action: 'disconnect',
  acting: {
    action: 'disconnect',
    label: 'Disconnect',
    done: 'Disconnected',
    never: 'disconnected',
    consequence: () => 'Users are dropped; their programs keep running and they can reconnect.',
    confirm: () => true,
  },
  chat: { slash: '/tsdiscon', hint: 'rds01 3', target: { option: 'session', description: 'Session ID, IDs (1,2,3), session name or user' } },
  parse,
};

import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { isMe, parseSelf } from '../grammar/self.js';
import { namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import type { Token } from '../grammar/tokens.js';
import { actingSwitches } from './acting-switches.js';
import type { VerbSpec } from './spec.js';

function parse(c: Collected, ctx: ParseContext): Command {
  if (c.positionals.some(isMe)) return parseSelf('tsdiscon', 'disconnect', 'qwinsta', c, ctx);
  const base = { kind: 'disconnect' as const, verb: 'tsdiscon' as const, ...actingSwitches(c) };
  const p = c.positionals;
  const explicit = c.switches.get('server');
  if (explicit !== undefined) {
    const server = serverAt(explicit, ctx);
    if (p.length > 1) unexpected(p[1]);
    if (!p[0]) throw new Usage(`which session? e.g. ${ctx.names.of('tsdiscon')} /server:${server} 3 (${ctx.names.of('qwinsta')} ${server} lists them)`);
    return { ...base, server, target: targetAt(p[0]) };
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return { ...base, server: serverAt((p[0] as Token).text, ctx), target: targetAt(p[1] as Token) };
  const only = p[0];
  if (!only) throw new Usage(`which session? e.g. ${ctx.names.of('tsdiscon')} rds01 3`);
  if (namesServer(only, ctx)) {
    const server = serverAt(only.text, ctx);
    throw new Usage(`which session on ${server}? e.g. ${ctx.names.of('tsdiscon')} ${server} 3 (${ctx.names.of('qwinsta')} ${server} lists them)`);
  }
  const target = targetAt(only);
  if (!ctx.defaultServer) needServer('tsdiscon', only.text, ctx);
  return { ...base, server: ctx.defaultServer, target };
}

export const TSDISCON: VerbSpec = {
  verb: 'tsdiscon',
  names: ['tsdiscon'],
  summary: 'Disconnect a Remote Desktop session (programs keep running)',
  switches: ['server', 'v', 'f', 'reason', '?'],
  takesText: false,
  usage: [
    { form: 'tsdiscon <server> <session> [/v] [/f]', says: 'disconnect: the user is dropped, programs keep running' },
    { form: 'tsdiscon /server:<server> <session> [/v] [/f]', says: "the same, in Microsoft's order" },
    { form: 'tsdiscon … /reason:"<text>"', says: 'why, or the ticket (where the access file asks for one)' },
  ],
  details: 'Disconnects a session: the user is dropped but their programs keep running, and they can reconnect. Always asks to confirm (/f skips that when your role grants "force"). The console cannot be disconnected remotely.',
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

import { ageSwitches } from '../age-filter.js';
import type { Collected } from '../grammar/collect.js';
import { ageFilterOf } from '../grammar/durations.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { isMe, parseSelf } from '../grammar/self.js';
import { couldBeServer, namesServer, needServer, serverAt, targetAt, unexpected, Usage } from '../grammar/positions.js';
import type { Token } from '../grammar/tokens.js';
import { shown } from '../grammar/words.js';
import { actingSwitches } from './acting-switches.js';
import type { VerbSpec } from './spec.js';

function parse(c: Collected, ctx: ParseContext): Command {
  if (c.positionals.some(isMe)) return parseSelf('rwinsta', 'logoff', 'qwinsta', c, ctx);
  const sw = c.switches;
  const p = c.positionals;
  const explicit = sw.get('server');
  const base = { verb: 'rwinsta' as const, ...actingSwitches(c) };
  const verbose = base.verbose;
  const list = (server: string): Command => ({ kind: 'list', verb: 'rwinsta', layout: 'qwinsta', server, verbose });
  if (sw.has('disc') && sw.has('all')) throw new Usage('give /disc or /all, not both');
  const scope = sw.has('disc') ? 'disconnected' : sw.has('all') ? 'all' : undefined;
  const age = ageFilterOf(sw);
  if (age && !scope) {
    throw new Usage(`${ageSwitches(age)} picks among many sessions: add /disc (the disconnected ones) or /all (every user session), e.g. ${ctx.names.of('rwinsta')} /server:rds01 /disc /idle:8h`);
  }
  if (scope) {
    const word = scope === 'disconnected' ? '/disc' : '/all';
    const named = explicit !== undefined ? p[0] : p[1];
    if (named) throw new Usage(`${word} logs off every ${scope === 'disconnected' ? 'disconnected' : 'user'} session; do not name a session (${shown(named.text)}) too`);
    const raw = explicit ?? p[0]?.text;
    const server = raw !== undefined ? serverAt(raw, ctx) : ctx.defaultServer;
    if (!server) needServer('rwinsta', word, ctx);
    const cmd: Command = { kind: 'bulk-logoff', server, scope, ...base };
    if (age) cmd.age = age;
    return cmd;
  }
  if (explicit !== undefined) {
    const server = serverAt(explicit, ctx);
    if (p.length > 1) unexpected(p[1]);
    return p[0] ? { kind: 'logoff', server, target: targetAt(p[0]), ...base } : list(server);
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return { kind: 'logoff', server: serverAt((p[0] as Token).text, ctx), target: targetAt(p[1] as Token), ...base };
  const only = p[0];
  if (!only) {
    if (ctx.defaultServer) return list(ctx.defaultServer);
    needServer('rwinsta', '3', ctx);
  }
  // One word: a server lists it; a session or user is on the default server.
  if (namesServer(only, ctx)) return list(serverAt(only.text, ctx));
  const target = targetAt(only);
  if (ctx.defaultServer) return { kind: 'logoff', server: ctx.defaultServer, target, ...base };
  if (couldBeServer(only)) {
    const rw = ctx.names.of('rwinsta');
    throw new Usage(`which server? No default server is configured, so ${only.text} needs one: ${rw} rds01 ${only.text}; or, if ${only.text} is a server, list it with ${rw} /server:${only.text}`);
  }
  needServer('rwinsta', only.text, ctx);
}

export const RWINSTA: VerbSpec = {
  verb: 'rwinsta',
  names: ['rwinsta', 'reset session', 'logoff'],
  summary: 'Log off (reset) a Remote Desktop session',
  switches: ['server', 'v', 'disc', 'all', 'idle', 'logon', 'reset', 'f', 'reason', '?'],
  takesText: false,
  usage: [
    { form: 'rwinsta <server> <session> [/v] [/f]', says: 'log off (reset) a session: ID, IDs 1,2,3, session name or user' },
    { form: 'rwinsta /server:<server> <session> [/v] [/f]', says: "the same, in Microsoft's order" },
    { form: 'rwinsta <session>', says: 'on the default server (RWINSTA_DEFAULT_SERVER)' },
    { form: 'rwinsta /server:<server>', says: 'no session: list the sessions' },
    { form: 'rwinsta /server:<server> /disc [/v] [/f]', says: 'log off every disconnected session' },
    { form: 'rwinsta /server:<server> /all [/v] [/f]', says: 'log off every user session' },
    { form: 'rwinsta /server:<server> /disc /idle:<duration> [/logon:<duration>]', says: 'only those idle at least that long: 90m, 8h, 2d (also with /all)' },
    { form: 'rwinsta … /reason:"<text>"', says: 'why, or the ticket (where the access file asks for one)' },
  ],
  details:
    'Logs off (resets) a session: its programs close and unsaved work is lost. Logging off an Active session, ' +
    'several sessions, /disc or /all asks you to confirm first; /f skips that when your role grants "force". ' +
    '/reset is accepted and means the same. /v reports each step with its duration. Session 0 (services) and ' +
    'listeners are never logged off. With /disc or /all, /idle:<duration> takes only the sessions idle at least that long ' +
    '(a disconnected one counts from its disconnection) and /logon:<duration> those logged on at least that long; the ' +
    'prompt says how many it leaves alone, and a session that no longer qualifies when re-checked is left alone too. ' +
    "The prompt lists the programs open in each session (qprocess shows them all).",
  action: 'logoff',
  acting: {
    action: 'logoff',
    label: 'Log off',
    done: 'Logged off',
    never: 'logged off',
    consequence: () => 'Their programs close and unsaved work is lost.',
    confirm: (plan) => plan.scope !== undefined || plan.sessions.length > 1 || plan.sessions.some((s) => s.state === 'Active'),
  },
  chat: { slash: '/rwinsta', hint: 'rds01 3 /v  ·  /server:rds04 /disc', target: { option: 'session', description: 'Session ID, IDs (1,2,3), session name or user' } },
  parse,
};

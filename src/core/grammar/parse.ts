import { SESSION_STATES, type SessionState } from '../../wts/session.js';
import type { Command, ParseContext, ParseResult, Target, Verb } from './command.js';
import { checkServerName } from './hostname.js';
import { looksLikeTargetOnly, parseTarget } from './targets.js';
import { tokenize, type Token } from './tokens.js';
import { USAGE } from './usage.js';
import { normalizeVerb, splitVerb, VERBS } from './verbs.js';

export const MAX_MESSAGE_LENGTH = 1000;
export const MAX_MESSAGE_SECONDS = 86_400;

type SwitchName = 'server' | 'v' | 'disc' | 'all' | 'reset' | 'f' | 'w' | 'time' | 'state' | '?';

const SWITCHES_BY_VERB: Record<Verb, readonly SwitchName[]> = {
  rwinsta: ['server', 'v', 'disc', 'all', 'reset', 'f', '?'],
  qwinsta: ['server', 'v', 'state', '?'],
  tsdiscon: ['server', 'v', 'f', '?'],
  msg: ['server', 'v', 'time', 'w', 'f', '?'],
  help: [],
};
const TAKES_VALUE = new Set<SwitchName>(['server', 'time', 'state']);
const SWITCH_ALIASES: Record<string, SwitchName> = {
  server: 'server',
  v: 'v',
  verbose: 'v',
  disc: 'disc',
  all: 'all',
  reset: 'reset',
  f: 'f',
  force: 'f',
  w: 'w',
  time: 'time',
  state: 'state',
  '?': '?',
  help: '?',
};
const STATE_WORDS: Record<string, SessionState> = {
  active: 'Active',
  disc: 'Disconnected',
  disconnected: 'Disconnected',
  conn: 'Connected',
  connected: 'Connected',
  connq: 'ConnectQuery',
  connectquery: 'ConnectQuery',
  shadow: 'Shadow',
  idle: 'Idle',
  listen: 'Listen',
  reset: 'Reset',
  down: 'Down',
  init: 'Init',
};
const SWITCH = /^[/-]([A-Za-z?]+)(?:[:=](.*))?$/s;

interface Collected {
  switches: Map<SwitchName, string>;
  positionals: Token[];
  /** msg only: the message text, cut from the raw line after the target. */
  text?: string;
}

class Usage extends Error {}

function fail(verb: Verb, message: string): ParseResult {
  return { ok: false, error: { message, usage: USAGE[verb] } };
}

function quote(t: string): string {
  return `"${t.length > 60 ? `${t.slice(0, 60)}…` : t}"`;
}

function readSwitch(verb: Verb, tok: Token, into: Map<SwitchName, string>): boolean {
  if (tok.quoted) return false;
  const m = SWITCH.exec(tok.text);
  if (!m) return false;
  const word = (m[1] ?? '').toLowerCase();
  const name = Object.hasOwn(SWITCH_ALIASES, word) ? SWITCH_ALIASES[word] : undefined;
  if (!name || !SWITCHES_BY_VERB[verb].includes(name)) {
    const allowed = SWITCHES_BY_VERB[verb].filter((s) => s !== '?').map((s) => (TAKES_VALUE.has(s) ? `/${s}:…` : `/${s}`));
    throw new Usage(`unknown switch ${quote(tok.text)} for ${verb}; it takes ${allowed.join(' ')}`);
  }
  const value = m[2];
  if (TAKES_VALUE.has(name)) {
    if (value === undefined || value === '') throw new Usage(`${quote(tok.text)} needs a value, e.g. /${name}:${name === 'server' ? 'rds01' : name === 'time' ? '60' : 'disc'}`);
    const previous = into.get(name);
    if (previous !== undefined && previous.toLowerCase() !== value.toLowerCase()) {
      throw new Usage(`/${name} is given twice (${quote(previous)} and ${quote(value)}); give it once`);
    }
    into.set(name, value);
  } else {
    if (value !== undefined) throw new Usage(`${quote(tok.text)}: /${name} takes no value`);
    into.set(name, '');
  }
  return true;
}

function collect(verb: Verb, line: string, tokens: Token[], ctx: ParseContext): Collected {
  const switches = new Map<SwitchName, string>();
  const positionals: Token[] = [];
  for (const tok of tokens) {
    if (readSwitch(verb, tok, switches)) continue;
    positionals.push(tok);
    if (verb === 'msg' && msgTargetComplete(positionals, switches, ctx)) {
      const last = positionals[positionals.length - 1] as Token;
      return { switches, positionals, text: unquoteWhole(line.slice(last.end).trim()) };
    }
  }
  return { switches, positionals };
}

/** msg: after how many words does the text start? One with /server or a default server, else two. */
function msgTargetComplete(p: Token[], switches: Map<SwitchName, string>, ctx: ParseContext): boolean {
  if (switches.has('server')) return p.length >= 1;
  const first = p[0];
  if (!first) return false;
  if (p.length >= 2) return true;
  if (first.quoted) return false;
  if (looksLikeTargetOnly(first.text)) return true;
  if (ctx.isKnownServer(first.text)) return false;
  return ctx.defaultServer !== undefined;
}

function unquoteWhole(text: string): string {
  const r = tokenize(text);
  if (r.ok && r.tokens.length === 1 && r.tokens[0]?.quoted && r.tokens[0].start === 0 && r.tokens[0].end === text.length) {
    return r.tokens[0].text;
  }
  return text;
}

function server(raw: string): string {
  const check = checkServerName(raw);
  if (!check.ok) throw new Usage(check.message);
  return check.name;
}

function target(tok: Token, allowEvery = false): Target {
  const r = parseTarget(tok.text, { allowEvery });
  if (!r.ok) throw new Usage(r.message);
  return r.target;
}

function unexpected(tok: Token | undefined): never {
  throw new Usage(`unexpected ${quote(tok?.text ?? '')}: too many arguments`);
}

function needServer(verb: Verb, what: string): never {
  throw new Usage(`which server? Say it first (${verb} rds01 ${what}) or with /server:rds01; no default server is configured`);
}

function parseState(raw: string | undefined): SessionState | undefined {
  if (raw === undefined) return undefined;
  const key = raw.toLowerCase();
  const state = Object.hasOwn(STATE_WORDS, key) ? STATE_WORDS[key] : undefined;
  if (!state) throw new Usage(`unknown state ${quote(raw)}; use one of active, disc, conn, listen, idle, down (${SESSION_STATES.length} states in all)`);
  return state;
}

function parseRwinsta(c: Collected, ctx: ParseContext): Command {
  const sw = c.switches;
  const verbose = sw.has('v');
  const force = sw.has('f');
  const p = c.positionals;
  const explicit = sw.get('server');
  if (sw.has('disc') && sw.has('all')) throw new Usage('give /disc or /all, not both');
  const scope = sw.has('disc') ? 'disconnected' : sw.has('all') ? 'all' : undefined;
  if (scope) {
    const word = scope === 'disconnected' ? '/disc' : '/all';
    let srv: string | undefined;
    if (explicit !== undefined) {
      if (p.length > 0) throw new Usage(`${word} logs off every ${scope === 'disconnected' ? 'disconnected' : 'user'} session; do not name a session (${quote(p[0]?.text ?? '')}) too`);
      srv = server(explicit);
    } else {
      if (p.length > 1) throw new Usage(`${word} logs off every ${scope === 'disconnected' ? 'disconnected' : 'user'} session; do not name a session (${quote(p[1]?.text ?? '')}) too`);
      srv = p[0] ? server(p[0].text) : ctx.defaultServer;
      if (!srv) needServer('rwinsta', word);
    }
    return { kind: 'bulk-logoff', server: srv, scope, verbose, force };
  }
  if (explicit !== undefined) {
    const srv = server(explicit);
    if (p.length > 1) unexpected(p[1]);
    if (p[0]) return { kind: 'logoff', server: srv, target: target(p[0]), verbose, force };
    return { kind: 'list', server: srv, verbose };
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return { kind: 'logoff', server: server((p[0] as Token).text), target: target(p[1] as Token), verbose, force };
  const only = p[0];
  if (!only) {
    if (ctx.defaultServer) return { kind: 'list', server: ctx.defaultServer, verbose };
    needServer('rwinsta', '3');
  }
  if (only.quoted || looksLikeTargetOnly(only.text)) {
    if (!ctx.defaultServer) needServer('rwinsta', only.text);
    return { kind: 'logoff', server: ctx.defaultServer, target: target(only), verbose, force };
  }
  if (ctx.isKnownServer(only.text)) return { kind: 'list', server: server(only.text), verbose };
  if (ctx.defaultServer) return { kind: 'logoff', server: ctx.defaultServer, target: target(only), verbose, force };
  // An unknown word with no default server: listing it is harmless, and says if it is not a server.
  if (checkServerName(only.text).ok) return { kind: 'list', server: server(only.text), verbose };
  needServer('rwinsta', only.text);
}

function parseQwinsta(c: Collected, ctx: ParseContext): Command {
  const verbose = c.switches.has('v');
  const state = parseState(c.switches.get('state'));
  const p = c.positionals;
  const explicit = c.switches.get('server');
  const list = (srv: string, filterTok?: Token): Command => {
    const cmd: Command = { kind: 'list', server: srv, verbose };
    if (filterTok) cmd.filter = target(filterTok);
    if (state) cmd.state = state;
    return cmd;
  };
  if (explicit !== undefined) {
    if (p.length > 1) unexpected(p[1]);
    return list(server(explicit), p[0]);
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return list(server((p[0] as Token).text), p[1]);
  const only = p[0];
  if (!only) {
    if (ctx.defaultServer) return list(ctx.defaultServer);
    throw new Usage('which server? Try qwinsta rds01, or qwinsta <user> to search every server you may see');
  }
  if (!only.quoted && !looksLikeTargetOnly(only.text) && ctx.isKnownServer(only.text)) return list(server(only.text));
  const t = target(only);
  if (t.kind === 'user' || t.kind === 'name') {
    const isSessionName = t.kind === 'name' && (t.name.includes('#') || t.name.toLowerCase() === 'console');
    if (!isSessionName) {
      const cmd: Command = { kind: 'find', user: t, verbose };
      if (state) cmd.state = state;
      return cmd;
    }
  }
  if (!ctx.defaultServer) needServer('qwinsta', only.text);
  return list(ctx.defaultServer, only);
}

function parseTsdiscon(c: Collected, ctx: ParseContext): Command {
  const verbose = c.switches.has('v');
  const force = c.switches.has('f');
  const p = c.positionals;
  const explicit = c.switches.get('server');
  if (explicit !== undefined) {
    if (p.length > 1) unexpected(p[1]);
    if (!p[0]) throw new Usage('which session? e.g. tsdiscon /server:rds01 3');
    return { kind: 'disconnect', server: server(explicit), target: target(p[0]), verbose, force };
  }
  if (p.length > 2) unexpected(p[2]);
  if (p.length === 2) return { kind: 'disconnect', server: server((p[0] as Token).text), target: target(p[1] as Token), verbose, force };
  const only = p[0];
  if (!only) throw new Usage('which session? e.g. tsdiscon rds01 3');
  if (!only.quoted && !looksLikeTargetOnly(only.text) && ctx.isKnownServer(only.text)) {
    throw new Usage(`which session on ${only.text}? e.g. tsdiscon ${only.text} 3 (qwinsta ${only.text} lists them)`);
  }
  if (!ctx.defaultServer) needServer('tsdiscon', only.text);
  return { kind: 'disconnect', server: ctx.defaultServer, target: target(only), verbose, force };
}

function parseMsg(c: Collected, ctx: ParseContext): Command {
  const sw = c.switches;
  const verbose = sw.has('v');
  const force = sw.has('f');
  const wait = sw.has('w');
  const timeRaw = sw.get('time');
  let timeSeconds = 0;
  if (timeRaw !== undefined) {
    if (!/^\d{1,6}$/.test(timeRaw) || Number(timeRaw) > MAX_MESSAGE_SECONDS) {
      throw new Usage(`/time:${timeRaw} is not a number of seconds from 0 to ${MAX_MESSAGE_SECONDS}`);
    }
    timeSeconds = Number(timeRaw);
  }
  const p = c.positionals;
  const text = c.text ?? '';
  let srv: string;
  let targetTok: Token | undefined;
  const explicit = sw.get('server');
  if (explicit !== undefined) {
    srv = server(explicit);
    targetTok = p[0];
  } else if (p.length >= 2) {
    srv = server((p[0] as Token).text);
    targetTok = p[1];
  } else {
    const first = p[0];
    if (!first) throw new Usage('whom to? e.g. msg rds01 3 Please save your work');
    if (!ctx.defaultServer || (!looksLikeTargetOnly(first.text) && ctx.isKnownServer(first.text))) {
      if (!looksLikeTargetOnly(first.text)) throw new Usage(`which session on ${first.text}? e.g. msg ${first.text} 3 Please save your work`);
      needServer('msg', `${first.text} <text>`);
    }
    srv = ctx.defaultServer;
    targetTok = first;
  }
  if (!targetTok) throw new Usage('whom to? e.g. msg /server:rds01 3 Please save your work');
  const t = target(targetTok, true);
  if (text.trim() === '') throw new Usage('no message text: put it after the session, e.g. msg rds01 3 "Please save your work"');
  if (text.length > MAX_MESSAGE_LENGTH) throw new Usage(`the message is ${text.length} characters; the limit is ${MAX_MESSAGE_LENGTH}`);
  return { kind: 'message', server: srv, target: t, text, timeSeconds, wait, verbose, force };
}

/** Parses the text after a slash command (`verb` is the command's canonical verb or an alias). */
export function parseCommand(verbWord: string, text: string, ctx: ParseContext): ParseResult {
  const verb = normalizeVerb(verbWord);
  if (!verb) {
    return {
      ok: false,
      error: { message: `unknown command ${quote(verbWord)}; the commands are ${VERBS.join(', ')}`, usage: USAGE.help },
    };
  }
  const tokens = tokenize(text);
  if (!tokens.ok) return fail(verb, tokens.message);
  try {
    if (verb === 'help') {
      const [first, second] = tokens.tokens;
      if (second) unexpected(second);
      if (!first) return { ok: true, command: { kind: 'help' } };
      const topic = normalizeVerb(first.text);
      if (!topic) throw new Usage(`no help on ${quote(first.text)}; the commands are ${VERBS.join(', ')}`);
      return { ok: true, command: { kind: 'help', topic } };
    }
    const c = collect(verb, text, tokens.tokens, ctx);
    if (c.switches.has('?') || (c.positionals.length === 1 && c.positionals[0]?.text.toLowerCase() === 'help' && verb !== 'msg')) {
      return { ok: true, command: { kind: 'help', topic: verb } };
    }
    switch (verb) {
      case 'rwinsta':
        return { ok: true, command: parseRwinsta(c, ctx) };
      case 'qwinsta':
        return { ok: true, command: parseQwinsta(c, ctx) };
      case 'tsdiscon':
        return { ok: true, command: parseTsdiscon(c, ctx) };
      case 'msg':
        return { ok: true, command: parseMsg(c, ctx) };
    }
  } catch (e) {
    if (e instanceof Usage) return fail(verb, e.message);
    throw e;
  }
}

/** Parses a whole line as typed in the console: `/rwinsta rds01 3`, `reset session 3 /server:rds01`. */
export function parseLine(line: string, ctx: ParseContext): ParseResult {
  const { verbWord, rest } = splitVerb(line);
  if (!verbWord) return { ok: false, error: { message: 'type a command, e.g. qwinsta rds01', usage: USAGE.help } };
  return parseCommand(verbWord, rest, ctx);
}

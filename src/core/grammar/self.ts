import type { SelfServiceAction } from '../actions.js';
import type { Collected } from './collect.js';
import type { Command, Layout, ParseContext, Verb } from './command.js';
import { serverAt, Usage } from './positions.js';
import { MAX_SESSION_ID } from './targets.js';
import type { Token } from './tokens.js';
import { shown } from './words.js';

/**
 * `me` is a reserved word: the caller's own sessions, through self-service. A Windows account
 * literally named `me` is written with its domain, `CORP\me`.
 */
export function isMe(tok: Token): boolean {
  return !tok.quoted && tok.text.toLowerCase() === 'me';
}

export const ME_RESERVED = '"me" means your own sessions (self-service: qwinsta me, rwinsta me, tsdiscon me); a Windows account named me is written with its domain, e.g. CORP\\me';

/**
 * `<verb> me [<server>] [<id>]` (the server also as /server:). Self-service always asks to confirm
 * and acts on one session at a time, so /f, /disc and /all do not apply.
 */
export function parseSelf(verb: Verb, action: SelfServiceAction, layout: Layout, c: Collected, ctx: ParseContext): Command {
  const name = ctx.names.of(verb);
  for (const bulk of ['disc', 'all'] as const) {
    if (c.switches.has(bulk)) throw new Usage(`/${bulk} is for helpdesk roles; with me, name one session: ${name} me rds01 3`);
  }
  if (c.switches.has('f')) throw new Usage(`self-service always asks you to confirm, so /f does not apply with me`);
  const cmd: Command = { kind: 'self', verb, action, layout, verbose: c.switches.has('v') };
  const explicit = c.switches.get('server');
  if (explicit !== undefined) cmd.server = serverAt(explicit, ctx);
  for (const tok of c.positionals) {
    if (isMe(tok)) continue;
    if (!tok.quoted && /^\d{1,10}$/.test(tok.text)) {
      const id = Number(tok.text);
      if (cmd.id !== undefined) throw new Usage(`one session at a time with me: ${shown(String(cmd.id))} and ${shown(tok.text)} are two`);
      if (id > MAX_SESSION_ID) throw new Usage(`${shown(tok.text)} is not a session ID (IDs go up to ${MAX_SESSION_ID})`);
      cmd.id = id;
      continue;
    }
    if (cmd.server !== undefined) throw new Usage(`unexpected ${shown(tok.text)}: with me, give a server and a session ID, e.g. ${name} me rds01 3`);
    cmd.server = serverAt(tok.text, ctx);
  }
  return cmd;
}

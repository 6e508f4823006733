import type { Verb, ParseContext, Target } from './command.js';
import { checkServerName } from './hostname.js';
import { looksLikeTargetOnly, parseTarget } from './targets.js';
import type { Token } from './tokens.js';
import { ME_RESERVED } from './self.js';
import { isAddressLike, shown, wordProblem } from './words.js';

/** A usage error found while reading a command: its message is shown above the verb's usage. */
export class Usage extends Error {}

const LISTED = 12;

function serverList(ctx: ParseContext): string {
  const all = ctx.knownServers;
  if (all.length === 0) return 'none are named in the access file';
  const head = all.slice(0, LISTED).join(', ');
  return all.length > LISTED ? `${head} and ${all.length - LISTED} more` : head;
}

/**
 * A word where only a server can stand (`/server:X`, or the first of two words): a valid host name
 * the bot knows, unless the caller's grants reach any server.
 */
export function serverAt(raw: string, ctx: ParseContext): string {
  const problem = wordProblem(raw);
  if (problem) throw new Usage(problem);
  const check = checkServerName(raw);
  if (!check.ok) throw new Usage(check.message);
  if (!ctx.acceptsAnyServer && !ctx.isKnownServer(check.name)) {
    throw new Usage(`${check.name} is not a server this bot knows; servers: ${serverList(ctx)}`);
  }
  return check.name;
}

/** A word where a session or a user stands. */
export function targetAt(tok: Token, opts: { allowEvery?: boolean } = {}): Target {
  if (!tok.quoted && tok.text.toLowerCase() === 'me') throw new Usage(ME_RESERVED);
  const problem = wordProblem(tok.text);
  if (problem) throw new Usage(problem);
  if (!tok.quoted && isAddressLike(tok.text)) {
    throw new Usage(`${shown(tok.text)} is a server name, not a session or user; give the server first or with /server:`);
  }
  const r = parseTarget(tok.text, { allowEvery: opts.allowEvery ?? false });
  if (!r.ok) throw new Usage(r.message);
  return r.target;
}

/**
 * Whether a lone word names a server (known, a DNS name or an IPv4 address) rather than a session
 * or a user. A quoted word, an ID, `RDP-Tcp#7`, `CORP\jdoe` or a wildcard never does.
 */
export function namesServer(tok: Token, ctx: ParseContext): boolean {
  if (tok.quoted || looksLikeTargetOnly(tok.text) || wordProblem(tok.text)) return false;
  return ctx.isKnownServer(tok.text) || isAddressLike(tok.text, ctx.knownDomains);
}

/** A word that could be a server by its form (a valid host name), though the bot does not know it. */
export function couldBeServer(tok: Token): boolean {
  return !tok.quoted && !looksLikeTargetOnly(tok.text) && !wordProblem(tok.text) && checkServerName(tok.text).ok;
}

export function unexpected(tok: Token | undefined): never {
  throw new Usage(`unexpected ${shown(tok?.text ?? '')}: too many arguments`);
}

export function needServer(verb: Verb, what: string, ctx: ParseContext): never {
  throw new Usage(`which server? Say it first (${ctx.names.of(verb)} rds01 ${what}) or with /server:rds01; no default server is configured`);
}

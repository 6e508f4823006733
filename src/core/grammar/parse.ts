import { specOf, splitVerb, verbNamed } from '../verbs/table.js';
import { collect } from './collect.js';
import type { ParseContext, ParseResult } from './command.js';
import { Usage } from './positions.js';
import { tokenize } from './tokens.js';
import { commandList, usageOf } from './usage.js';
import { shown } from './words.js';

/** Parses the text after a slash command (`verbWord` is any name of a verb: `rwinsta`, `reset session`, `/quser`). */
export function parseCommand(verbWord: string, text: string, ctx: ParseContext): ParseResult {
  const verb = verbNamed(verbWord);
  if (!verb) {
    return { ok: false, error: { message: `unknown command ${shown(verbWord)}; the commands are ${commandList(ctx.names)}`, usage: usageOf('help', ctx.names) } };
  }
  const spec = specOf(verb);
  const fail = (message: string): ParseResult => ({ ok: false, error: { message, usage: usageOf(verb, ctx.names) } });
  const tokens = tokenize(text);
  if (!tokens.ok) return fail(tokens.message);
  try {
    const c = collect({ verb: ctx.names.of(verb), switches: spec.switches, takesText: spec.takesText }, text, tokens.tokens, ctx);
    const onlyWord = c.positionals.length === 1 && !c.text ? c.positionals[0] : undefined;
    if (verb !== 'help' && (c.switches.has('?') || (onlyWord && !onlyWord.quoted && onlyWord.text.toLowerCase() === 'help'))) {
      return { ok: true, command: { kind: 'help', verb: 'help', topic: verb } };
    }
    return { ok: true, command: spec.parse(c, ctx) };
  } catch (e) {
    if (e instanceof Usage) return fail(e.message);
    throw e;
  }
}

/** Parses a whole line as typed in the console: `/rwinsta rds01 3`, `reset session 3 /server:rds01`. */
export function parseLine(line: string, ctx: ParseContext): ParseResult {
  const { verbWord, rest } = splitVerb(line);
  if (!verbWord) return { ok: false, error: { message: `type a command, e.g. ${ctx.names.of('qwinsta')} rds01`, usage: usageOf('help', ctx.names) } };
  return parseCommand(verbWord, rest, ctx);
}

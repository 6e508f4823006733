import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext } from '../grammar/command.js';
import { unexpected, Usage } from '../grammar/positions.js';
import { shown } from '../grammar/words.js';
import type { VerbSpec } from './spec.js';
import { commandList } from '../grammar/usage.js';
import { verbNamed } from './table.js';

function parse(c: Collected, ctx: ParseContext): Command {
  const [first, second] = c.positionals;
  if (!first) return { kind: 'help', verb: 'help' };
  // `help reset session`, `help query user`: a two-word name is one topic.
  const two = second ? verbNamed(`${first.text} ${second.text}`) : undefined;
  const topic = two ?? verbNamed(first.text);
  if (!topic) throw new Usage(`no help on ${shown(first.text)}; the commands are ${commandList(ctx.names)}`);
  if (second && !two) unexpected(second);
  return { kind: 'help', verb: 'help', topic };
}

export const HELP: VerbSpec = {
  verb: 'help',
  names: ['help'],
  summary: 'Show the commands, or one command in detail',
  switches: ['?'],
  takesText: false,
  usage: [
    { form: 'help [<command>]', says: 'these lines, or one command in detail' },
    { form: '<command> /?', says: 'the same for one command' },
  ],
  details: 'Shows the usage of every command; help <command> shows one with its details. Help touches no server.',
  action: 'query',
  parse,
};

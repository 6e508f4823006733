import type { Verb } from './grammar/command.js';

/**
 * How commands are typed where the caller is: `msg` at the console, `/rdmsg` in Slack (where `/msg`
 * is Slack's own), `/rwinsta` in Discord. Usage lines, help and the examples in error messages are
 * written with these, so what the bot shows can be typed as shown.
 */
export interface CommandNames {
  of(verb: Verb): string;
  /** Whether a verb can be typed here at all (help is a console word; chat has `<command> /?`). */
  available(verb: Verb): boolean;
  /** Whether the other names (`reset session`, `query user`) work here: only where lines are typed whole. */
  readonly aliases: boolean;
}

export const CONSOLE_NAMES: CommandNames = { of: (v) => v, available: () => true, aliases: true };

/** A chat platform's slash commands, e.g. `{ msg: '/rdmsg' }`; a verb without one is not offered there. */
export function slashNames(map: Partial<Record<Verb, string>>): CommandNames {
  return {
    of: (v) => map[v] ?? v,
    available: (v) => map[v] !== undefined,
    aliases: false,
  };
}

import type { ParseContext } from './command.js';
import { namesServer, Usage } from './positions.js';
import { tokenize, type Token } from './tokens.js';
import { shown } from './words.js';
import { switchNamed, switchUsage, SWITCHES, type SwitchName } from '../verbs/switches.js';

/** A command line sorted into its switches and positional words (and, for msg, its text). */
export interface Collected {
  switches: Map<SwitchName, string>;
  positionals: Token[];
  /** For verbs that take text: everything from the first word after the target that is not a switch. */
  text?: string;
}

export interface CollectRules {
  verb: string;
  switches: readonly SwitchName[];
  takesText: boolean;
}

const SWITCH = /^[/-]([A-Za-z?]+)(?:[:=](.*))?$/s;

function readSwitch(rules: CollectRules, tok: Token, into: Map<SwitchName, string>): boolean {
  if (tok.quoted) return false;
  const m = SWITCH.exec(tok.text);
  if (!m) return false;
  const name = switchNamed(m[1] ?? '');
  if (!name || !rules.switches.includes(name)) {
    const allowed = rules.switches.filter((s) => s !== '?').map(switchUsage);
    throw new Usage(`unknown switch ${shown(tok.text)} for ${rules.verb}; it takes ${allowed.join(' ')}`);
  }
  const value = m[2];
  const spec = SWITCHES[name];
  if (spec.value) {
    if (value === undefined || value === '') throw new Usage(`${shown(tok.text)} needs a value, e.g. /${name}:${spec.value.example}`);
    const previous = into.get(name);
    if (previous !== undefined && previous.toLowerCase() !== value.toLowerCase()) {
      throw new Usage(`/${name} is given twice (${shown(previous)} and ${shown(value)}); give it once`);
    }
    into.set(name, value);
  } else {
    if (value !== undefined) throw new Usage(`${shown(tok.text)}: /${name} takes no value`);
    into.set(name, '');
  }
  return true;
}

/**
 * msg's head (server and target) is complete when /server names the server and one word the
 * target, or two words were read, or the one word read cannot be a server.
 */
function headComplete(p: readonly Token[], switches: Map<SwitchName, string>, ctx: ParseContext): boolean {
  const first = p[0];
  if (!first) return false;
  if (switches.has('server') || p.length >= 2) return true;
  return !namesServer(first, ctx);
}

function unquoteWhole(text: string): string {
  const r = tokenize(text);
  const only = r.ok && r.tokens.length === 1 ? r.tokens[0] : undefined;
  return only?.quoted && only.start === 0 && only.end === text.length ? only.text : text;
}

/**
 * Sorts the words. Switches may stand anywhere, except that for msg the first word after the target
 * that is not a switch starts the text, and switch-like words after it are text (as Microsoft's msg).
 */
export function collect(rules: CollectRules, line: string, tokens: readonly Token[], ctx: ParseContext): Collected {
  const switches = new Map<SwitchName, string>();
  const positionals: Token[] = [];
  for (const tok of tokens) {
    if (readSwitch(rules, tok, switches)) continue;
    if (rules.takesText && headComplete(positionals, switches, ctx)) {
      return { switches, positionals, text: unquoteWhole(line.slice(tok.start).trim()) };
    }
    positionals.push(tok);
  }
  return rules.takesText ? { switches, positionals, text: '' } : { switches, positionals };
}

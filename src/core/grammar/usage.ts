import { CONSOLE_NAMES, type CommandNames } from '../command-names.js';
import type { Verb } from './command.js';
import { specOf, VERB_TABLE } from '../verbs/table.js';
import type { UsageLine, VerbSpec } from '../verbs/spec.js';

const GAP = 3;

/** A usage form as typed here: `msg <server> …` becomes `/rdmsg <server> …` in Slack. */
function formAs(spec: VerbSpec, form: string, names: CommandNames): string {
  return form.startsWith(`${spec.verb} `) || form === spec.verb ? `${names.of(spec.verb)}${form.slice(spec.verb.length)}` : form;
}

function lines(spec: VerbSpec, names: CommandNames): UsageLine[] {
  return spec.usage.map((u) => ({ form: formAs(spec, u.form, names), says: u.says }));
}

function aligned(list: readonly UsageLine[], width: number): string[] {
  return list.map((l) => `${l.form.padEnd(width + GAP)}${l.says}`.trimEnd());
}

function widest(list: readonly UsageLine[]): number {
  return Math.max(...list.map((l) => l.form.length));
}

/** `also: reset session, reset, logoff` (where other names can be typed). */
export function aliasesOf(spec: VerbSpec, names: CommandNames = CONSOLE_NAMES): string {
  const others = names.aliases ? spec.names.filter((n) => n !== spec.verb) : [];
  return others.length ? `also: ${others.join(', ')}` : '';
}

/** The commands that can be typed here, as typed here. */
export function commandList(names: CommandNames = CONSOLE_NAMES): string {
  return VERB_TABLE.filter((s) => names.available(s.verb)).map((s) => names.of(s.verb)).join(', ');
}

/** One verb's usage lines, aligned, as shown under a usage error. */
export function usageOf(verb: Verb, names: CommandNames = CONSOLE_NAMES): string {
  const l = lines(specOf(verb), names);
  return aligned(l, widest(l)).join('\n');
}

function heading(spec: VerbSpec, names: CommandNames): string {
  const also = aliasesOf(spec, names);
  return `${names.of(spec.verb)}: ${spec.summary}${also ? ` (${also})` : ''}`;
}

/** `help`: every verb that can be typed here, its names and aligned usage; `help <verb>`: one, with its details. */
export function helpText(topic?: Verb, names: CommandNames = CONSOLE_NAMES): string {
  if (topic) {
    const spec = specOf(topic);
    const l = lines(spec, names);
    return [heading(spec, names), ...aligned(l, widest(l)).map((x) => `  ${x}`), '', spec.details].join('\n');
  }
  const specs = VERB_TABLE.filter((s) => names.available(s.verb));
  const width = widest(specs.flatMap((s) => lines(s, names)));
  const out = specs.map((spec) => [heading(spec, names), ...aligned(lines(spec, names), width).map((x) => `  ${x}`)].join('\n'));
  if (!names.available('help')) out.push(`Add /? to a command for its details, e.g. ${names.of('rwinsta')} /?`);
  return out.join('\n\n');
}

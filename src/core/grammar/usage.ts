import type { Verb } from './command.js';
import { specOf, VERB_TABLE } from '../verbs/table.js';
import type { UsageLine, VerbSpec } from '../verbs/spec.js';

const GAP = 3;

function aligned(lines: readonly UsageLine[], width: number): string[] {
  return lines.map((l) => `${l.form.padEnd(width + GAP)}${l.says}`.trimEnd());
}

function widest(specs: readonly VerbSpec[]): number {
  return Math.max(...specs.flatMap((s) => s.usage.map((l) => l.form.length)));
}

/** `also: reset session, reset, logoff` */
export function aliasesOf(spec: VerbSpec): string {
  const others = spec.names.filter((n) => n !== spec.verb);
  return others.length ? `also: ${others.join(', ')}` : '';
}

/** One verb's usage lines, aligned, as shown under a usage error. */
export function usageOf(verb: Verb): string {
  const spec = specOf(verb);
  return aligned(spec.usage, widest([spec])).join('\n');
}

/** `help`: every verb, its names and its aligned usage lines; `help <verb>`: one, with its details. */
export function helpText(topic?: Verb): string {
  if (topic) {
    const spec = specOf(topic);
    const names = aliasesOf(spec);
    return [`${spec.verb}: ${spec.summary}${names ? ` (${names})` : ''}`, ...aligned(spec.usage, widest([spec])).map((l) => `  ${l}`), '', spec.details].join('\n');
  }
  const width = widest(VERB_TABLE);
  return VERB_TABLE.map((spec) => {
    const names = aliasesOf(spec);
    return [`${spec.verb}: ${spec.summary}${names ? ` (${names})` : ''}`, ...aligned(spec.usage, width).map((l) => `  ${l}`)].join('\n');
  }).join('\n\n');
}

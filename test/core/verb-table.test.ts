import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../adapters/discord/commands.js';
import { helpText, usageOf } from '../../src/core/grammar/usage.js';
import { SWITCHES } from '../../src/core/verbs/switches.js';
import { splitVerb, verbNamed, VERB_TABLE } from '../../src/core/verbs/table.js';
import { commandsTable } from '../support/commands-table.js';

function readmeSection(title: string): string[] {
  const text = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = text.indexOf(`\n## ${title}\n`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end).split('\n');
}

describe('the verb table is the one description of every verb', () => {
  it('every name of every verb reads as that verb, typed or split from a line', () => {
    for (const spec of VERB_TABLE) {
      for (const name of spec.names) {
        expect(verbNamed(name)).toBe(spec.verb);
        expect(verbNamed(`/${name.toUpperCase()}`)).toBe(spec.verb);
        expect(splitVerb(`${name} rds01 3`)).toEqual({ verbWord: name, rest: ' rds01 3' });
      }
    }
  });
  it('help lists every verb, every name and every usage line, with the descriptions in one column', () => {
    const help = helpText();
    const lines = help.split('\n');
    for (const spec of VERB_TABLE) {
      for (const name of spec.names) expect(help).toContain(name);
      for (const u of spec.usage) expect(lines.some((l) => l.trimStart().startsWith(u.form) && l.trimEnd().endsWith(u.says))).toBe(true);
    }
    const columns = new Set(
      VERB_TABLE.flatMap((s) => s.usage.map((u) => (lines.find((l) => l.trimStart().startsWith(u.form) && l.trimEnd().endsWith(u.says)) ?? '').lastIndexOf(u.says))),
    );
    expect(columns.size).toBe(1);
  });
  it('a usage error shows the verb\'s own lines, aligned', () => {
    const usage = usageOf('msg').split('\n');
    const says = ['show a message box', "the same, in Microsoft's order", 'why, or the ticket'];
    expect(usage).toHaveLength(says.length);
    expect(new Set(usage.map((l, i) => l.indexOf(says[i] as string))).size).toBe(1);
    expect(usage.every((l, i) => l.indexOf(says[i] as string) > 0)).toBe(true);
  });
  it("the README's Commands table is the verb table's (regenerate it from the expected rows if this fails)", () => {
    const readme = readmeSection('Commands').filter((l) => l.startsWith('|'));
    expect(readme).toEqual(commandsTable());
  });
  it('Discord offers each chat verb with the options its switches define, and nothing the grammar would refuse', () => {
    for (const spec of VERB_TABLE.filter((s) => s.chat)) {
      const cmd = COMMANDS.find((c) => c.name === spec.verb);
      expect(cmd?.description).toBe(spec.summary);
      const names = (cmd?.options ?? []).map((o) => o.name);
      const expected = ['server', ...(spec.chat?.target ? [spec.chat.target.option] : []), ...(spec.chat?.text ? ['text'] : []), ...spec.switches.flatMap((s) => (SWITCHES[s].option ? [SWITCHES[s].option.name] : [])), 'args'];
      expect(names).toEqual(expected);
    }
    expect(COMMANDS.map((c) => c.name)).toEqual(VERB_TABLE.filter((s) => s.chat).map((s) => s.verb));
  });
});

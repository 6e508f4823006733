import { VERB_TABLE } from '../../src/core/verbs/table.js';

/**
 * The README's Commands table as the verb table says it must be. Regenerate the README's table with:
 * npx tsx -e "import('./test/support/commands-table.ts').then((m) => console.log(m.commandsTable().join('\n')))"
 */
export function commandsTable(): string[] {
  const rows = ['| Command | Also typed as | What it does |', '|---|---|---|'];
  for (const spec of VERB_TABLE) {
    const also = spec.names.filter((n) => n !== spec.verb).map((n) => `\`${n}\``).join(', ');
    spec.usage.forEach((u, i) => rows.push(`| \`${u.form.replace(/\|/g, '\\|')}\` | ${i === 0 ? also : ''} | ${u.says} |`));
  }
  return rows;
}

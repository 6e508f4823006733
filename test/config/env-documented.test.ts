import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = '[A-Z][A-Z0-9_]*[A-Z0-9]';

/** Read by the code but set by the operating system, not by whoever configures the bot. */
const FROM_THE_SYSTEM = new Set(['USER', 'USERNAME']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every environment variable the code reads: the readers' calls (`readString(env, 'KEY')`,
 * `readEnum<T>(env, 'KEY', …)`, and any helper called with an env first), `env['KEY']`, `env.KEY` and
 * `process.env.KEY`, also where the name is a constant (`const BIND_DN = 'KEY'` … `readString(env, BIND_DN)`);
 * and the families built from a prefix (`SLACK_COMMAND_${verb}`).
 */
function readByTheCode(): { keys: Map<string, string>; families: Map<string, string> } {
  const keys = new Map<string, string>();
  const families = new Map<string, string>();
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'adapters'))].map((file) => ({ where: relative(ROOT, file), text: readFileSync(file, 'utf8') }));
  const constants = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(new RegExp(`\\bconst\\s+([A-Za-z_$][\\w$]*)\\s*=\\s*['"](${KEY})['"]`, 'g'))) if (m[1] && m[2]) constants.set(m[1], m[2]);
  }
  const NAME = `['"\`](${KEY})['"\`]|([A-Za-z_$][\\w$]*)`;
  const patterns = [
    new RegExp(`\\b[\\w$]+(?:<[^<>()]*>)?\\(\\s*[\\w.$]*[Ee]nv\\s*,\\s*(?:${NAME})\\s*[,)]`, 'g'),
    new RegExp(`\\b[\\w$]*[Ee]nv\\[\\s*(?:${NAME})\\s*\\]`, 'g'),
    new RegExp(`\\b(?:process\\.env|env)\\??\\.(${KEY})\\b`, 'g'),
  ];
  for (const { where, text } of files) {
    for (const re of patterns) {
      for (const m of text.matchAll(re)) {
        const key = m[1] ?? (m[2] === undefined ? undefined : constants.get(m[2]));
        if (key && !keys.has(key)) keys.set(key, where);
      }
    }
    for (const m of text.matchAll(/`([A-Z][A-Z0-9]*_(?:[A-Z0-9]+_)*)\$\{/g)) if (m[1] && !families.has(m[1])) families.set(m[1], where);
  }
  for (const k of FROM_THE_SYSTEM) keys.delete(k);
  return { keys, families };
}

/** Names in the first column of the README's variable tables; `_QWINSTA` after `SLACK_COMMAND_RWINSTA` is `SLACK_COMMAND_QWINSTA`. */
function inReadmeTables(): Set<string> {
  const names = new Set<string>();
  let inVariableTable = false;
  for (const line of readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n')) {
    if (!line.startsWith('|')) {
      inVariableTable = false;
      continue;
    }
    const first = line.split('|')[1]?.trim() ?? '';
    if (first === 'Variable') inVariableTable = true;
    if (!inVariableTable) continue;
    let prefix = '';
    for (const [, name = ''] of first.matchAll(/`([A-Z_][A-Z0-9_]*)`/g)) {
      if (name.startsWith('_')) names.add(prefix + name);
      else {
        names.add(name);
        prefix = name.slice(0, name.lastIndexOf('_'));
      }
    }
  }
  return names;
}

const ENV_EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8').split('\n');
const inEnvExample = new Set(ENV_EXAMPLE.flatMap((l) => new RegExp(`^#\\s?(${KEY})=`).exec(l)?.[1] ?? []));

describe('every environment variable the code reads is documented', () => {
  const { keys, families } = readByTheCode();

  it('finds the variables (the scan itself works)', () => {
    expect(keys.get('RWINSTA_AUDIT_FILE')).toBe('src/config/app-config.ts');
    expect(keys.get('DISCORD_GUILD_ID')).toBe('adapters/discord/config.ts');
    expect(families.get('SLACK_COMMAND_')).toBe('adapters/slack/config.ts');
    expect(keys.size).toBeGreaterThan(30);
  });
  it('in the README tables', () => {
    const documented = inReadmeTables();
    expect([...keys].filter(([k]) => !documented.has(k)).map(([k, file]) => `${k} (read in ${file})`)).toEqual([]);
    expect([...families].filter(([p]) => ![...documented].some((d) => d.startsWith(p))).map(([p, file]) => `${p}… (read in ${file})`)).toEqual([]);
  });
  it('in .env.example', () => {
    expect([...keys].filter(([k]) => !inEnvExample.has(k)).map(([k, file]) => `${k} (read in ${file})`)).toEqual([]);
    expect([...families].filter(([p]) => ![...inEnvExample].some((d) => d.startsWith(p))).map(([p, file]) => `${p}… (read in ${file})`)).toEqual([]);
  });
  it('and nothing is documented that the code does not read', () => {
    const read = (k: string): boolean => keys.has(k) || [...families.keys()].some((p) => k.startsWith(p));
    expect([...inEnvExample].filter((k) => !read(k))).toEqual([]);
    expect([...inReadmeTables()].filter((k) => !read(k))).toEqual([]);
  });
});

describe('.env.example', () => {
  it('sets nothing when copied as it is: every line is a comment', () => {
    expect(ENV_EXAMPLE.filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
  });
  it('says of each value whether it is the default or an example, and defaults are the values shown', () => {
    const unmarked: string[] = [];
    ENV_EXAMPLE.forEach((line, i) => {
      const m = new RegExp(`^#\\s?(${KEY})=(.*)$`).exec(line);
      if (!m) return;
      const above = ENV_EXAMPLE[i - 1] ?? '';
      const def = /^# default: (.*)$/.exec(above);
      if (def ? def[1] !== m[2] : !/^# example; default: \S/.test(above)) unmarked.push(`line ${i + 1}: ${line} (above it: ${above})`);
    });
    expect(inEnvExample.size).toBeGreaterThan(30);
    expect(unmarked).toEqual([]);
  });
});

import { STATE_CHOICES, SWITCHES as SWITCH_SPECS, VERB_TABLE, type Verb } from '../../src/core/index.js';

/** Every verb word the console accepts (every name in the verb table), and the console's own `exit`. */
export const VERB_WORDS: Readonly<Record<string, Verb | 'exit'>> = {
  ...Object.fromEntries(VERB_TABLE.flatMap((spec) => spec.names.map((n) => [n, spec.verb]))),
  exit: 'exit',
};

/** The switches each verb takes, as they are typed (`/server:` goes on with a server name). */
export const SWITCHES: ReadonlyMap<Verb, readonly string[]> = new Map(
  VERB_TABLE.map((spec) => [spec.verb, spec.verb === 'help' ? [] : spec.switches.map((n) => (SWITCH_SPECS[n].value ? `/${n}:` : `/${n}`))]),
);

const STATES = STATE_CHOICES;
const HELP_TOPICS = VERB_TABLE.filter((s) => s.verb !== 'help').map((s) => s.verb);

/** What completion may look up: the servers known by name, and the sessions on one (quickly, never failing). */
export interface CompletionSource {
  servers(): readonly string[];
  sessions(server: string): Promise<readonly { id: number; user: string }[]>;
}

/** readline's completer result: the candidates, and the part of the line they replace. */
export type Completion = [string[], string];

function startingWith(words: Iterable<string>, prefix: string): string[] {
  const p = prefix.toLowerCase();
  return [...new Set(words)].filter((w) => w.toLowerCase().startsWith(p)).sort();
}

/** A single candidate is completed with a space after it, so the next word can follow. */
function finish(hits: string[], typed: string, space = true): Completion {
  if (hits.length === 1 && space) return [[`${hits[0]} `], typed];
  return [hits, typed];
}

function verbOf(body: string): { verb: Verb | 'exit'; rest: string } | undefined {
  const words = Object.keys(VERB_WORDS).sort((a, b) => b.length - a.length);
  for (const w of words) {
    const m = new RegExp(`^${w.replace(' ', '\\s+')}\\s+`, 'i').exec(body);
    if (m) return { verb: VERB_WORDS[w] as Verb | 'exit', rest: body.slice(m[0].length) };
  }
  return undefined;
}

/**
 * Completes the word before the cursor: a verb first; then the verb's switches (after `/` or `-`),
 * server names (as the first word or after `/server:`), and after a server its session IDs and users.
 */
export async function complete(line: string, source: CompletionSource): Promise<Completion> {
  const lead = /^\s*\/?/.exec(line)?.[0] ?? '';
  const body = line.slice(lead.length);
  const found = verbOf(body);
  if (!found) {
    if (/\s/.test(body.replace(/^(reset|query)\s+/i, ''))) return [[], body];
    return finish(startingWith(Object.keys(VERB_WORDS), body), body);
  }
  const { verb, rest } = found;
  if (verb === 'exit') return [[], ''];
  const words = rest.split(/\s+/);
  const current = words.pop() ?? '';
  const before = words.filter((w) => w !== '');
  if (verb === 'help') return before.length === 0 ? finish(startingWith(HELP_TOPICS, current), current) : [[], current];

  const valued = /^([/-])(server|state|time)[:=](.*)$/i.exec(current);
  if (valued) {
    const [, , name = '', value = ''] = valued;
    const head = current.slice(0, current.length - value.length);
    if (name.toLowerCase() === 'server') return finish(startingWith(source.servers(), value).map((s) => head + s), current);
    if (name.toLowerCase() === 'state') return finish(startingWith(STATES, value).map((s) => head + s), current);
    return [[], current];
  }
  if (/^[/-]/.test(current)) {
    const dash = current[0] ?? '/';
    const hits = startingWith(
      (SWITCHES.get(verb) ?? []).map((s) => dash + s.slice(1)),
      current,
    );
    return finish(hits, current, !(hits.length === 1 && hits[0]?.endsWith(':')));
  }

  const explicit = before.map((w) => /^[/-]server[:=](.+)$/i.exec(w)?.[1]).find((s) => s !== undefined);
  const positionals = before.filter((w) => !/^[/-]/.test(w));
  if (explicit === undefined && positionals.length === 0) return finish(startingWith(source.servers(), current), current);
  const server = explicit ?? positionals[0] ?? '';
  const sessionSlot = explicit !== undefined ? positionals.length === 0 : positionals.length === 1;
  if (!sessionSlot || !source.servers().some((s) => s.toLowerCase() === server.toLowerCase())) return [[], current];
  const sessions = await source.sessions(server.toLowerCase());
  const ids = sessions.map((s) => String(s.id));
  const users = sessions.map((s) => s.user).filter((u) => u !== '');
  return finish(startingWith([...ids, ...users], current), current);
}

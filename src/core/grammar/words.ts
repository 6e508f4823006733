/**
 * Checks on the words that name servers, users and sessions, before they are read as anything:
 * UNC paths, and words that mix scripts (a Cyrillic `ѕ` in `rdѕ01` looks like Latin but names
 * another account or host). Mixed scripts follow Unicode TR39's test: Latin, Cyrillic and Greek may
 * not meet in one word; Han, Hiragana and Katakana may (Japanese), Han and Hangul (Korean), Han and Bopomofo.
 */

const SCRIPTS = [
  'Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Cherokee', 'Hebrew', 'Arabic', 'Devanagari', 'Thai',
  'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo',
] as const;
type Script = (typeof SCRIPTS)[number] | 'Other';

const SCRIPT_RE = new Map<Script, RegExp>(SCRIPTS.map((s) => [s, new RegExp(`^\\p{Script=${s}}$`, 'u')]));
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;
/** TR39's augmented script sets: Han writes Japanese, Korean and (with Bopomofo) Chinese; kana Japanese; Hangul Korean. */
const WRITES: Partial<Record<Script, readonly string[]>> = {
  Han: ['Jpan', 'Kore', 'Hanb'],
  Hiragana: ['Jpan'],
  Katakana: ['Jpan'],
  Hangul: ['Kore'],
  Bopomofo: ['Hanb'],
};

/** Letters that pass for Latin ones: what the refusal says the character is not. */
const LOOKS_LATIN: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', һ: 'h', і: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p', ԛ: 'q', с: 'c', ѕ: 's',
  т: 't', у: 'y', ԝ: 'w', х: 'x', ԁ: 'd', ү: 'y', А: 'A', В: 'B', Е: 'E', Ѕ: 'S', І: 'I', Ј: 'J', К: 'K', М: 'M',
  Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y',
  // Greek
  α: 'a', ε: 'e', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z',
  Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};

const ASCII = /^[\x00-\x7F]*$/;

function scriptOf(ch: string): Script | undefined {
  if (NEUTRAL.test(ch)) return undefined;
  for (const [s, re] of SCRIPT_RE) if (re.test(ch)) return s;
  return 'Other';
}

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function shown(word: string): string {
  return `"${word.length > 60 ? `${word.slice(0, 60)}…` : word}"`;
}

/** Why a word mixes scripts (naming the odd character), or undefined when it does not. */
export function mixedScript(word: string): string | undefined {
  // ASCII has one script (Latin letters; digits and signs are Common): nearly every word, answered
  // without a regular expression per character.
  if (ASCII.test(word)) return undefined;
  const chars = [...word];
  const scripts = chars.map(scriptOf);
  const present = new Set(scripts.filter((s): s is Script => s !== undefined));
  if (present.size <= 1) return undefined;
  // Scripts that write one language together are one script: the word's sets of them must meet.
  const shared = [...present].map((s) => WRITES[s] ?? []).reduce((a, b) => a.filter((x) => b.includes(x)));
  if (shared.length > 0) return undefined;
  // Names are mostly Latin: the odd one out is the first letter of another script. Without Latin,
  // the first letter whose script differs from the word's first letter's.
  const base: Script = present.has('Latin') ? 'Latin' : (scripts.find((s) => s !== undefined) as Script);
  const i = scripts.findIndex((s) => s !== undefined && s !== base);
  const ch = chars[i] as string;
  const script = scripts[i] as Script;
  const latin = base === 'Latin' ? LOOKS_LATIN[ch] : undefined;
  const what = script === 'Other' ? 'a letter of another script' : `${script} ${ch}`;
  return `${shown(word)}: character ${i + 1} is ${what} (${codePoint(ch)})${latin ? `, not Latin ${latin}` : ''}; retype it in one script`;
}

export function isUncPath(word: string): boolean {
  return word.startsWith('\\\\') || word.startsWith('//');
}

export function uncMessage(word: string): string {
  return `${shown(word)} is a UNC path, not a server, session or user name; name the server alone (e.g. rds01), without backslashes or a share`;
}

/** Why a word may not stand where a server, session or user is named, or undefined when it may. */
export function wordProblem(word: string): string | undefined {
  if (isUncPath(word)) return uncMessage(word);
  if (/^\d+(\.\d+)+\.?$/.test(word) && !IPV4.test(word)) return `${shown(word)} is not an IPv4 address (four numbers from 0 to 255, e.g. 10.0.0.5)`;
  return mixedScript(word);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DNS = /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\.?$/;

/**
 * An IPv4 address or a DNS name: only ever a server, never a user or session. A login may hold one
 * dot (`john.smith`), so a name with one dot counts as a DNS name only when its domain is one of
 * the known servers' (`rds09.corp` beside a known `rds01.corp`); two dots or more always do.
 */
export function isAddressLike(word: string, knownDomains: ReadonlySet<string> = new Set()): boolean {
  if (IPV4.test(word)) return true;
  if (!DNS.test(word) || !/[A-Za-z]/.test(word)) return false;
  const name = word.replace(/\.$/, '').toLowerCase();
  const dots = name.split('.').length - 1;
  return dots >= 2 || knownDomains.has(name.slice(name.indexOf('.') + 1));
}

/** The domains of dotted server names (`corp.example.com` of `rds01.corp.example.com`). */
export function domainsOf(servers: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const s of servers) {
    const i = s.indexOf('.');
    if (i > 0 && i < s.length - 1) out.add(s.slice(i + 1).toLowerCase().replace(/\.$/, ''));
  }
  return out;
}

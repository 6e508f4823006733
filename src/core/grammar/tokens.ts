/** A word of a command line, with where it sits in the line (message text is cut from the raw line). */
export interface Token {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; message: string };

export const MAX_LINE_LENGTH = 4000;

// Slack and phones turn straight quotes into typographic ones; accept both.
const OPENING_QUOTES: Record<string, string> = { '"': '"', '\u201C': '\u201D', '\u201D': '\u201D', '\u201E': '\u201D' };
const CLOSING_QUOTES = new Set(['"', '\u201D', '\u201C']);
// Tab, newline and carriage return are whitespace; every other control character is refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/u;

const SPACE = /\s/u;

function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c === 32 || c === 9 || c === 10 || c === 13) return true;
  return c > 127 && SPACE.test(ch);
}

export function findControlCharacter(line: string): { index: number; codePoint: string } | undefined {
  const m = CONTROL.exec(line);
  if (!m) return undefined;
  const cp = m[0].codePointAt(0) ?? 0;
  return { index: m.index, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` };
}

export function tokenize(line: string): TokenizeResult {
  if (line.length > MAX_LINE_LENGTH) {
    return { ok: false, message: `the command is ${line.length} characters long; the limit is ${MAX_LINE_LENGTH}` };
  }
  const control = findControlCharacter(line);
  if (control) {
    return {
      ok: false,
      message: `the command contains an invisible control character (${control.codePoint})${
        control.index > 0 ? ` after "${line.slice(Math.max(0, control.index - 20), control.index).trim()}"` : ' at its start'
      }; retype it`,
    };
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (isSpace(ch)) {
      i++;
      continue;
    }
    const close = OPENING_QUOTES[ch];
    if (close !== undefined) {
      const start = i;
      let j = i + 1;
      while (j < line.length && !CLOSING_QUOTES.has(line.charAt(j))) j++;
      if (j >= line.length) {
        return { ok: false, message: `the quote opened at position ${start + 1} is never closed` };
      }
      tokens.push({ text: line.slice(start + 1, j), quoted: true, start, end: j + 1 });
      i = j + 1;
      continue;
    }
    const start = i;
    let text = '';
    while (i < line.length && !isSpace(line.charAt(i))) {
      const c = line.charAt(i);
      const closer = OPENING_QUOTES[c];
      // A switch's quoted value is part of its word: /reason:"INC0012345 user stuck".
      if (closer !== undefined && isSwitchValueStart(line, start, i)) {
        let j = i + 1;
        while (j < line.length && !CLOSING_QUOTES.has(line.charAt(j))) j++;
        if (j >= line.length) return { ok: false, message: `the quote opened at position ${i + 1} is never closed` };
        text += line.slice(i + 1, j);
        i = j + 1;
        continue;
      }
      text += c;
      i++;
    }
    tokens.push({ text, quoted: false, start, end: i });
  }
  return { ok: true, tokens };
}

/** A quote right after the `:` or `=` of a switch (`/reason:"…"`, `-reason="…"`) opens its value. */
function isSwitchValueStart(line: string, wordStart: number, at: number): boolean {
  const head = line.slice(wordStart, at);
  return /^[/-][A-Za-z?]+[:=]$/.test(head);
}

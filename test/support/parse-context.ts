import { CONSOLE_NAMES, type CommandNames } from '../../src/core/command-names.js';
import type { Command, ParseContext } from '../../src/core/grammar/command.js';
import { parseLine } from '../../src/core/grammar/parse.js';
import { domainsOf } from '../../src/core/grammar/words.js';

/** A grammar context as the bot builds one: known servers, an optional default, and whether any server may be named. */
export function parseContext(known: readonly string[], o: { defaultServer?: string; acceptsAnyServer?: boolean; names?: CommandNames; groups?: readonly string[] } = {}): ParseContext {
  const set = new Set(known.map((s) => s.toLowerCase()));
  if (o.defaultServer) set.add(o.defaultServer);
  const ctx: ParseContext = {
    isKnownServer: (n) => set.has(n.toLowerCase()),
    acceptsAnyServer: o.acceptsAnyServer ?? false,
    knownServers: [...set].sort(),
    // Worked out when a test parses, not when its file loads: mutation testing then sees which tests reach domainsOf.
    get knownDomains() {
      return domainsOf(set);
    },
    names: o.names ?? CONSOLE_NAMES,
    groups: o.groups ?? [],
  };
  if (o.defaultServer) ctx.defaultServer = o.defaultServer;
  return ctx;
}

/**
 * The two ways the grammar tests read a line: `ok` parses it (a failure throws with the message),
 * `err` expects it refused with the verb's usage beside the message, and returns the message.
 */
export function lineParsers(fallback: ParseContext): { ok: (line: string, c?: ParseContext) => Command; err: (line: string, c?: ParseContext) => string } {
  return {
    ok(line, c = fallback) {
      const r = parseLine(line, c);
      if (!r.ok) throw new Error(`expected "${line}" to parse, got: ${r.error.message}`);
      return r.command;
    },
    err(line, c = fallback) {
      const r = parseLine(line, c);
      if (r.ok) throw new Error(`expected "${line}" to fail, got ${JSON.stringify(r.command)}`);
      if (r.error.usage.length <= 10) throw new Error(`"${line}" was refused without its usage: ${r.error.message}`);
      return r.error.message;
    },
  };
}

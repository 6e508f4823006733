import { CONSOLE_NAMES, type CommandNames } from '../../src/core/command-names.js';
import type { ParseContext } from '../../src/core/grammar/command.js';
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

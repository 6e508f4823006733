import type { ParseContext } from '../../src/core/grammar/command.js';
import { domainsOf } from '../../src/core/grammar/words.js';

/** A grammar context as the bot builds one: known servers, an optional default, and whether any server may be named. */
export function parseContext(known: readonly string[], o: { defaultServer?: string; acceptsAnyServer?: boolean } = {}): ParseContext {
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
  };
  if (o.defaultServer) ctx.defaultServer = o.defaultServer;
  return ctx;
}

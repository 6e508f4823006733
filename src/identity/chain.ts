import type { Caller } from '../core/caller.js';
import type { IdentityHints, IdentityResolution, IdentityResolver } from '../core/ports/identity.js';

const MAP_EXAMPLE: Record<Caller['platform'], (id: string) => string> = {
  slack: (id) => `identities: { slack: { ${id}: DOMAIN\\login } }`,
  discord: (id) => `identities: { discord: { "${id}": DOMAIN\\login } }`,
  console: (id) => `identities: { console: { ${id}: DOMAIN\\login } }`,
};

/**
 * Asks each resolver in turn: the first that answers with an account wins. A refusal from any of
 * them ends the chain and denies (fail closed: a directory that is down must not let the weaker
 * email rule answer instead). When none knows the caller, it denies and says how to get mapped.
 */
export class ResolverChain implements IdentityResolver {
  constructor(private readonly resolvers: readonly IdentityResolver[]) {}

  async resolve(caller: Caller, hints: IdentityHints): Promise<IdentityResolution> {
    const unknown: string[] = [];
    for (const r of this.resolvers) {
      let result: IdentityResolution;
      try {
        result = await r.resolve(caller, hints);
      } catch (e) {
        return { ok: false, kind: 'refused', reason: `the identity lookup failed (${e instanceof Error ? e.message : String(e)})` };
      }
      if (result.ok || result.kind === 'refused') return result;
      unknown.push(result.reason);
    }
    const why = unknown.length ? `: ${unknown.join('; ')}` : ' (no identity resolver is configured)';
    return {
      ok: false,
      kind: 'refused',
      reason: `no Windows account is known for you${why}. An admin can map you in the access file: ${MAP_EXAMPLE[caller.platform](caller.userId)}`,
    };
  }
}

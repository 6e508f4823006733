import type { ServerPattern } from './access-model.js';

const globCache = new Map<string, RegExp>();

function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    globCache.set(glob, re);
  }
  return re;
}

export function isGlob(p: string): boolean {
  return p.includes('*') || p.includes('?');
}

/** Expands `@group` references (groups hold names and globs, not other groups). */
export function expandPatterns(
  patterns: readonly ServerPattern[],
  groups: ReadonlyMap<string, readonly ServerPattern[]>,
): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (p.startsWith('@')) out.push(...(groups.get(p.slice(1)) ?? []));
    else out.push(p);
  }
  return out;
}

export function matchesServer(pattern: string, server: string): boolean {
  const s = server.toLowerCase();
  if (isGlob(pattern)) return globToRegExp(pattern).test(s);
  return pattern.toLowerCase() === s;
}

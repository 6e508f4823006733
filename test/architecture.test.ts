import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports (static and dynamic), as a path from the repository root or a package name. */
export function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)(['"])([^'"]+)\1/gm)) {
    const spec = m[2] as string;
    out.push(spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : spec);
  }
  return out;
}

function violations(dir: string, bad: (target: string) => boolean): string[] {
  return tsFiles(dir).flatMap((f) => importsOf(f).filter(bad).map((t) => `${f} imports ${t}`));
}

describe('layers: app → adapters → core → wts', () => {
  it('adapters reach the core only through src/core/index.ts, and never the backends or the app', () => {
    expect(violations('adapters', (t) => (t.startsWith('src/core/') && t !== 'src/core/index.ts') || t.startsWith('src/wts/') || t.startsWith('src/app/'))).toEqual([]);
  });
  it('the core imports no configuration, app, adapter or I/O module', () => {
    const io = /^node:(?!crypto$)/;
    expect(violations('src/core', (t) => t.startsWith('src/config/') || t.startsWith('src/app/') || t.startsWith('adapters/') || io.test(t))).toEqual([]);
  });
  it('the session backends import neither the core, the configuration nor the app', () => {
    expect(violations('src/wts', (t) => t.startsWith('src/core/') || t.startsWith('src/config/') || t.startsWith('src/app/') || t.startsWith('adapters/'))).toEqual([]);
  });
  it('the identity resolvers take from the core only its identity port and the caller, and nothing from adapters or the app; the core never imports them', () => {
    const allowed = new Set(['src/core/ports/identity.ts', 'src/core/caller.ts']);
    expect(violations('src/identity', (t) => (t.startsWith('src/core/') && !allowed.has(t)) || t.startsWith('adapters/') || t.startsWith('src/app/'))).toEqual([]);
    expect(violations('src/core', (t) => t.startsWith('src/identity/'))).toEqual([]);
    expect(tsFiles('src/identity').length).toBeGreaterThan(5);
  });
  it('the check itself sees a deep import (so it cannot pass by reading nothing)', () => {
    const deep = importsOf('adapters/x/y.ts', "import { Bot } from '../../src/core/bot.js';\nconst m = await import('../../src/wts/session.js');");
    expect(deep).toEqual(['src/core/bot.ts', 'src/wts/session.ts']);
    expect(tsFiles('adapters').length).toBeGreaterThan(10);
  });
});

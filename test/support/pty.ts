import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { CLI } from './cli.js';

/** Debian's `script` (util-linux; package bsdutils): runs a command on a pseudo-terminal of its own. */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Escape sequences and carriage returns removed: the text as a person would read it. */
export function plain(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

export const KEY = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  enter: '\r',
  ctrlC: '\x03',
  ctrlD: '\x04',
  ctrlL: '\x0c',
} as const;

/**
 * The CLI on a pseudo-terminal, driven key by key: `script` gives it a terminal (stdin and stdout are
 * TTYs, 100×40), forwards what is written here as keystrokes and passes the screen output back.
 */
export class PtyCli {
  raw = '';
  private cursor = 0;
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }) {
    const command = `stty cols 100 rows 40; exec "${process.execPath}" "${CLI}" ${args.join(' ')}`;
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: opts.cwd, env: { ...opts.env, SHELL: '/bin/sh' } });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => (this.raw += d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.raw += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** The screen text so far, up to any escape sequence still arriving (so that it only ever grows). */
  get text(): string {
    const partial = /\x1b(\[[0-9;?]*)?$/.exec(this.raw);
    return plain(partial ? this.raw.slice(0, partial.index) : this.raw);
  }

  /**
   * Types `keys` one key at a time, as a person does: readline takes a chunk holding several keys and
   * a return for a paste, inserted as is (no editing keys, no completion).
   */
  async type(keys: string): Promise<void> {
    for (const key of keys.match(/\x1b\[[0-9;]*[A-Za-z~]|\x1bO[A-Z]|[\s\S]/gu) ?? []) {
      this.child.stdin.write(key);
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  /** Waits until the output after the last match matches `re`; returns the text up to and including it. */
  async expect(re: RegExp, timeoutMs = 20_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text;
      const m = re.exec(text.slice(this.cursor));
      if (m) {
        const seen = text.slice(this.cursor, this.cursor + m.index + m[0].length);
        this.cursor += m.index + m[0].length;
        return seen;
      }
      if (Date.now() > until) throw new Error(`timed out waiting for ${String(re)}; the screen after the last match:\n${text.slice(this.cursor)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The next `rwinsta> ` prompt, once the line editor is listening. */
  prompt(): Promise<string> {
    return this.expect(/rwinsta> /);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

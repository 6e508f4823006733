import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_LIMIT = 1000;

export function defaultHistoryPath(): string {
  return join(homedir(), '.rwinsta_history');
}

/**
 * The console's command history, one command a line, oldest first, capped, readable only by its
 * owner (commands name users and carry message texts). Failing to read or write it never stops the console.
 */
export class HistoryFile {
  private warned = false;

  constructor(
    readonly path: string,
    readonly limit = HISTORY_LIMIT,
    private readonly warn: (text: string) => void = () => undefined,
  ) {}

  /** Newest first, as readline keeps it. */
  load(): string[] {
    try {
      return readFileSync(this.path, 'utf8').split('\n').filter((l) => l.trim() !== '').slice(-this.limit).reverse();
    } catch {
      return [];
    }
  }

  /** `history` is newest first, as readline keeps it. */
  save(history: readonly string[]): void {
    try {
      const lines = history.slice(0, this.limit).reverse();
      writeFileSync(this.path, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
      chmodSync(this.path, 0o600);
    } catch (e) {
      if (this.warned) return;
      this.warned = true;
      this.warn(`(command history not saved: ${(e as NodeJS.ErrnoException).code ?? String(e)} on ${this.path})`);
    }
  }
}

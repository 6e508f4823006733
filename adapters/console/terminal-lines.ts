import { createInterface, type Interface } from 'node:readline';
import type { Completion } from './completer.js';
import { HISTORY_LIMIT, type HistoryFile } from './history-file.js';
import type { Input, LineSource } from './line-source.js';

/** readline keeps these, undeclared in its types: the history (newest first) and clearLine (as Node's REPL uses). */
interface ReadlineInternals {
  history: string[];
  clearLine(): void;
}

interface Pending {
  mode: 'command' | 'answer';
  resolve: (input: Input) => void;
}

const EXIT_HINT = '(To leave, press Ctrl-C again or Ctrl-D, or type exit)\n';

/**
 * A terminal: Node's line editor (history with the arrow keys, kept in a file; editing keys; Ctrl-L
 * clears the screen; Tab completes). Ctrl-C at the main prompt clears the line, and a second one in a
 * row on an empty line ends the console, as does Ctrl-D on an empty line. Ctrl-C at `Proceed?` is
 * returned to the console (which cancels), and a Ctrl-C while a command runs goes to its handler.
 */
export class TerminalLines implements LineSource {
  private readonly rl: Interface;
  private pending: Pending | undefined;
  /** Lines entered while a command was running, for the next command prompts. */
  private readonly typedAhead: string[] = [];
  private lastKeyWasCtrlC = false;
  private closed = false;
  private busyHandler: (() => void) | undefined;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
    private readonly history: HistoryFile,
    completer: (line: string) => Promise<Completion>,
  ) {
    this.rl = createInterface({
      input,
      output,
      terminal: true,
      history: history.load(),
      historySize: HISTORY_LIMIT,
      completer: (line: string, callback: (err: Error | null, result: Completion) => void) => {
        completer(line).then(
          (r) => callback(null, r),
          () => callback(null, [[], line]),
        );
      },
    });
    this.rl.on('line', (line) => this.onLine(line));
    this.rl.on('SIGINT', () => this.onCtrlC());
    this.rl.on('close', () => {
      this.closed = true;
      this.settle({ kind: 'eof' });
    });
    input.on('keypress', (_s: string | undefined, key: { ctrl?: boolean; name?: string } | undefined) => {
      if (!(key?.ctrl && key.name === 'c')) this.lastKeyWasCtrlC = false;
    });
  }

  command(prompt: string): Promise<Input> {
    const ahead = this.typedAhead.shift();
    if (ahead !== undefined) {
      this.history.save(this.internals.history);
      return Promise.resolve({ kind: 'line', text: ahead });
    }
    return this.read('command', prompt);
  }

  answer(prompt: string): Promise<Input> {
    return this.read('answer', prompt);
  }

  onInterruptWhileBusy(handler: (() => void) | undefined): void {
    this.busyHandler = handler;
  }

  close(): void {
    if (!this.closed) this.rl.close();
  }

  private get internals(): ReadlineInternals {
    return this.rl as unknown as ReadlineInternals;
  }

  private read(mode: Pending['mode'], prompt: string): Promise<Input> {
    if (this.closed) return Promise.resolve({ kind: 'eof' });
    return new Promise<Input>((resolve) => {
      this.pending = { mode, resolve };
      this.rl.setPrompt(prompt);
      this.rl.prompt(true);
    });
  }

  private settle(input: Input): Pending | undefined {
    const p = this.pending;
    this.pending = undefined;
    p?.resolve(input);
    return p;
  }

  private onLine(line: string): void {
    const mode = this.pending?.mode;
    if (mode === 'answer') {
      // An answer is not a command: keep it out of the history.
      if (this.internals.history[0] === line) this.internals.history.shift();
    } else if (mode === 'command') {
      this.history.save(this.internals.history);
    }
    if (mode) this.settle({ kind: 'line', text: line });
    else this.typedAhead.push(line);
  }

  private onCtrlC(): void {
    const again = this.lastKeyWasCtrlC;
    this.lastKeyWasCtrlC = true;
    const mode = this.pending?.mode;
    if (mode === undefined) {
      this.busyHandler?.();
      return;
    }
    if (mode === 'answer') {
      this.output.write('\n');
      this.settle({ kind: 'interrupt' });
      return;
    }
    const empty = this.rl.line.length === 0;
    this.internals.clearLine();
    if (!empty) {
      this.lastKeyWasCtrlC = false;
    } else if (again) {
      this.settle({ kind: 'eof' });
      return;
    } else {
      this.output.write(EXIT_HINT);
    }
    this.rl.prompt(true);
  }
}

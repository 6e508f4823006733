import { createInterface, type Interface } from 'node:readline';

/** What a read at a prompt ends in: a line, the end of input (Ctrl-D, a closed pipe), or Ctrl-C. */
export type Input = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' };

/** Where the console's lines come from: a terminal with a line editor, or a pipe. */
export interface LineSource {
  /** A command at the main prompt. Ctrl-C there is handled by the source (it clears the line). */
  command(prompt: string): Promise<Input>;
  /** The answer to `Proceed? [y/N]`; not kept in the history. */
  answer(prompt: string): Promise<Input>;
  /** Called when Ctrl-C is typed while no read is waiting, i.e. while a command runs. */
  onInterruptWhileBusy(handler: (() => void) | undefined): void;
  close(): void;
}

/**
 * Piped input, as before the line editor: prompts are written and lines read in order; lines piped
 * ahead of a prompt are buffered, so none is lost.
 */
export class PipedLines implements LineSource {
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;

  constructor(
    input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    this.rl = createInterface({ input, terminal: false });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  command(prompt: string): Promise<Input> {
    return this.read(prompt);
  }

  answer(prompt: string): Promise<Input> {
    return this.read(prompt);
  }

  onInterruptWhileBusy(): void {
    // A pipe carries no keys: Ctrl-C reaches the process as SIGINT, which the console handles.
  }

  close(): void {
    this.rl.close();
  }

  private async read(prompt: string): Promise<Input> {
    this.output.write(prompt);
    const next = await this.lines.next();
    return next.done ? { kind: 'eof' } : { kind: 'line', text: next.value };
  }
}

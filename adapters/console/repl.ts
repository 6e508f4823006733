import { renderText, splitVerb, type Bot, type Reply } from '../../src/core/index.js';
import { complete } from './completer.js';
import { consoleCaller } from './console-caller.js';
import { progressLines } from './progress-lines.js';
import { defaultHistoryPath, HistoryFile } from './history-file.js';
import { PipedLines, type LineSource } from './line-source.js';
import { SessionCache } from './session-cache.js';
import { TerminalLines } from './terminal-lines.js';

export interface ReplOptions {
  user: string;
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
  banner: string;
  /** Where a terminal's command history is kept; ~/.rwinsta_history by default. */
  historyFile?: string;
}

/** The console ended because Ctrl-C stopped a running command: exit at once with 130, as a shell would. */
export const INTERRUPTED_EXIT_CODE = 130;

const PROMPT = 'rwinsta> ';
const CONFIRM_PROMPT = 'Proceed? [y/N] ';
const INTERRUPT_REASON = 'interrupted by Ctrl-C at the console before the outcome was known';

function lineSource(bot: Bot, o: ReplOptions, user: string): LineSource {
  if (!o.input.isTTY) return new PipedLines(o.input, o.output);
  const cache = new SessionCache(bot, consoleCaller(user, 'tty'));
  const history = new HistoryFile(o.historyFile ?? defaultHistoryPath(), undefined, (text) => void o.output.write(`${text}\n`));
  return new TerminalLines(o.input, o.output, history, (line) => complete(line, { servers: () => bot.knownServers(), sessions: (s) => cache.sessions(s) }));
}

/**
 * The interactive console: the same grammar, policy and confirmations as the chat adapters. Resolves
 * with the exit code: 0, or INTERRUPTED_EXIT_CODE when Ctrl-C (or SIGINT/SIGTERM) stopped a command,
 * after the audit log has recorded what was cut short.
 */
export async function runRepl(bot: Bot, o: ReplOptions): Promise<number> {
  const caller = consoleCaller(o.user, 'tty');
  const lines = lineSource(bot, o, o.user);
  const write = (text: string): void => void o.output.write(text);
  const render = (reply: Reply): string => `${renderText(reply, { timeZone: bot.settings.timeZone })}\n`;

  let pendingConfirmation: string | undefined;
  let stop: ((code: number) => void) | undefined;
  const stopped = new Promise<number>((resolve) => (stop = resolve));
  let stopping = false;
  /** Ctrl-C while a command runs, or a signal: record what was cut short, then end. */
  const interrupt = (): void => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      if (pendingConfirmation) await bot.cancel(pendingConfirmation, caller).catch(() => undefined);
      const n = await bot.interruptInFlight(INTERRUPT_REASON).catch(() => 0);
      write(`\nInterrupted${n ? `: the audit log records ${n === 1 ? 'the action' : `${n} actions`} in progress as interrupted; check with qwinsta what was done` : ''}.\n`);
      stop?.(INTERRUPTED_EXIT_CODE);
    })();
  };
  const onSignal = (): void => interrupt();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  /** Runs a bot call, or gives up on it when Ctrl-C stops the console meanwhile. */
  const busy = async (work: Promise<Reply>): Promise<Reply | undefined> => {
    lines.onInterruptWhileBusy(interrupt);
    try {
      return await Promise.race([work, stopped.then(() => undefined)]);
    } finally {
      lines.onInterruptWhileBusy(undefined);
    }
  };

  const loop = async (): Promise<number> => {
    write(`${o.banner}\n`);
    for (;;) {
      const input = await lines.command(PROMPT);
      if (input.kind !== 'line') break;
      const trimmed = input.text.trim();
      if (trimmed === '') continue;
      if (['exit', 'quit', '/exit', '/quit'].includes(trimmed.toLowerCase())) break;
      const { verbWord, rest } = splitVerb(trimmed);
      const reply = await busy(bot.handle({ caller, verb: verbWord, text: rest, onProgress: progressLines((line) => write(`${line}\n`)) }));
      if (!reply) return INTERRUPTED_EXIT_CODE;
      write(render(reply));
      if (!reply.confirmation) continue;
      pendingConfirmation = reply.confirmation.id;
      const answer = await lines.answer(CONFIRM_PROMPT);
      if (stopping) return INTERRUPTED_EXIT_CODE;
      // Ctrl-D or Ctrl-C at the prompt cancels; the reply starts on a line of its own.
      if (answer.kind === 'eof' && o.input.isTTY) write('\n');
      const confirmed = answer.kind === 'line' && /^(y|yes)$/i.test(answer.text.trim());
      pendingConfirmation = undefined;
      const result = await busy(confirmed ? bot.confirm(reply.confirmation.id, caller) : bot.cancel(reply.confirmation.id, caller));
      if (!result) return INTERRUPTED_EXIT_CODE;
      write(render(result));
      if (answer.kind === 'eof') break;
    }
    write('\n');
    return 0;
  };

  try {
    return await Promise.race([loop(), stopped]);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    lines.close();
  }
}

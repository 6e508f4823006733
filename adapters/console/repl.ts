import { createInterface } from 'node:readline';
import { renderText, splitVerb, type Bot, type Reply } from '../../src/core/index.js';
import { consoleCaller } from './console-caller.js';

export interface ReplOptions {
  user: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  banner: string;
}

const PROMPT = 'rwinsta> ';

/** The interactive console: the same grammar, policy and confirmations as the chat adapters. */
export async function runRepl(bot: Bot, o: ReplOptions): Promise<void> {
  const caller = consoleCaller(o.user, 'tty');
  const rl = createInterface({ input: o.input, terminal: false });
  // The iterator buffers lines typed (or piped) ahead of the prompt, so none is lost.
  const lines = rl[Symbol.asyncIterator]();
  const write = (text: string): void => void o.output.write(text);
  const read = async (prompt: string): Promise<string | undefined> => {
    write(prompt);
    const next = await lines.next();
    return next.done ? undefined : next.value;
  };
  const render = (reply: Reply): string => `${renderText(reply, { timeZone: bot.settings.timeZone })}\n`;
  write(`${o.banner}\n`);
  for (;;) {
    const line = await read(PROMPT);
    if (line === undefined) break;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (['exit', 'quit', '/exit', '/quit'].includes(trimmed.toLowerCase())) break;
    const { verbWord, rest } = splitVerb(trimmed);
    const reply = await bot.handle({ caller, verb: verbWord, text: rest });
    write(render(reply));
    if (!reply.confirmation) continue;
    const answer = await read('Proceed? [y/N] ');
    const confirmed = answer !== undefined && /^(y|yes)$/i.test(answer.trim());
    const result = confirmed ? await bot.confirm(reply.confirmation.id, caller) : await bot.cancel(reply.confirmation.id, caller);
    write(render(result));
    if (answer === undefined) break;
  }
  write('\n');
  rl.close();
}

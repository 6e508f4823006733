import { exitCodeOf, renderText, splitVerb, type Bot, type Reply } from '../../src/core/index.js';
import { consoleCaller } from './console-caller.js';
import { progressLines } from './progress-lines.js';

export interface ExecResult {
  output: string;
  exitCode: number;
}

/**
 * `rwinsta-bot exec --as <name> [--yes] "<command>"`: one command, its text, and an exit code.
 * Without --yes a command that needs confirmation is not run (exit 5) and its confirmation is cancelled.
 */
export async function execCommand(bot: Bot, opts: { as: string; yes: boolean; command: string; stream?: (line: string) => void }): Promise<ExecResult> {
  const caller = consoleCaller(opts.as, 'exec');
  const { verbWord, rest } = splitVerb(opts.command);
  const onProgress = opts.stream ? progressLines(opts.stream) : undefined;
  let reply: Reply = await bot.handle({ caller, verb: verbWord || 'help', text: verbWord ? rest : '', ...(onProgress ? { onProgress } : {}) });
  const parts: string[] = [];
  if (reply.confirmation) {
    if (opts.yes) {
      parts.push(renderText(reply, { timeZone: bot.settings.timeZone }), '', 'Confirmed by --yes.', '');
      reply = await bot.confirm(reply.confirmation.id, caller);
    } else {
      await bot.cancel(reply.confirmation.id, caller);
      parts.push(renderText(reply, { timeZone: bot.settings.timeZone }), '', 'Not done: this needs confirmation. Run it again with --yes to confirm.');
      return { output: parts.join('\n'), exitCode: exitCodeOf('confirm') };
    }
  }
  parts.push(renderText(reply, { timeZone: bot.settings.timeZone }));
  return { output: parts.join('\n'), exitCode: exitCodeOf(reply.status) };
}

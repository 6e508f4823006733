import type { Action, ActingAction } from './actions.js';
import type { ActionCommand, Command } from './grammar/command.js';
import { specOf } from './verbs/table.js';

/** The action a command needs: a listing needs `query` whatever verb asked for it. */
export function actionOf(cmd: Command): Action {
  if (cmd.kind === 'help' || cmd.kind === 'list' || cmd.kind === 'find') return 'query';
  if (cmd.kind === 'self') return cmd.action;
  return actingActionOf(cmd);
}

export function actingActionOf(cmd: ActionCommand): ActingAction {
  const acting = specOf(cmd.verb).acting;
  if (!acting) throw new Error(`${cmd.verb} has no acting spec for a ${cmd.kind} command`);
  return acting.action;
}

export function isActionCommand(cmd: Command): cmd is ActionCommand {
  return cmd.kind === 'logoff' || cmd.kind === 'bulk-logoff' || cmd.kind === 'disconnect' || cmd.kind === 'message';
}

/** True when the command is known to touch several sessions before the server is read. */
export function isMultiTarget(cmd: Command): boolean {
  if (!isActionCommand(cmd)) return false;
  return cmd.kind === 'bulk-logoff' || cmd.target.kind === 'ids' || cmd.target.kind === 'every';
}

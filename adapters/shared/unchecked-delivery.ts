import { randomBytes } from 'node:crypto';
import { MAX_AUDIT_COMMAND, specOf, verbNamed, type AuditRecord, type AuditSink, type Bot, type Caller, type Logger, type Reply, type StateUnavailable } from '../../src/core/index.js';

export type DeliveryKind = 'command' | 'button' | 'autocomplete';

/** Whether the verb a command was typed with changes sessions (rwinsta, tsdiscon, msg). */
export function actsOnSessions(verbWord: string): boolean {
  const verb = verbNamed(verbWord);
  return verb !== undefined && specOf(verb).acting !== undefined;
}

/**
 * Whether a delivery may go on when its replay check could not reach the shared store (so it may
 * be a repeat, handled already here or on another instance):
 * - autocomplete, and a command of a verb that only reads (qwinsta, quser, help, or a name the core
 *   will answer with usage): yes. A repeat costs one more answer, and queries must still answer
 *   while the store is away.
 * - a command of a verb that acts (rwinsta, tsdiscon, msg): no. Some actions need the store on their
 *   way (a confirmation, the rate limit) and would be refused there, but not all (a message, a /f
 *   logoff without a rate limit): a repeat of those would act twice.
 * - a Confirm or Cancel press: yes. Its claim is one atomic step in the store, so the core refuses it
 *   while the store is away, and a repeat once the store is back finds the confirmation claimed.
 */
export function uncheckedMayProceed(kind: DeliveryKind, verbWord = ''): boolean {
  return kind !== 'command' || !actsOnSessions(verbWord);
}

/**
 * The refusal of a command that would act and could not be checked against a repeat, worded as the
 * core words every refusal for want of the store (src/core/replies.ts), and audited like one.
 */
export async function refuseUnchecked(o: { bot: Bot; audit: AuditSink | undefined; log: Logger; caller: Caller; command: string; error: StateUnavailable }): Promise<Reply> {
  const requestId = randomBytes(12).toString('base64url');
  const verb = verbNamed(o.command.trim().split(/\s+/)[0] ?? '');
  const record: AuditRecord = {
    time: new Date().toISOString(),
    requestId,
    platform: o.caller.platform,
    userId: o.caller.userId,
    userName: o.caller.userName,
    command: o.command.slice(0, MAX_AUDIT_COMMAND),
    decision: 'failed',
    detail: `state store unavailable, so the delivery could not be checked against a repeat: ${o.error.message}`,
    outcome: 'not-performed',
    durationMs: 0,
    simulated: o.bot.simulated,
  };
  if (o.command.length > MAX_AUDIT_COMMAND) record.commandLength = o.command.length;
  if (verb) record.verb = verb;
  if (o.caller.channel !== undefined) record.channel = o.caller.channel;
  try {
    await o.audit?.append(record);
  } catch (e) {
    o.log.error(`audit: could not write the refusal of request ${requestId} (${e instanceof Error ? e.message : String(e)}); command: ${o.command.slice(0, 200)}`);
  }
  return {
    requestId,
    status: 'failed',
    summary: `Refused: the shared state store cannot be reached (${o.error.message}), so nothing was done.`,
    sections: [{ kind: 'text', text: 'Actions and confirmations wait for it (RWINSTA_STATE_URL); queries still answer. It recovers by itself when the store is back: try again in a moment.' }],
    private: true,
    simulated: o.bot.simulated,
  };
}

import type { Caller } from './caller.js';
import type { CommandNames } from './command-names.js';
import type { Verb } from './grammar/command.js';

/** One request as the audit trail knows it: who, what they typed, when it started. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  command: string;
  startedAt: number;
  verb?: Verb;
  /** How commands are typed where the caller is (for examples in replies). */
  names: CommandNames;
}

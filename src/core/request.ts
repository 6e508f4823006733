import type { Caller } from './caller.js';
import type { CommandNames } from './command-names.js';
import type { Verb } from './grammar/command.js';
import type { Participant } from './participants.js';

/** One request as the audit trail knows it: who, what they typed, when it started. */
export interface RequestContext {
  requestId: string;
  caller: Caller;
  command: string;
  startedAt: number;
  verb?: Verb;
  /** How commands are typed where the caller is (for examples in replies). */
  names: CommandNames;
  /** The `/reason` given: stored in every audit record of the request. */
  reason?: string;
  /** Who has taken part so far (requested, confirmed, approved), for the outcome and its records. */
  participants?: Participant[];
}

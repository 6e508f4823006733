import type { Action, ActingAction } from '../actions.js';
import type { Collected } from '../grammar/collect.js';
import type { Command, ParseContext, Verb } from '../grammar/command.js';
import type { Plan } from '../plan.js';
import type { SwitchName } from './switches.js';

export interface UsageLine {
  /** `rwinsta <server> <session> [/v] [/f]` */
  form: string;
  /** What that form does, in a few words. */
  says: string;
}

/** How an acting verb's plans are worded, and when they ask first. */
export interface ActingSpec {
  action: ActingAction;
  /** `Log off session 3 … on rds01` */
  label: string;
  /** `Logged off session 3 …` */
  done: string;
  /** `session 0 … is never logged off` */
  never: string;
  /** What the person confirming should know will happen. */
  consequence(plan: Plan): string;
  /** Whether the plan asks its requester to confirm first. */
  confirm(plan: Plan): boolean;
}

/** What a chat platform shows for the verb: its slash command, and the options of typed platforms. */
export interface ChatSpec {
  /** Default slash command (Slack's can be renamed; `/msg` is Slack's own, so msg is `/rdmsg` there). */
  slash: string;
  slackSlash?: string;
  hint: string;
  /** The typed option that names the sessions or user, if the verb has one. */
  target?: { option: 'session' | 'user'; description: string };
  /** The verb takes free text (msg). */
  text?: { description: string; maxLength: number };
}

/** One verb, described once: everything else (grammar, help, policy, replies, chat) reads this. */
export interface VerbSpec {
  verb: Verb;
  /** What people type, canonical first: `rwinsta`, `reset session`, `logoff`. */
  names: readonly string[];
  summary: string;
  switches: readonly SwitchName[];
  takesText: boolean;
  usage: readonly UsageLine[];
  details: string;
  /** The action the verb's commands need (a listing needs `query` whatever the verb). */
  action: Action;
  acting?: ActingSpec;
  chat?: ChatSpec;
  parse(c: Collected, ctx: ParseContext): Command;
}

import type { SessionState } from '../../wts/session.js';

/** The verbs users type, after aliases (`reset session`, `logoff` → rwinsta; `query`, `quser` → qwinsta). */
export type Verb = 'rwinsta' | 'qwinsta' | 'tsdiscon' | 'msg' | 'help';

/** What a command points at on one server. */
export type Target =
  | { kind: 'id'; id: number }
  | { kind: 'ids'; ids: number[] }
  /** `msg <server> *`: every user session. */
  | { kind: 'every' }
  /** A session name (`RDP-Tcp#7`, `console`) or a user name: resolved against the server's sessions. */
  | { kind: 'name'; name: string }
  /** A user name with a domain (`CORP\jdoe`) or a wildcard (`j*`): never a session name. */
  | { kind: 'user'; user: string; domain?: string };

export interface Switches {
  verbose: boolean;
  force: boolean;
}

export type Command =
  | { kind: 'help'; topic?: Verb }
  | { kind: 'list'; server: string; filter?: Target; state?: SessionState; verbose: boolean }
  | { kind: 'find'; user: Extract<Target, { kind: 'name' | 'user' }>; state?: SessionState; verbose: boolean }
  | ({ kind: 'logoff'; server: string; target: Target } & Switches)
  | ({ kind: 'bulk-logoff'; server: string; scope: 'disconnected' | 'all' } & Switches)
  | ({ kind: 'disconnect'; server: string; target: Target } & Switches)
  | ({
      kind: 'message';
      server: string;
      target: Target;
      text: string;
      /** Seconds the message box stays up; 0 means until dismissed. */
      timeSeconds: number;
      /** `/w`: wait for the user to press OK. */
      wait: boolean;
    } & Switches);

export type ActionCommand = Extract<Command, { kind: 'logoff' | 'bulk-logoff' | 'disconnect' | 'message' }>;

export interface UsageError {
  message: string;
  /** The usage line(s) of the verb, shown under the message. */
  usage: string;
}

export type ParseResult = { ok: true; command: Command } | { ok: false; error: UsageError };

/** What the grammar may ask of the world: which words are servers, and the default server. */
export interface ParseContext {
  isKnownServer(name: string): boolean;
  defaultServer?: string;
}

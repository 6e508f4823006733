import type { SessionState } from '../../wts/session.js';
import type { SelfServiceAction } from '../actions.js';
import type { AgeFilter } from '../age-filter.js';
import type { CommandNames } from '../command-names.js';

/** The verbs, after aliases: `reset session` and `logoff` are rwinsta, `query session` qwinsta, `query user` quser, `query process` qprocess. */
export type Verb = 'rwinsta' | 'qwinsta' | 'quser' | 'qprocess' | 'tsdiscon' | 'msg' | 'help';

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

export type UserTarget = Extract<Target, { kind: 'name' | 'user' }>;

export interface Switches {
  verbose: boolean;
  force: boolean;
  /** `/reason:"INC0012345 user stuck"`: why, or the ticket; stored in every audit record of the request. */
  reason?: string;
}

/** Microsoft's qwinsta display switches for settings that Remote Desktop sessions have none of, or the bot does not read. */
export type SettingsSwitch = 'mode' | 'flow' | 'connect' | 'vm';

/** How a listing is laid out: qwinsta's own table, or quser's (user sessions only). */
export type Layout = 'qwinsta' | 'quser';

export type Command =
  | { kind: 'help'; verb: 'help'; topic?: Verb }
  | { kind: 'list'; verb: Verb; layout: Layout; server: string; filter?: Target; state?: SessionState; age?: AgeFilter; verbose: boolean; counters?: boolean; settings?: SettingsSwitch[] }
  /** A user on every server the caller may query, or every session of a server group (`@farm`). */
  | {
      kind: 'find';
      verb: Verb;
      layout: Layout;
      user?: UserTarget;
      group?: string;
      state?: SessionState;
      age?: AgeFilter;
      verbose: boolean;
      fresh: boolean;
      counters?: boolean;
      settings?: SettingsSwitch[];
    }
  /**
   * qprocess: the programs in the sessions `target` names (`*`: every session; a lone ID that no session
   * has: the one process with that PID), or every process of the program `image` (`WINWORD.EXE`).
   */
  | { kind: 'processes'; verb: Verb; server: string; target?: Target; image?: string; system: boolean }
  | ({ kind: 'logoff'; verb: Verb; server: string; target: Target } & Switches)
  | ({ kind: 'bulk-logoff'; verb: Verb; server: string; scope: 'disconnected' | 'all'; age?: AgeFilter } & Switches)
  /** With `age` the target is `every`: each connected user session passing the filter. */
  | ({ kind: 'disconnect'; verb: Verb; server: string; target: Target; age?: AgeFilter } & Switches)
  | SelfCommand
  | ({
      kind: 'message';
      verb: Verb;
      server: string;
      target: Target;
      text: string;
      /** Seconds the message box stays up (Microsoft's /time, default 60). */
      timeSeconds: number;
      /** `/w`: wait for the user to press OK. */
      wait: boolean;
    } & Switches);

/** `rwinsta me`, `tsdiscon me rds01 3`, `qwinsta me`: the caller's own sessions (self-service). */
export interface SelfCommand {
  kind: 'self';
  verb: Verb;
  action: SelfServiceAction;
  layout: Layout;
  server?: string;
  id?: number;
  verbose: boolean;
}

export type ActionCommand = Extract<Command, { kind: 'logoff' | 'bulk-logoff' | 'disconnect' | 'message' }>;

export interface UsageError {
  message: string;
  /** The usage line(s) of the verb, shown under the message. */
  usage: string;
}

export type ParseResult = { ok: true; command: Command } | { ok: false; error: UsageError };

/** What the grammar may ask of the world: which words are servers, and the default server. */
export interface ParseContext {
  /** Named by the backend, the access file or a grant's glob: a word naming one is read as a server. */
  isKnownServer(name: string): boolean;
  /** The caller's grants reach any server (`*`): a valid name the bot does not know may still be one. */
  acceptsAnyServer: boolean;
  /** Servers known by name, for "not a server this bot knows; servers: …". */
  knownServers: readonly string[];
  /** Domains of the known dotted names: `rds09.corp` is a server when `rds01.corp` is known. */
  knownDomains: ReadonlySet<string>;
  defaultServer?: string;
  /** The access file's server groups, for `qwinsta @farm`. */
  groups: readonly string[];
  /** How commands are typed where the caller is, for the examples in errors. */
  names: CommandNames;
}

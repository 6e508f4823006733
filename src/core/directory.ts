import type { SessionBackend } from '../wts/backend.js';
import type { Action, Permission } from './actions.js';
import type { Caller } from './caller.js';
import { CONSOLE_NAMES, type CommandNames } from './command-names.js';
import type { ParseContext } from './grammar/command.js';
import { domainsOf } from './grammar/words.js';
import type { Policy } from './policy/policy.js';
import type { BotSettings } from './settings.js';

/**
 * The servers the bot knows and who may see which: what the grammar asks (is this word a server?)
 * and what adapters read for hints and autocomplete (never instead of the bot's own checks).
 */
export class ServerDirectory {
  /** Fixed for the bot's life: the backend's servers and the access file do not change under it. */
  private readonly known: readonly string[];
  private readonly knownSet: ReadonlySet<string>;
  private readonly domains: ReadonlySet<string>;
  private readonly covered = new Map<string, boolean>();

  constructor(
    private readonly backend: SessionBackend,
    private readonly policy: Policy,
    private readonly settings: BotSettings,
  ) {
    const names = new Set<string>([...backend.knownServers(), ...policy.namedServers()].map((s) => s.toLowerCase()));
    if (settings.defaultServer) names.add(settings.defaultServer.toLowerCase());
    this.known = [...names].sort();
    this.knownSet = new Set(this.known);
    this.domains = domainsOf(this.known);
  }

  /** Servers known by name: the backend's, the access file's, and the default server. */
  knownServers(): string[] {
    return [...this.known];
  }

  /** Known by name, or covered by a grant's glob (`rds*`), but not merely by `*`. */
  isKnown(name: string): boolean {
    const key = name.toLowerCase();
    if (this.knownSet.has(key)) return true;
    let c = this.covered.get(key);
    if (c === undefined) {
      c = this.policy.coversServer(key);
      if (this.covered.size < 10_000) this.covered.set(key, c);
    }
    return c;
  }

  /** How the grammar reads words for this caller. */
  parseContextFor(caller: Caller, names: CommandNames = CONSOLE_NAMES): ParseContext {
    const ctx: ParseContext = {
      names,
      isKnownServer: (n) => this.isKnown(n),
      acceptsAnyServer: this.policy.reachesAnyServer(caller),
      knownServers: this.known,
      knownDomains: this.domains,
      groups: this.policy.groupNames(),
    };
    if (this.settings.defaultServer) ctx.defaultServer = this.settings.defaultServer.toLowerCase();
    return ctx;
  }

  /** Known servers the caller may do `action` on, for find-user and autocomplete. */
  permitted(caller: Caller, action: Action = 'query'): string[] {
    return this.known.filter((s) => this.policy.authorize(caller, action, s).allowed);
  }

  /** Known servers in a server group (its names, and its globs matched against the known ones). */
  groupServers(group: string): string[] {
    return this.known.filter((s) => this.policy.groupCovers(group, s));
  }

  /** Known servers self-service covers (its names, globs and groups matched against the known ones). */
  selfServiceServers(): string[] {
    return this.known.filter((s) => this.policy.selfServiceCovers(s));
  }

  allows(caller: Caller, permission: Permission, server: string): boolean {
    return this.policy.authorize(caller, permission, server).allowed;
  }

}

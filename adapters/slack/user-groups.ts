import type { Logger } from '../../src/core/index.js';
import { describeError, type WebClient } from './web-client.js';

interface Entry {
  members: ReadonlySet<string>;
  expiresAt: number;
}

/**
 * Which of the access file's Slack user groups a user belongs to, from usergroups.users.list,
 * cached per group for a TTL. Only groups the access file names are looked up. A failed lookup
 * counts as "not a member" (deny by default) and is retried on the next request.
 */
export class UserGroupDirectory {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    private readonly client: WebClient,
    private readonly groups: readonly string[],
    private readonly ttlMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async groupsOf(userId: string): Promise<string[]> {
    const lists = await Promise.all(this.groups.map(async (g) => [g, await this.members(g)] as const));
    return lists.filter(([, members]) => members.has(userId)).map(([g]) => g);
  }

  private members(group: string): Promise<ReadonlySet<string>> {
    const hit = this.cache.get(group);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.members);
    let pending = this.inFlight.get(group);
    if (!pending) {
      pending = this.fetch(group).finally(() => this.inFlight.delete(group));
      this.inFlight.set(group, pending);
    }
    return pending;
  }

  private async fetch(group: string): Promise<ReadonlySet<string>> {
    try {
      const r = await this.client.usergroups.users.list({ usergroup: group });
      const members = new Set(r.users ?? []);
      this.cache.set(group, { members, expiresAt: this.now() + this.ttlMs });
      return members;
    } catch (e) {
      this.log.warn(`slack: usergroups.users.list for ${group} failed (${describeError(e)}); its members get no role from it until a lookup succeeds`);
      return new Set();
    }
  }
}

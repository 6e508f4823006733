import type { IdentityHints, Logger } from '../../src/core/index.js';
import { describeError, platformError, type WebClient } from './web-client.js';

/** The scopes users.info needs to return a person's email; the manifest asks for them when self-service uses email. */
export const EMAIL_SCOPES = ['users:read', 'users:read.email'] as const;

const REINSTALL = "add it to the app's manifest (oauth_config.scopes.bot; `rwinsta-bot slack manifest` prints one) or under OAuth & Permissions, then reinstall the app";

interface Entry {
  email: string | undefined;
  expiresAt: number;
}

/**
 * A Slack user's email from users.info (scopes users:read and users:read.email), for the identity
 * resolvers that work from email. Kept for a short TTL; a failed lookup is not kept, and rejects with
 * a sentence an admin can act on (the resolver then refuses: fail closed).
 */
export class SlackEmailLookup {
  private readonly cache = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: WebClient,
    private readonly ttlMs: number,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 5_000,
  ) {}

  /** What the adapter hands the core for this caller: the email, fetched only if a resolver asks. */
  hintsFor(userId: string): IdentityHints {
    return { email: () => this.email(userId) };
  }

  email(userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit && hit.expiresAt > this.now()) return Promise.resolve(hit.email);
    let pending = this.inFlight.get(userId);
    if (!pending) {
      pending = this.fetch(userId).finally(() => this.inFlight.delete(userId));
      this.inFlight.set(userId, pending);
    }
    return pending;
  }

  private async fetch(userId: string): Promise<string | undefined> {
    let user: Awaited<ReturnType<WebClient['users']['info']>>['user'];
    try {
      user = (await this.client.users.info({ user: userId })).user;
    } catch (e) {
      const code = platformError(e);
      const reason =
        code === 'missing_scope'
          ? `the Slack app lacks the ${neededScope(e)} scope that users.info needs: ${REINSTALL}`
          : code === 'user_not_found'
            ? `Slack does not know user ${userId}`
            : `Slack's users.info failed (${describeError(e)})`;
      this.log.warn(`slack: email lookup for ${userId}: ${reason}`);
      throw new Error(reason);
    }
    if (user?.deleted) throw new Error(`Slack user ${userId} is deactivated`);
    // A bot has no email: that is no lookup failure, the next resolver decides.
    const email = user?.is_bot ? undefined : user?.profile?.email;
    if (!email && !user?.is_bot) {
      const reason = `Slack gave no email for ${userId}: the app needs the users:read.email scope: ${REINSTALL}`;
      this.log.warn(`slack: ${reason}`);
      throw new Error(reason);
    }
    this.cache.delete(userId);
    this.cache.set(userId, { email, expiresAt: this.now() + this.ttlMs });
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.maxEntries) break;
      this.cache.delete(oldest);
    }
    return email;
  }
}

function neededScope(e: unknown): string {
  const needed = (e as { data?: { needed?: unknown } }).data?.needed;
  return typeof needed === 'string' && needed ? needed : EMAIL_SCOPES.join(' and ');
}

import type { Caller } from '../caller.js';

/** A Windows account as Remote Desktop shows it: `CORP\jdoe` is { domain: 'CORP', user: 'jdoe' }. */
export interface WindowsAccount {
  domain: string;
  user: string;
}

/** What an adapter can tell about the caller, fetched only when a resolver needs it. */
export interface IdentityHints {
  /** The caller's email address as the chat platform knows it (Slack users.info); undefined when it has none. */
  email?: () => Promise<string | undefined>;
}

export type IdentityResolution =
  | { ok: true; account: WindowsAccount; source: string }
  /** No resolver in the chain knows this caller: the next one is asked. */
  | { ok: false; kind: 'unknown'; reason: string }
  /** A resolver answered, but not with one account (several entries, a directory down): deny, fail closed. */
  | { ok: false; kind: 'refused'; reason: string };

/** Which Windows account "me" is for a caller (self-service). */
export interface IdentityResolver {
  resolve(caller: Caller, hints: IdentityHints): Promise<IdentityResolution>;
}

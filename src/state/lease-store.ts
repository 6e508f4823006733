/** Who holds a lease: the fencing token it was taken under, and the holder's description. */
export interface LeaseHolder {
  token: number;
  holder: string;
}

export type LeaseAttempt = { ok: true; token: number } | { ok: false; heldBy: LeaseHolder };

/**
 * An exclusive lease the instances sharing a store compete for (Discord's gateway connection), which
 * expires unless renewed. Each taking gets a fencing token larger than every earlier one, and renewal
 * and release act only for the token they were given: a holder that was replaced can neither extend
 * nor free its successor's lease. Every method may reject with StateUnavailable.
 */
export interface LeaseStore {
  /** Takes the lease if it is free. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseAttempt>;
  /**
   * Extends the lease for `ttlMs`; true while it is still this holder's (also when it lapsed while the
   * store was away and no one took it since), false when another instance took it.
   */
  renewLease(name: string, token: number, holder: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease if it is still this holder's. */
  releaseLease(name: string, token: number, holder: string): Promise<void>;
}

/** "<token> <holder>": the lease key's value. */
export function leaseValue(token: number, holder: string): string {
  return `${token} ${holder}`;
}

export function parseLeaseValue(value: string): LeaseHolder {
  const space = value.indexOf(' ');
  return { token: Number(value.slice(0, space)), holder: value.slice(space + 1) };
}

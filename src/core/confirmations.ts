import { callerKey, type Caller } from './caller.js';
import type { Plan } from './plan.js';

export interface PendingConfirmation {
  id: string;
  requester: Caller;
  plan: Plan;
  createdAt: number;
  expiresAt: number;
  requestId: string;
  command: string;
}

export type Claim =
  | { ok: true; pending: PendingConfirmation }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'not-requester'; pending: PendingConfirmation }
  | { ok: false; reason: 'expired'; pending: PendingConfirmation };

/**
 * Pending confirmations, each owned by its requester, single-use and expiring. `claim` removes the
 * entry before returning, synchronously, so a double click can never act twice.
 */
export class ConfirmationStore {
  private readonly pending = new Map<string, PendingConfirmation>();

  constructor(
    private readonly ttlMs: number,
    private readonly newId: () => string,
  ) {}

  create(requester: Caller, plan: Plan, now: number, requestId: string, command: string): PendingConfirmation {
    const p: PendingConfirmation = {
      id: this.newId(),
      requester,
      plan,
      createdAt: now,
      expiresAt: now + this.ttlMs,
      requestId,
      command,
    };
    this.pending.set(p.id, p);
    return p;
  }

  /** Takes the confirmation for `caller`: only its requester may, and only once, before it expires. */
  claim(id: string, caller: Caller, now: number): Claim {
    const p = this.pending.get(id);
    if (!p) return { ok: false, reason: 'unknown' };
    if (callerKey(p.requester) !== callerKey(caller)) return { ok: false, reason: 'not-requester', pending: p };
    this.pending.delete(id);
    if (now >= p.expiresAt) return { ok: false, reason: 'expired', pending: p };
    return { ok: true, pending: p };
  }

  /** Removes and returns every confirmation that has expired by `now`. */
  takeExpired(now: number): PendingConfirmation[] {
    const out: PendingConfirmation[] = [];
    for (const [id, p] of this.pending) {
      if (now >= p.expiresAt) {
        this.pending.delete(id);
        out.push(p);
      }
    }
    return out;
  }

  get size(): number {
    return this.pending.size;
  }
}

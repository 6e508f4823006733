import { callerKey, type Caller } from './caller.js';
import { decode, encode } from './codec.js';
import type { Plan } from './plan.js';
import type { ApprovalRule } from './policy/access-model.js';
import type { StateStore } from './ports/state-store.js';

export interface PendingConfirmation {
  id: string;
  requester: Caller;
  plan: Plan;
  createdAt: number;
  expiresAt: number;
  requestId: string;
  command: string;
  /** The `/reason` given, carried into every record of the request. */
  reason?: string;
  /** Set when the confirmed action then waits for approvers (shown on the prompt). */
  approval?: ApprovalRule;
}

/** What a confirmation carries besides its plan. */
export type ConfirmationExtras = Pick<PendingConfirmation, 'reason' | 'approval'>;

export type Claim =
  | { ok: true; pending: PendingConfirmation }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'not-requester'; pending: PendingConfirmation }
  | { ok: false; reason: 'expired'; pending: PendingConfirmation };

const NS = 'confirm';
/** An expired confirmation stays this long for the sweep to audit it and update its prompt. */
const KEEP_AFTER_EXPIRY_MS = 10 * 60_000;

function parse(text: string): PendingConfirmation {
  return decode<PendingConfirmation>(text, (p, sessions) => sessions(p.plan.sessions));
}

/**
 * Pending confirmations, each owned by its requester, single-use and expiring, kept in the state
 * store so that any instance can act on a press. `claim` takes the entry out of the store (delete,
 * then act): however many presses arrive, on however many instances, one gets it.
 */
export class ConfirmationStore {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs: number,
    private readonly newId: () => string,
  ) {}

  async create(requester: Caller, plan: Plan, now: number, requestId: string, command: string, extras: ConfirmationExtras = {}): Promise<PendingConfirmation> {
    const p: PendingConfirmation = { id: this.newId(), requester, plan, createdAt: now, expiresAt: now + this.ttlMs, requestId, command, ...extras };
    await this.store.put(NS, p.id, encode(p), p.expiresAt, KEEP_AFTER_EXPIRY_MS);
    return p;
  }

  /** Takes the confirmation for `caller`: only its requester may, and only once, before it expires. */
  async claim(id: string, caller: Caller, now: number): Promise<Claim> {
    const seen = await this.store.get(NS, id);
    if (seen === undefined) return { ok: false, reason: 'unknown' };
    const peeked = parse(seen);
    if (callerKey(peeked.requester) !== callerKey(caller)) return { ok: false, reason: 'not-requester', pending: peeked };
    const taken = await this.store.take(NS, id);
    if (taken === undefined) return { ok: false, reason: 'unknown' };
    const p = parse(taken);
    if (now >= p.expiresAt) return { ok: false, reason: 'expired', pending: p };
    return { ok: true, pending: p };
  }

  /** Gives a confirmation back that was taken by mistake (its prompt could not be audited). */
  async discard(id: string): Promise<void> {
    await this.store.take(NS, id);
  }

  /** Takes every confirmation that has expired by `now`: each is returned to exactly one sweeper. */
  async takeExpired(now: number, limit = 100): Promise<PendingConfirmation[]> {
    const out: PendingConfirmation[] = [];
    for (const id of await this.store.due(NS, now, limit)) {
      const taken = await this.store.take(NS, id);
      if (taken !== undefined) out.push(parse(taken));
    }
    return out;
  }

  size(): Promise<number> {
    return this.store.count(NS);
  }
}

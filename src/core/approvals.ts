import type { Caller } from './caller.js';
import { decode, encode } from './codec.js';
import type { Verb } from './grammar/command.js';
import type { Participant } from './participants.js';
import type { Plan } from './plan.js';
import type { ApprovalRule } from './policy/access-model.js';
import type { StateStore } from './ports/state-store.js';

/** An action waiting for its approvers. */
export interface PendingApproval {
  id: string;
  requester: Caller;
  plan: Plan;
  rule: ApprovalRule;
  reason?: string;
  requestId: string;
  command: string;
  verb?: Verb;
  confirmationId?: string;
  createdAt: number;
  expiresAt: number;
  /** Who requested it (and confirmed it), and when. */
  participants: Participant[];
  /** One per approver so far, in order. */
  approvals: Participant[];
  /** `approved` once the last approval is in: the approver who gave it acts, nobody else. */
  state: 'pending' | 'approved';
}

export type NewApproval = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt' | 'approvals' | 'state'>;

/** A pending approval as read, with the exact text stored: the expected value of a compare-and-set. */
export interface Seen {
  raw: string;
  pending: PendingApproval;
}

const NS = 'approval';
/** An expired request stays this long for the sweep to audit it and update its message. */
const KEEP_AFTER_EXPIRY_MS = 10 * 60_000;

function parse(text: string): PendingApproval {
  return decode<PendingApproval>(text, (p, sessions) => sessions(p.plan.sessions));
}

/**
 * Approval requests in the state store (namespace `approval`), shared by every instance. Each
 * approval is added by compare-and-set (swap), so two approvers at once, or a double click, change
 * it one at a time; the approval that completes the count sets the state to `approved` in that same
 * step, so exactly one press acts. A rejection or an expiry takes the request out (take): one wins.
 */
export class ApprovalStore {
  constructor(
    private readonly store: StateStore,
    private readonly ttlMs: number,
    private readonly newId: () => string,
  ) {}

  async create(a: NewApproval, now: number): Promise<PendingApproval> {
    const p: PendingApproval = { ...a, id: this.newId(), createdAt: now, expiresAt: now + this.ttlMs, approvals: [], state: 'pending' };
    await this.store.put(NS, p.id, encode(p), p.expiresAt, KEEP_AFTER_EXPIRY_MS);
    return p;
  }

  async peek(id: string): Promise<Seen | undefined> {
    const raw = await this.store.get(NS, id);
    return raw === undefined ? undefined : { raw, pending: parse(raw) };
  }

  /** Replaces what was seen with `next`; false when someone else changed or took it first. */
  replace(seen: Seen, next: PendingApproval): Promise<boolean> {
    return this.store.swap(NS, seen.pending.id, seen.raw, encode(next));
  }

  /** Takes the request out: however many ask at once, one gets it. */
  async take(id: string): Promise<PendingApproval | undefined> {
    const raw = await this.store.take(NS, id);
    return raw === undefined ? undefined : parse(raw);
  }

  /** Takes every request that has expired by `now`: each is returned to exactly one sweeper. */
  async takeExpired(now: number, limit = 100): Promise<PendingApproval[]> {
    const out: PendingApproval[] = [];
    for (const id of await this.store.due(NS, now, limit)) {
      const taken = await this.take(id);
      if (taken) out.push(taken);
    }
    return out;
  }

  size(): Promise<number> {
    return this.store.count(NS);
  }
}

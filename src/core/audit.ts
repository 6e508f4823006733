import type { Action } from './actions.js';
import type { Verb } from './grammar/command.js';
import type { Platform } from './caller.js';
import type { ParticipantRole } from './participants.js';

export type AuditDecision =
  | 'allowed'
  | 'denied'
  | 'invalid'
  | 'rate-limited'
  | 'confirmation-requested'
  | 'confirmed'
  | 'approval-requested'
  | 'approved'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'failed';

export interface AuditTarget {
  server: string;
  id: number;
  user: string;
  state: string;
}

/** Someone who took part in the action, and when (ISO 8601). */
export interface AuditParticipant {
  role: ParticipantRole;
  platform: Platform;
  userId: string;
  userName: string;
  at: string;
}

/** One JSON Lines record. An action writes an `intent` record before acting and an `outcome` after. */
export interface AuditRecord {
  time: string;
  requestId: string;
  platform: string;
  userId: string;
  userName: string;
  channel?: string;
  /** As typed, cut at MAX_AUDIT_COMMAND characters (`commandLength` then says how long it was). */
  command: string;
  commandLength?: number;
  decision: AuditDecision;
  phase?: 'intent' | 'outcome';
  /** The verb the command was read as (absent when it could not be read). */
  verb?: Verb;
  action?: Action;
  server?: string;
  confirmationId?: string;
  /** Self-service: the caller acted on their own sessions, as this Windows account. */
  selfService?: boolean;
  account?: string;
  approvalId?: string;
  /** The `/reason` of the request, in every record of it. */
  reason?: string;
  /** Who requested, confirmed, approved (or rejected) the action, and when. */
  participants?: AuditParticipant[];
  targets?: AuditTarget[];
  outcome?: 'ok' | 'partial' | 'failed' | 'not-performed' | 'shown' | 'interrupted';
  errorCode?: number;
  detail?: string;
  durationMs: number;
  simulated: boolean;
}

/** Longest command an audit record stores as typed. */
export const MAX_AUDIT_COMMAND = 4000;

/** Where audit records go. `append` must reject if the record was not durably written. */
export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
}

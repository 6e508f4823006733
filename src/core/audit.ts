export type AuditDecision =
  | 'allowed'
  | 'denied'
  | 'invalid'
  | 'rate-limited'
  | 'confirmation-requested'
  | 'confirmed'
  | 'cancelled'
  | 'expired'
  | 'failed';

export interface AuditTarget {
  server: string;
  id: number;
  user: string;
  state: string;
}

/** One JSON Lines record. An action writes an `intent` record before acting and an `outcome` after. */
export interface AuditRecord {
  time: string;
  requestId: string;
  platform: string;
  userId: string;
  userName: string;
  channel?: string;
  command: string;
  decision: AuditDecision;
  phase?: 'intent' | 'outcome';
  action?: string;
  server?: string;
  confirmationId?: string;
  targets?: AuditTarget[];
  /** `interrupted`: the process was stopped (e.g. Ctrl-C) between the intent record and the outcome. */
  outcome?: 'ok' | 'partial' | 'failed' | 'not-performed' | 'shown' | 'interrupted';
  errorCode?: number;
  detail?: string;
  durationMs: number;
  simulated: boolean;
}

/** Where audit records go. `append` must reject if the record was not durably written. */
export interface AuditSink {
  append(record: AuditRecord): Promise<void>;
}

import type { Session } from '../wts/session.js';
import type { ActingAction } from './actions.js';

/** Exactly what an action will do, as shown to the user before they confirm it. */
export interface Plan {
  action: ActingAction;
  server: string;
  /** The sessions as read when the plan was made; each is re-read just before acting. */
  sessions: Session[];
  /** Set for /disc and /all: each session must still qualify when re-read. */
  scope?: 'disconnected' | 'all';
  verbose: boolean;
  message?: { text: string; timeSeconds: number; wait: boolean };
  /** Self-service: the caller's own session, as this Windows account (CORP\\jdoe). Always confirmed. */
  selfService?: { account: string };
}

export function isBulk(plan: Plan): boolean {
  return plan.scope !== undefined || plan.sessions.length > 1;
}

import type { ProcessInfo } from '../wts/process.js';
import type { Session } from '../wts/session.js';
import type { Layout } from './grammar/command.js';
import type { Participant } from './participants.js';

export type ReplyStatus =
  | 'ok'
  | 'partial'
  | 'failed'
  | 'denied'
  | 'usage'
  | 'confirm'
  | 'awaiting-approval'
  | 'rejected'
  | 'cancelled'
  | 'expired'
  | 'rate-limited'
  | 'refused'
  | 'help';

export interface ServerFailure {
  server: string;
  code: number;
  message: string;
}

export interface SessionOutcome {
  server: string;
  id: number;
  user: string;
  state: string;
  result: 'done' | 'failed' | 'skipped';
  detail: string;
  code?: number;
}

/** A process with the name of its session, as qprocess shows it. */
export type ProcessLine = ProcessInfo & { sessionName: string };

export interface Step {
  label: string;
  ms: number;
}

export type Section =
  | { kind: 'sessions'; sessions: Session[]; showServer: boolean; verbose: boolean; hidden?: number; layout?: Layout; counters?: boolean }
  | { kind: 'server-errors'; errors: ServerFailure[] }
  | { kind: 'outcomes'; outcomes: SessionOutcome[] }
  /** qprocess's table; `hidden` system processes were left out (/system shows them). */
  | { kind: 'processes'; processes: ProcessLine[]; hidden?: number }
  | { kind: 'steps'; steps: Step[] }
  | { kind: 'text'; text: string }
  | { kind: 'usage'; text: string };

export interface ConfirmationPrompt {
  id: string;
  expiresAt: number;
  /** e.g. "Log off 2 sessions on rds04" */
  actionLabel: string;
}

/** An approval request: adapters show Approve and Reject buttons carrying its ID. */
export interface ApprovalPrompt {
  id: string;
  expiresAt: number;
  /** e.g. "Log off 2 sessions on rds04" */
  actionLabel: string;
}

/** The requester's answer when their action waits for approval: `request` is what approvers are shown. */
export interface ApprovalRequest {
  id: string;
  expiresAt: number;
  /** The request, with the Approve and Reject buttons, for the channel approvers see. */
  request: Reply;
}

/** What every use case returns; adapters render it their own way. */
export interface Reply {
  status: ReplyStatus;
  /** One sentence that stands on its own. */
  summary: string;
  sections: Section[];
  /**
   * Only the caller should see it: errors, denials, help, and refusals of a button press (which must
   * not replace the message the button sits on). Public replies to a button press replace its message.
   */
  private: boolean;
  /** The sessions are simulated: nothing real was touched. */
  simulated: boolean;
  confirmation?: ConfirmationPrompt;
  /** Set on an approval request (or its progress): show Approve and Reject. */
  approval?: ApprovalPrompt;
  /** Set when the action now waits for approvers: post `request` where they see it; this reply tells the requester. */
  approvalRequest?: ApprovalRequest;
  /** Who requested, confirmed, approved or rejected it, and when, as each platform shows people. */
  participants?: Participant[];
  requestId: string;
}

/** The console's exit codes. */
export function exitCodeOf(status: ReplyStatus): number {
  switch (status) {
    case 'ok':
    case 'help':
      return 0;
    case 'cancelled':
    case 'expired':
    case 'rejected':
      return 1;
    case 'usage':
      return 2;
    case 'denied':
    case 'refused':
    case 'rate-limited':
    case 'awaiting-approval':
      return 3;
    case 'failed':
    case 'partial':
      return 4;
    case 'confirm':
      return 5;
  }
}

import type { types } from '@slack/bolt';
import { MAX_REJECTION_NOTE } from '../../src/core/index.js';

export const REJECT_VIEW = 'rwinsta_reject';
const NOTE_BLOCK = 'note';
const NOTE_ACTION = 'note';

/** What the modal carries back on submission: which request, and where the press came from. */
export interface RejectContext {
  id: string;
  channel?: string;
  /** The press's response_url: replaces the request message, or tells the rejecter privately. */
  responseUrl: string;
}

/** The modal a Reject press opens (views.open): an optional reply to the requester. */
export function rejectView(ctx: RejectContext, label: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: REJECT_VIEW,
    private_metadata: JSON.stringify(ctx),
    title: { type: 'plain_text', text: 'Reject request' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: label.slice(0, 2900), emoji: false } },
      {
        type: 'input',
        block_id: NOTE_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Reply to the requester (optional)' },
        element: { type: 'plain_text_input', action_id: NOTE_ACTION, multiline: true, max_length: MAX_REJECTION_NOTE },
      },
    ],
  };
}

interface SubmittedView {
  private_metadata?: string;
  state?: { values?: Record<string, Record<string, { value?: string | null }>> };
}

/** The request and the reply typed in a submitted Reject modal; undefined when it is not one of ours. */
export function readRejectView(view: SubmittedView): { ctx: RejectContext; note: string | undefined } | undefined {
  let ctx: RejectContext;
  try {
    ctx = JSON.parse(view.private_metadata ?? '') as RejectContext;
  } catch {
    return undefined;
  }
  if (typeof ctx.id !== 'string' || typeof ctx.responseUrl !== 'string') return undefined;
  const note = view.state?.values?.[NOTE_BLOCK]?.[NOTE_ACTION]?.value ?? undefined;
  return { ctx, note: note ?? undefined };
}

import type { types } from '@slack/bolt';
import { SIMULATED_NOTE, sectionLines } from '../../src/core/render/text.js';
import type { Reply, Section } from '../../src/core/results.js';

type Block = types.KnownBlock;

export const CONFIRM_ACTION = 'rwinsta_confirm';
export const CANCEL_ACTION = 'rwinsta_cancel';

// Slack's limits: 50 blocks a message, 3,000 characters a section's text.
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
/** A response_url accepts 5 posts; keep one for a later update (outcome, expiry). */
export const MAX_MESSAGES = 4;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack mrkdwn needs &, < and > escaped; nothing else is interpreted inside a code block. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack escapes &, < and > in slash command text. */
export function unescapeSlackText(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/** Monospace sections of at most 3,000 characters, split between lines. */
function codeSections(lines: string[]): Block[] {
  const fence = 8; // ``` before and after, and their newlines
  const out: Block[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (chunk.length) out.push(section(`\`\`\`${escapeMrkdwn(chunk.join('\n'))}\`\`\``));
    chunk = [];
    size = 0;
  };
  for (const raw of lines) {
    const line = raw.length > MAX_SECTION_TEXT - fence - 10 ? `${raw.slice(0, MAX_SECTION_TEXT - fence - 11)}…` : raw;
    const cost = escapeMrkdwn(line).length + 1;
    if (size + cost > MAX_SECTION_TEXT - fence) flush();
    chunk.push(line);
    size += cost;
  }
  flush();
  return out;
}

function sectionBlocks(s: Section, timeZone: string | undefined): Block[] {
  const lines = sectionLines(s, { timeZone });
  if (s.kind === 'text') return lines.length ? [section(escapeMrkdwn(lines.join('\n')).slice(0, MAX_SECTION_TEXT))] : [];
  if (s.kind === 'server-errors') return codeSections(lines.map((l) => l.replace(/^! /, '⚠ ')));
  return codeSections(lines);
}

function buttons(confirmationId: string, label: string): Block {
  return {
    type: 'actions',
    block_id: 'rwinsta_confirmation',
    elements: [
      { type: 'button', action_id: CONFIRM_ACTION, style: 'danger', value: confirmationId, text: { type: 'plain_text', text: 'Confirm' }, accessibility_label: label.slice(0, 75) },
      { type: 'button', action_id: CANCEL_ACTION, value: confirmationId, text: { type: 'plain_text', text: 'Cancel' } },
    ],
  };
}

const ICONS: Partial<Record<Reply['status'], string>> = {
  ok: ':white_check_mark:',
  partial: ':warning:',
  failed: ':x:',
  denied: ':no_entry:',
  usage: ':grey_question:',
  confirm: ':raising_hand:',
  cancelled: ':heavy_multiplication_x:',
  expired: ':hourglass:',
  'rate-limited': ':hourglass_flowing_sand:',
};

/**
 * A reply as Block Kit messages within Slack's limits: the summary, then each section (tables in
 * monospace), buttons for a confirmation, and the simulated-fleet notice. Long output is split over
 * several messages; past MAX_MESSAGES the rest is summarized in one line.
 */
export function renderSlack(reply: Reply, timeZone?: string): SlackMessage[] {
  const head = section(`${ICONS[reply.status] ? `${ICONS[reply.status]} ` : ''}${escapeMrkdwn(reply.summary)}`.slice(0, MAX_SECTION_TEXT));
  const body = reply.sections.flatMap((s) => sectionBlocks(s, timeZone));
  const tail: Block[] = [];
  if (reply.confirmation) tail.push(buttons(reply.confirmation.id, reply.confirmation.actionLabel));
  if (reply.simulated) tail.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `_${SIMULATED_NOTE}_` }] });

  const messages: Block[][] = [[head]];
  for (const b of body) {
    const current = messages[messages.length - 1] as Block[];
    // Room is kept in every message for the buttons, the notice and a truncation note.
    if (current.length >= MAX_BLOCKS - tail.length - 1) messages.push([b]);
    else current.push(b);
  }
  if (messages.length > MAX_MESSAGES) {
    const dropped = messages.splice(MAX_MESSAGES).reduce((n, m) => n + m.length, 0);
    (messages[MAX_MESSAGES - 1] as Block[]).push(section(`_…${dropped} more block${dropped === 1 ? '' : 's'} of output not shown: narrow the query (a user, a state, /state:disc)._`));
  }
  (messages[messages.length - 1] as Block[]).push(...tail);
  return messages.map((blocks, i) => ({ text: i === 0 ? reply.summary : `${reply.summary} (continued)`, blocks }));
}

import type { types } from '@slack/bolt';
import { formatClockSeconds, participantsLine, SIMULATED_NOTE, sectionLines, type Participant, type Reply, type Section } from '../../src/core/index.js';
import { codeBlockText, escapeMrkdwn } from './slack-text.js';

type Block = types.KnownBlock;

export const CONFIRM_ACTION = 'rwinsta_confirm';
export const CANCEL_ACTION = 'rwinsta_cancel';
export const APPROVE_ACTION = 'rwinsta_approve';
export const REJECT_ACTION = 'rwinsta_reject';

// Slack's limits: 50 blocks a message, 3,000 characters a section's text; a message's text is cut
// around 40,000 characters, and the blocks of one message are kept under that too.
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_MESSAGE_CHARS = 40_000;
/** A response_url accepts 5 posts: a reply uses at most 4, which keeps one for an update. */
export const MAX_MESSAGES = 4;

export interface SlackMessage {
  /** The fallback text of notifications and screen readers (mrkdwn, escaped). */
  text: string;
  blocks: Block[];
}

interface Part {
  block: Block;
  chars: number;
  lines: number;
}

// Unicode rather than :shortcodes:, so the text can stay plain (a summary may quote user input).
const ICONS: Partial<Record<Reply['status'], string>> = {
  ok: '\u2705',
  partial: '\u26a0\ufe0f',
  failed: '\u274c',
  denied: '\u26d4',
  refused: '\u26d4',
  usage: '\u2754',
  confirm: '\u270b',
  'awaiting-approval': '\u{1f440}',
  rejected: '\u{1f6ab}',
  cancelled: '\u2716\ufe0f',
  expired: '\u231b',
  'rate-limited': '\u23f3',
  help: '\u2139\ufe0f',
};

function clip(line: string, max: number): string {
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Consecutive lines grouped so that each group's cost stays within `budget`. */
function groupLines(lines: readonly string[], budget: number, cost: (line: string) => number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 0;
  for (const line of lines) {
    const c = cost(line) + 1;
    if (group.length && size + c > budget) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(line);
    size += c;
  }
  if (group.length) groups.push(group);
  return groups;
}

/** Plain text is shown as typed: no mrkdwn, no mentions, nothing to escape. */
function plainParts(lines: readonly string[]): Part[] {
  const clipped = lines.map((l) => clip(l, MAX_SECTION_TEXT - 1));
  return groupLines(clipped, MAX_SECTION_TEXT, (l) => l.length).map((g) => {
    const text = g.join('\n') || ' ';
    return { block: { type: 'section', text: { type: 'plain_text', text, emoji: false } }, chars: text.length, lines: g.length };
  });
}

/** Monospace blocks (tables keep their columns), each within a section's 3,000 characters. */
function codeParts(lines: readonly string[]): Part[] {
  const budget = MAX_SECTION_TEXT - 6 - 20; // the fences, and room for escaping a clipped line's end
  const clipped = lines.map((l) => (escapeMrkdwn(l).length > budget ? clip(l, Math.floor(budget / 5)) : l));
  return groupLines(clipped, budget, (l) => escapeMrkdwn(l).length).map((g) => {
    const text = codeBlockText(g);
    return { block: { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }, chars: text.length, lines: g.length };
  });
}

function sectionParts(s: Section, reply: Reply, timeZone: string | undefined): Part[] {
  const lines = sectionLines(s, { timeZone });
  // Free text reads best as text; help is laid out in columns, so it stays monospace.
  if (s.kind === 'text' && reply.status !== 'help') return plainParts(lines);
  return codeParts(lines);
}

function buttons(confirmationId: string, label: string): Block {
  return {
    type: 'actions',
    block_id: 'rwinsta_confirmation',
    elements: [
      { type: 'button', action_id: CONFIRM_ACTION, style: 'danger', value: confirmationId, text: { type: 'plain_text', text: 'Confirm' }, accessibility_label: clip(`Confirm: ${label}`, 75) },
      { type: 'button', action_id: CANCEL_ACTION, value: confirmationId, text: { type: 'plain_text', text: 'Cancel' } },
    ],
  };
}

function approvalButtons(approvalId: string, label: string): Block {
  return {
    type: 'actions',
    block_id: 'rwinsta_approval',
    elements: [
      { type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: approvalId, text: { type: 'plain_text', text: 'Approve' }, accessibility_label: clip(`Approve: ${label}`, 75) },
      { type: 'button', action_id: REJECT_ACTION, style: 'danger', value: approvalId, text: { type: 'plain_text', text: 'Reject' }, accessibility_label: clip(`Reject: ${label}`, 75) },
    ],
  };
}

/** A person as Slack shows people: a mention of their member ID. */
export function slackPerson(p: Pick<Participant, 'platform' | 'userId' | 'userName'>): string {
  return p.platform === 'slack' && /^[UW][A-Z0-9]+$/.test(p.userId) ? `<@${p.userId}>` : escapeMrkdwn(p.userName || p.userId);
}

/** A time as Slack shows it, in each reader's own time zone; the fallback in the bot's. */
export function slackTime(at: number, timeZone?: string): string {
  return `<!date^${Math.floor(at / 1000)}^{time_secs}|${formatClockSeconds(at, timeZone)}>`;
}

/** Who requested, confirmed and approved it, and when: mrkdwn, so the mentions show as people. */
function participantsBlock(ps: readonly Participant[], timeZone: string | undefined): Block {
  const text = participantsLine(ps, slackPerson, (at) => slackTime(at, timeZone));
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, MAX_SECTION_TEXT) }] };
}

function headline(reply: Reply): Part {
  const icon = ICONS[reply.status];
  return plainParts([`${icon ? `${icon} ` : ''}${reply.summary}`])[0] as Part;
}

/**
 * A reply as Block Kit messages within Slack's limits: the summary, each section (tables and
 * lists in monospace), Confirm and Cancel buttons for a confirmation, and the simulated-fleet
 * notice. Long output continues in further messages; past MAX_MESSAGES the rest is counted, not shown.
 */
export function renderSlack(reply: Reply, timeZone?: string): SlackMessage[] {
  const head = headline(reply).block;
  const body = reply.sections.flatMap((s) => sectionParts(s, reply, timeZone));
  const tail: Block[] = [];
  if (reply.participants?.length) tail.push(participantsBlock(reply.participants, timeZone));
  if (reply.confirmation) tail.push(buttons(reply.confirmation.id, reply.confirmation.actionLabel));
  if (reply.approval) tail.push(approvalButtons(reply.approval.id, reply.approval.actionLabel));
  if (reply.simulated) tail.push({ type: 'context', elements: [{ type: 'plain_text', text: SIMULATED_NOTE }] });

  // Every message keeps room for the buttons, the notice and a note of what was left out.
  const blockRoom = MAX_BLOCKS - tail.length - 1;
  const charRoom = MAX_MESSAGE_CHARS - MAX_SECTION_TEXT * 2;
  const messages: Part[][] = [[]];
  let chars = 0;
  for (const p of body) {
    const current = messages[messages.length - 1] as Part[];
    if (current.length + 1 >= blockRoom || chars + p.chars > charRoom) {
      messages.push([p]);
      chars = p.chars;
    } else {
      current.push(p);
      chars += p.chars;
    }
  }
  const out: Block[][] = messages.slice(0, MAX_MESSAGES).map((parts, i) => [...(i === 0 ? [head] : []), ...parts.map((p) => p.block)]);
  const dropped = messages.slice(MAX_MESSAGES).flat().reduce((n, p) => n + p.lines, 0);
  const last = out[out.length - 1] as Block[];
  if (dropped > 0) {
    last.push({ type: 'context', elements: [{ type: 'plain_text', text: `…and ${dropped} more line${dropped === 1 ? '' : 's'} not shown: Slack takes ${MAX_MESSAGES} messages a reply here. Narrow the command (a user, /state:…) to see them.` }] });
  }
  last.push(...tail);
  const text = escapeMrkdwn(reply.summary);
  return out.map((blocks, i) => ({ text: i === 0 ? text : `${text} (continued)`, blocks }));
}
